namespace NQPF.Econometrics.Matching;

/// <summary>Kernel and radius matching on a scalar distance, as psmatch2's <c>kernel</c> and <c>radius</c> options.</summary>
internal static class KernelMatching
{
    /// <summary>
    /// Epanechnikov kernel matching: treated unit t gives control c the share K((d_c − d_t)/h) / Σ_c' K((d_c' − d_t)/h)
    /// with K(u) = ¾(1 − u²) for |u| &lt; 1, else 0 (psmatch2's default kernel; its default bandwidth is 0.06 on the
    /// score). A treated unit with no control inside the bandwidth is unmatched (off support). Weights as in
    /// <see cref="MatchingSupport.AttWeights"/>. Controls only serve treated units of their stratum when strata are given.
    /// Degenerate cases: bandwidth ≤ 0 throws; no control leaves everything unmatched. The weights are accumulated pair by
    /// pair; <paramref name="keepPairs"/> also keeps the pair list (memory: one entry per treated unit per control in its
    /// window, so only for small samples).
    /// Checked against a hand computation (tests/…/Matching/KernelMatchingTests).
    /// </summary>
    public static MatchResult Epanechnikov(double[] distance, bool[] treated, double bandwidth,
        CommonSupport discard = CommonSupport.None, long[]? strata = null, bool keepPairs = false)
    {
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), "Bandwidth must be positive.");
        MatchingSupport.Validate(distance, treated, strata);
        var discarded = MatchingSupport.Discard(distance, treated, discard, strata);
        return ByShares(distance, treated, discarded, strata, bandwidth, gap =>
        {
            var u = gap / bandwidth;
            return Math.Abs(u) < 1 ? 0.75 * (1 - u * u) : 0.0;
        }, keepPairs);
    }

    /// <summary>
    /// Radius matching: treated unit t is matched to every control with |d_c − d_t| ≤ r, each with share 1/n_t (n_t =
    /// number of such controls); r is the caliper (in SDs of the distance or raw, see <see cref="Caliper"/>).
    /// A treated unit with no control within r is unmatched. <paramref name="keepPairs"/> as in <see cref="Epanechnikov"/>.
    /// Checked against a hand computation.
    /// </summary>
    public static MatchResult Radius(double[] distance, bool[] treated, Caliper radius,
        CommonSupport discard = CommonSupport.None, long[]? strata = null, bool keepPairs = false)
    {
        MatchingSupport.Validate(distance, treated, strata);
        var discarded = MatchingSupport.Discard(distance, treated, discard, strata);
        var r = MatchingSupport.CaliperWidth(distance, discarded, radius);
        return ByShares(distance, treated, discarded, strata, r, gap => Math.Abs(gap) <= r ? 1.0 : 0.0, keepPairs);
    }

    private static MatchResult ByShares(double[] distance, bool[] treated, bool[] discarded, long[]? strata,
        double width, Func<double, double> kernel, bool keepPairs)
    {
        // Each treated unit looks only at the controls of its own stratum (in row order, as a scan of all controls that
        // skips the others would): with strata by year the scan was otherwise over every year's controls.
        var controlsOf = Enumerable.Range(0, distance.Length).Where(i => !treated[i] && !discarded[i])
            .GroupBy(i => strata?[i] ?? 0).ToDictionary(g => g.Key, g => g.ToArray());
        var pairs = keepPairs ? new List<MatchedPair>() : null;
        var weights = new AttWeightAccumulator(distance.Length);
        var raw = new List<(int C, double K)>();
        for (var t = 0; t < distance.Length; t++)
        {
            if (!treated[t] || discarded[t]) continue;
            raw.Clear();
            var total = 0.0;
            foreach (var c in controlsOf.GetValueOrDefault(strata?[t] ?? 0) ?? [])
            {
                var k = kernel(distance[c] - distance[t]);
                if (k <= 0) continue;
                raw.Add((c, k));
                total += k;
            }
            foreach (var (c, k) in raw)
            {
                weights.Add(t, c, k / total);
                pairs?.Add(new MatchedPair(t, c, k / total));
            }
        }
        return weights.Finish(discarded, width) with { Pairs = pairs };
    }
}
