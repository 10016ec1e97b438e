using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

public class KernelMatchingTests
{
    // Hand computation, bandwidth 0.1: treated at 0.50; controls at 0.45 (u = −0.5, K = 0.5625), 0.52 (u = 0.2, K = 0.72),
    // 0.70 (u = 2, K = 0). Shares 0.5625/1.2825 and 0.72/1.2825. Control weights then rescaled to sum to 2 (two used controls).
    [Fact]
    public void Epanechnikov_HandCase_SharesAreNormalisedKernelValues()
    {
        double[] d = [0.50, 0.45, 0.52, 0.70];
        bool[] t = [true, false, false, false];
        var r = KernelMatching.Epanechnikov(d, t, 0.1, keepPairs: true);
        Assert.Equal(2, r.Pairs!.Count);
        Assert.Equal(0.5625 / 1.2825, r.Pairs!.Single(p => p.Control == 1).Share, 1e-14);
        Assert.Equal(0.72 / 1.2825, r.Pairs!.Single(p => p.Control == 2).Share, 1e-14);
        Assert.Equal(1.0, r.Weights[0]);
        Assert.Equal(2 * 0.5625 / 1.2825, r.Weights[1], 1e-14);
        Assert.Equal(2 * 0.72 / 1.2825, r.Weights[2], 1e-14);
        Assert.Equal(0.0, r.Weights[3]);
    }

    [Fact]
    public void Epanechnikov_NoControlInBandwidth_TreatedUnmatched()
    {
        var r = KernelMatching.Epanechnikov([0.9, 0.1], [true, false], 0.06, keepPairs: true);
        Assert.Empty(r.Pairs!);
        Assert.Equal([0.0, 0.0], r.Weights);
    }

    // Hand computation, raw radius 0.05: treated 0.50 takes 0.47 and 0.53 (1/2 each), treated 0.80 takes 0.78 only.
    [Fact]
    public void Radius_RawWidth_MatchesAllControlsWithinRadius()
    {
        double[] d = [0.50, 0.80, 0.47, 0.53, 0.78, 0.60];
        bool[] t = [true, true, false, false, false, false];
        var r = KernelMatching.Radius(d, t, new Caliper(0.05, InStandardDeviations: false), keepPairs: true);
        Assert.Equal([(0, 2, 0.5), (0, 3, 0.5), (1, 4, 1.0)], r.Pairs!.Select(p => (p.Treated, p.Control, p.Share)).OrderBy(x => x).ToArray());
        // raw control weights 0.5, 0.5, 1 over 3 used controls: scaled by 3/2.
        Assert.Equal([1.0, 1.0, 0.75, 0.75, 1.5, 0.0], r.Weights);
    }

    // The accumulated weights against the pair list (every pair stored; MatchIt's weights and the distinct counts
    // computed from the list), bit for bit: random scores, some rounded to 2 decimals so ties and exact bandwidth edges occur,
    // with and without year strata and common-support trimming.
    [Theory]
    [InlineData(1, 40, false, "None")]
    [InlineData(2, 200, true, "None")]
    [InlineData(3, 300, true, "Both")]
    [InlineData(4, 150, false, "Treated")]
    [InlineData(5, 250, true, "Control")]
    public void ByShares_RandomSamples_AccumulatedEqualsPairList(int seed, int n, bool byStratum, string support)
    {
        var rng = new Random(seed);
        var discard = Enum.Parse<CommonSupport>(support);
        var d = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? Math.Round(rng.NextDouble(), 2) : rng.NextDouble()).ToArray();
        var t = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.3).ToArray();
        long[]? strata = byStratum ? Enumerable.Range(0, n).Select(_ => (long)rng.Next(2011, 2015)).ToArray() : null;
        foreach (var width in new[] { 0.01, 0.06, 0.2 })
        {
            AssertSame(KernelMatching.Epanechnikov(d, t, width, discard, strata, keepPairs: true),
                KernelMatching.Epanechnikov(d, t, width, discard, strata));
            var radius = new Caliper(width, InStandardDeviations: false);
            AssertSame(KernelMatching.Radius(d, t, radius, discard, strata, keepPairs: true),
                KernelMatching.Radius(d, t, radius, discard, strata));
        }
    }

    private static void AssertSame(MatchResult pairList, MatchResult accumulated)
    {
        Assert.NotEmpty(pairList.Pairs!);
        Assert.Null(accumulated.Pairs);
        Assert.Equal(MatchingSupport.AttWeights(pairList.Pairs!, pairList.Weights.Length), pairList.Weights);
        Assert.Equal(pairList.Weights.Length, accumulated.Weights.Length);
        for (var i = 0; i < pairList.Weights.Length; i++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(pairList.Weights[i]), BitConverter.DoubleToInt64Bits(accumulated.Weights[i]));
        Assert.Equal(pairList.MatchedTreatedCount, accumulated.MatchedTreatedCount);
        Assert.Equal(pairList.MatchedControlCount, accumulated.MatchedControlCount);
        Assert.Equal(pairList.Pairs!.Select(p => p.Treated).Distinct().Count(), accumulated.MatchedTreatedCount);
        Assert.Equal(pairList.Pairs!.Select(p => p.Control).Distinct().Count(), accumulated.MatchedControlCount);
        Assert.Equal(pairList.Discarded, accumulated.Discarded);
        Assert.Equal(pairList.CaliperWidth, accumulated.CaliperWidth);
    }
}
