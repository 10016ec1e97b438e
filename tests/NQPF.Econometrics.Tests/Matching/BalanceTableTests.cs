using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

public class BalanceTableTests
{
    // Reference: balance_1to1_noreplace in expected/psm_lalonde.json, MatchIt 4.5.1 summary(m.out)$sum.all / sum.matched
    // "Std. Mean Diff." (denominator: SD of the treated in the full sample). Tolerance 1e-9.
    [Fact]
    public void Compute_LalondeOneToOne_MatchesMatchItStandardisedMeanDifferences()
    {
        var fit = LalondeFixture.Fit;
        var match = NearestNeighbourMatching.Match(fit.Fitted, LalondeFixture.Treated, new NearestNeighbourOptions(Neighbour: NeighbourRule.LeftFirst));
        var names = new[] { "distance" }.Concat(LalondeFixture.Covariates).ToArray();
        var cols = new[] { fit.Fitted }.Concat(LalondeFixture.Covariates.Select(c => LalondeFixture.Data[c])).ToArray();
        var rows = BalanceTable.Compute(names, cols, LalondeFixture.Treated, match.Weights);
        var reference = ReferenceData.Json("expected/psm_lalonde.json").GetProperty("balance_1to1_noreplace");
        foreach (var row in rows)
        {
            Assert.Equal(reference.GetProperty("before").GetProperty(row.Variable).GetDouble(), row.SmdBefore, 1e-9);
            Assert.Equal(reference.GetProperty("after").GetProperty(row.Variable).GetDouble(), row.SmdAfter, 1e-9);
        }
    }

    // Hand case. x: treated {1, 3}, controls {0, 2, 4, 10}; weights after: treated 1, 1; controls 2, 0, 0, 0 (mean_c 0).
    // Before: means 2 and 4; s²_t = 2, s²_c = 18.6667; bias = 100·(−2)/√10.3333 = −62.2171; pooled t: s² = (2 + 56)/4 = 14.5,
    // t = −2/√(14.5·(1/2 + 1/4)) = −0.60648. After: means 2 and 0; SMD = 2/√2; iw regression: Σw = 4, df = 2,
    // s² = (2 + 0)/2 = 1, t = 2/√(1·(1/2 + 1/2)) = 2.
    [Fact]
    public void Compute_HandCase_BiasAndTTests()
    {
        double[] x = [1, 3, 0, 2, 4, 10];
        bool[] t = [true, true, false, false, false, false];
        double[] w = [1, 1, 2, 0, 0, 0];
        var row = BalanceTable.Compute(["x"], [x], t, w).Single();
        Assert.Equal(-2 / Math.Sqrt(2), row.SmdBefore, 1e-14);
        Assert.Equal(100 * -2 / Math.Sqrt((2 + 56.0 / 3) / 2), row.BiasBefore, 1e-12);
        Assert.Equal(-2 / Math.Sqrt(14.5 * 0.75), row.TBefore, 1e-12);
        Assert.Equal(2 / Math.Sqrt(2), row.SmdAfter, 1e-14);
        Assert.Equal(2.0, row.TAfter, 1e-12);
        Assert.Equal(2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, 2, -2), row.PAfter, 1e-12);
        Assert.Equal(100 * (1 - 1.0), row.BiasReduction, 1e-12);
    }
}
