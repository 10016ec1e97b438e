using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.HonestDid;

/// <summary>The truncated-normal quantile of the conditional moment test.</summary>
internal static class Distributions
{
    /// <summary>
    /// The p-quantile of N(0, 1) truncated to [l, u] (TruncatedNormal::norminvp). For l ≥ 0 the upper tails Φ(−x) are
    /// used so the quantile keeps its precision far in the right tail; symmetric for u ≤ 0.
    /// </summary>
    public static double TruncatedNormalQuantile(double p, double l, double u)
    {
        if (!(l < u)) throw new ArgumentException("The truncation interval is empty.", nameof(l));
        if (u <= 0) return -TruncatedNormalQuantile(1 - p, -u, -l);
        if (l >= 0)
        {
            var ql = Normal.CDF(0, 1, -l);
            var qu = double.IsPositiveInfinity(u) ? 0 : Normal.CDF(0, 1, -u);
            var tail = ql - p * (ql - qu);
            return tail <= 0 ? u : -Normal.InvCDF(0, 1, tail);
        }
        var pl = double.IsNegativeInfinity(l) ? 0 : Normal.CDF(0, 1, l);
        var pu = double.IsPositiveInfinity(u) ? 1 : Normal.CDF(0, 1, u);
        return Normal.InvCDF(0, 1, pl + p * (pu - pl));
    }
}
