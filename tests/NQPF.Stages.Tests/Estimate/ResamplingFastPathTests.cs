using NQPF.Stages.Estimate;

namespace NQPF.Stages.Tests.Estimate;

/// <summary>
/// The heterogeneity permutation test and the mediation cluster bootstrap fit each draw from per-city sufficient
/// statistics (UnitBlockDesign); these tests hold them to the straightforward path (Regression.Fit on the masked or
/// stacked rows) draw for draw, on the balanced synthetic study and on one with gaps (where draws touching a city with a
/// missing value fall back to the direct fit). Tolerance 1e-10 relative: the two differ only in summation order.
/// </summary>
public sealed class ResamplingFastPathTests
{
    private static RegressionPanel Data(bool withGaps)
    {
        var inputs = EstimateStageTests.Inputs(seed: 5, cities: 60);
        if (withGaps)
        {
            var lnpgdp = inputs["clean/panel"].Doubles("lnpgdp");
            lnpgdp[3] = double.NaN;
            lnpgdp[250] = double.NaN;
        }
        var options = new EstimateOptions { Groupings = ["central"] };
        var panel = EstimatePanel.Build(inputs["index/index"], inputs["cohorts/treatment"], inputs["clean/panel"], inputs["cohorts/attributes"], options);
        return new RegressionPanel(panel, options);
    }

    private static void AssertSameDraws(double[] direct, double[] fast)
    {
        Assert.Equal(direct.Length, fast.Length);
        for (var b = 0; b < direct.Length; b++)
        {
            Assert.Equal(double.IsNaN(direct[b]), double.IsNaN(fast[b]));
            if (!double.IsNaN(direct[b])) Assert.True(Math.Abs(direct[b] - fast[b]) <= 1e-10 * Math.Max(1, Math.Abs(direct[b])), $"draw {b}: {direct[b]:R} vs {fast[b]:R}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PermutationDeltas_BlockStatisticsVersusMaskedFits_EqualDrawForDraw(bool withGaps)
    {
        var data = Data(withGaps);
        var groups = data.CityGroups("central");
        foreach (var t in data.Options.TreatmentList)
        {
            var direct = HeterogeneityTables.PermutationDeltas(data, t, groups, 77, 40, direct: true, CancellationToken.None);
            var fast = HeterogeneityTables.PermutationDeltas(data, t, groups, 77, 40, direct: false, CancellationToken.None);
            Assert.Contains(direct, d => !double.IsNaN(d));
            AssertSameDraws(direct, fast);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BootstrapIndirect_BlockStatisticsVersusStackedFits_EqualDrawForDraw(bool withGaps)
    {
        var data = Data(withGaps);
        var t = data.Options.TreatmentList[0];
        var m = data.Options.MediatorList[0];
        var direct = MechanismTables.BootstrapIndirect(data, t, m, 99, 30, direct: true, CancellationToken.None);
        var fast = MechanismTables.BootstrapIndirect(data, t, m, 99, 30, direct: false, CancellationToken.None);
        Assert.Contains(direct, d => !double.IsNaN(d));
        AssertSameDraws(direct, fast);
    }
}
