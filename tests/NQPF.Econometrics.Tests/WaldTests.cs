namespace NQPF.Econometrics.Tests;

/// <summary>Wald tests on the timing panel fit (fixest 0.14.2 conventions: F on (q, t df) with the model's clustered vcov).</summary>
public sealed class WaldTests
{
    private static readonly Dictionary<string, double[]> Panel = ReferenceData.ReadCsv("timing_panel_275x11.csv");
    private static readonly Factor Unit = Factor.FromDoubles("unit", Panel["unit"]);

    private static RegressionResult Result() => Inference.Summarise(Regression.Fit(new RegressionInput("y", Panel["y"],
        [new("treat_post", Panel["treat_post"]), new("x1", Panel["x1"]), new("x2", Panel["x2"])],
        [Unit, Factor.FromDoubles("year", Panel["year"])])), VcovSpec.Cluster(Unit));

    [Fact]
    public void Test_SingleZeroRestriction_EqualsSquaredTAndItsPValue()
    {
        var r = Result();
        var w = Wald.Test(r, [new Dictionary<string, double> { ["treat_post"] = 1 }], [0], "treat_post = 0");
        var row = r["treat_post"];
        ReferenceData.AssertRelative(row.T * row.T, w.F, 1e-12, "F = t²");
        ReferenceData.AssertRelative(row.P, w.FP, 1e-9, "p(F) = p(t)");
        Assert.Equal(274, w.FDf2);
    }

    [Fact]
    public void Equal_TwoCoefficients_MatchesHandComputedStatistic()
    {
        var r = Result();
        var w = Wald.Equal(r, "x1", "x2");
        var v = r.Vcov.Matrix;
        var k = r.Vcov.Dimension;
        var diff = r.Fit.Coefficient("x1") - r.Fit.Coefficient("x2");
        var variance = v[1 * k + 1] + v[2 * k + 2] - 2 * v[1 * k + 2];
        ReferenceData.AssertRelative(diff * diff / variance, w.Chi2, 1e-10, "W");
        ReferenceData.AssertRelative(diff, w.Difference[0], 1e-12, "difference");
        Assert.True(w.ChiP < 1e-10);
    }

    [Fact]
    public void Test_JointRestrictions_ChiSquareIsQTimesF()
    {
        var r = Result();
        var w = Wald.Test(r, [new Dictionary<string, double> { ["x1"] = 1 }, new Dictionary<string, double> { ["x2"] = 1 }], [0.5, -0.3], "x1 = 0.5, x2 = -0.3");
        Assert.Equal(2, w.Restrictions);
        ReferenceData.AssertRelative(2 * w.F, w.Chi2, 1e-14, "W = qF");
        Assert.InRange(w.FP, 0, 1);
    }
}
