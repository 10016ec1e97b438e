using System.Text.Json;
using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

public class NearestNeighbourMatchingTests
{
    private static JsonElement Reference => ReferenceData.Json("expected/psm_lalonde.json");

    private static Dictionary<int, int> ReferencePairs(string key) =>
        Reference.GetProperty(key).GetProperty("pairs").EnumerateArray()
            .ToDictionary(p => p.GetProperty("treated").GetInt32() - 1, p => p.GetProperty("control").GetInt32() - 1);

    // Reference: MatchIt 4.5.1 matchit(method = "nearest", m.order = "largest", replace = FALSE) on lalonde
    // (expected/psm_lalonde.json, ids are 1-based row numbers). Every pair must be identical (NeighbourRule.LeftFirst
    // reproduces 4.5.1's integer-abs comparison, see NeighbourRule).
    [Fact]
    public void Match_LalondeWithoutReplacementLargestFirst_ReproducesMatchItPairs()
    {
        var result = NearestNeighbourMatching.Match(LalondeFixture.Fit.Fitted, LalondeFixture.Treated,
            new NearestNeighbourOptions(Neighbour: NeighbourRule.LeftFirst));
        var expected = ReferencePairs("nearest_1to1_noreplace_largest_first");
        Assert.Equal(expected.Count, result.Pairs!.Count);
        foreach (var p in result.Pairs!) Assert.Equal(expected[p.Treated], p.Control);
        Assert.Equal(185, result.MatchedControlCount);
        Assert.All(result.Weights, w => Assert.True(w is 0.0 or 1.0));
    }

    // Reference: MatchIt 4.5.1 replace = TRUE on lalonde: pairs and the 614 ATT weights, within 1e-12.
    [Fact]
    public void Match_LalondeWithReplacement_ReproducesMatchItPairsAndWeights()
    {
        var result = NearestNeighbourMatching.Match(LalondeFixture.Fit.Fitted, LalondeFixture.Treated,
            new NearestNeighbourOptions(Replace: true, Neighbour: NeighbourRule.LeftFirst));
        var expected = ReferencePairs("nearest_1to1_replace");
        Assert.Equal(expected.Count, result.Pairs!.Count);
        foreach (var p in result.Pairs!) Assert.Equal(expected[p.Treated], p.Control);
        var weights = Reference.GetProperty("nearest_1to1_replace").GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(weights.Length, result.Weights.Length);
        for (var i = 0; i < weights.Length; i++) Assert.Equal(weights[i], result.Weights[i], 1e-12);
    }

    // Hand case: treated scores 0.9, 0.5; controls 0.85, 0.55, 0.52, 0.1. Largest first: 0.9 takes 0.85; 0.5 takes 0.52
    // (gap 0.02). Second round (1:2): 0.9 takes 0.55 (gap 0.35 < 0.8), then 0.5 takes 0.1.
    [Fact]
    public void Match_OneToTwoWithoutReplacement_PicksInRounds()
    {
        double[] d = [0.9, 0.5, 0.85, 0.55, 0.52, 0.1];
        bool[] t = [true, true, false, false, false, false];
        var r = NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions(Ratio: 2));
        Assert.Equal([(0, 2), (0, 3), (1, 4), (1, 5)], r.Pairs!.Select(p => (p.Treated, p.Control)).OrderBy(x => x).ToArray());
        Assert.All(r.Pairs!, p => Assert.Equal(0.5, p.Share));
    }

    // Hand case: SD of all six scores is 0.3140; caliper 0.1 SD = 0.0314: treated 0.9 reaches 0.85? gap 0.05 > 0.0314 → no;
    // treated 0.5 reaches 0.52 (gap 0.02). So one pair, treated 0.9 unmatched with weight 0.
    [Fact]
    public void Match_CaliperInSd_LeavesFarTreatedUnmatched()
    {
        double[] d = [0.9, 0.5, 0.85, 0.55, 0.52, 0.1];
        bool[] t = [true, true, false, false, false, false];
        var r = NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions(Caliper: new Caliper(0.1)));
        var mean = d.Average();
        Assert.Equal(0.1 * Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / 5), r.CaliperWidth, 1e-15);
        Assert.Equal([(1, 4)], r.Pairs!.Select(p => (p.Treated, p.Control)).ToArray());
        Assert.Equal([0.0, 1.0, 0.0, 0.0, 1.0, 0.0], r.Weights);
    }

    // Hand case: controls 0.1 and 0.95 lie outside the treated range [0.5, 0.9] and are discarded with Discard = Control.
    [Fact]
    public void Match_CommonSupportControl_DiscardsOutOfRangeControls()
    {
        double[] d = [0.9, 0.5, 0.85, 0.55, 0.95, 0.1];
        bool[] t = [true, true, false, false, false, false];
        var r = NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions(Discard: CommonSupport.Control));
        Assert.Equal([false, false, false, false, true, true], r.Discarded);
        Assert.Equal([(0, 2), (1, 3)], r.Pairs!.Select(p => (p.Treated, p.Control)).OrderBy(x => x).ToArray());
    }

    // Strata: the treated unit in stratum 2 may not take the (closer) control of stratum 1.
    [Fact]
    public void Match_WithStrata_MatchesWithinStratumOnly()
    {
        double[] d = [0.6, 0.6, 0.59, 0.2];
        bool[] t = [true, true, false, false];
        long[] s = [1, 2, 1, 2];
        var r = NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions(), s);
        Assert.Equal([(0, 2), (1, 3)], r.Pairs!.Select(p => (p.Treated, p.Control)).OrderBy(x => x).ToArray());
    }

    // Property: with replacement and the Nearest rule every treated unit gets a control at the minimal gap.
    [Fact]
    public void Match_LalondeWithReplacementNearestRule_EveryPickIsClosestControl()
    {
        var ps = LalondeFixture.Fit.Fitted;
        var treated = LalondeFixture.Treated;
        var result = NearestNeighbourMatching.Match(ps, treated, new NearestNeighbourOptions(Replace: true));
        Assert.Equal(185, result.Pairs!.Count);
        foreach (var p in result.Pairs!)
        {
            var best = Enumerable.Range(0, ps.Length).Where(j => !treated[j]).Min(j => Math.Abs(ps[j] - ps[p.Treated]));
            Assert.Equal(best, Math.Abs(ps[p.Control] - ps[p.Treated]));
        }
    }

    // Hand case: treated 0.50 sits between controls 0.40 (left, gap 0.10) and 0.55 (right, gap 0.05).
    [Fact]
    public void Match_NearestVersusLeftFirst_DifferWhenRightIsCloser()
    {
        double[] d = [0.50, 0.40, 0.55];
        bool[] t = [true, false, false];
        Assert.Equal(2, NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions()).Pairs!.Single().Control);
        Assert.Equal(1, NearestNeighbourMatching.Match(d, t, new NearestNeighbourOptions(Neighbour: NeighbourRule.LeftFirst)).Pairs!.Single().Control);
    }
}
