using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.HonestDid;

/// <summary>Quantiles the sensitivity intervals need, computed exactly rather than by simulation.</summary>
internal static class Distributions
{
    /// <summary>
    /// The p-quantile of |N(μ, 1)| (the folded normal): c with Φ(c − μ) − Φ(−c − μ) = p, by bisection to adjacent
    /// doubles. HonestDiD's .qfoldednormal estimates it from 10⁶ draws (seed 0); the exact value differs from that by
    /// the simulation error (about 2·10⁻³ relative for p = 0.95).
    /// </summary>
    public static double FoldedNormalQuantile(double p, double mu)
    {
        mu = Math.Abs(mu);
        double lo = 0, hi = mu + 10;
        for (var i = 0; i < 200; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi) break;
            var mass = Normal.CDF(0, 1, mid - mu) - Normal.CDF(0, 1, -mid - mu);
            if (mass < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

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
