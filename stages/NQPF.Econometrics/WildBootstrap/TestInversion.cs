namespace NQPF.Econometrics.WildBootstrap;

/// <summary>A confidence bound as the edge of the acceptance region {r : p(r) ≥ α} of a family of tests.</summary>
internal static class TestInversion
{
    private const int MaxSteps = 1000;

    /// <summary>
    /// Walks r = start + i·step (i = 1, 2, …) until the test rejects (p &lt; α), then bisects the last step down to
    /// adjacent doubles: the bound is the location of the p-value's jump across α (the bootstrap p is a step function
    /// of r), not a point on a grid. The walk starts at the estimate, so with a p that is not monotone the innermost
    /// crossing is found. No rejection within <see cref="MaxSteps"/> steps → ±∞ (the set is unbounded on that side).
    /// </summary>
    public static double Bound(Func<double, double> pValue, double start, double step, double alpha)
    {
        if (!(step != 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), "The search step must be finite and non-zero.");
        var accepted = start;
        var rejected = double.NaN;
        for (var i = 1; i <= MaxSteps; i++)
        {
            var r = start + i * step;
            if (pValue(r) < alpha)
            {
                rejected = r;
                break;
            }
            accepted = r;
        }
        if (double.IsNaN(rejected)) return step > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var mid = 0.5 * (accepted + rejected);
            if (mid == accepted || mid == rejected) break;
            if (pValue(mid) < alpha) rejected = mid;
            else accepted = mid;
        }
        return 0.5 * (accepted + rejected);
    }
}
