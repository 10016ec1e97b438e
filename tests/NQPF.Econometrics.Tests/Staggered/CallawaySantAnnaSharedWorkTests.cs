using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Callaway–Sant'Anna estimates its (g, t) cells in parallel and fits each distinct propensity-score design once
/// (PropensityCache). These tests rebuild every cell the straightforward way — its own 2×2 sample, its own logit, one
/// cell after another — and require the same ATT, SE and influence function to the last bit, on the 2,000-unit timing
/// panel (time-invariant covariate x, so the never-treated cells of a cohort share one design) with both control groups.
/// </summary>
public sealed class CallawaySantAnnaSharedWorkTests
{
    private static BalancedPanel Panel()
    {
        var cols = ReferenceData.ReadCsv("staggered_2000x10.csv");
        return StaggeredPanel.Create(cols["id"], ReferenceData.Longs(cols["t"]), ReferenceData.Longs(cols["g"]), ReferenceData.Doubles(cols["y"]),
            new Dictionary<string, double[]> { ["x"] = ReferenceData.Doubles(cols["x"]) }).Balance();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Estimate_SharedAndParallelCells_EqualCellByCellStraightforwardFits(bool notYetTreated, bool ipw)
    {
        var control = notYetTreated ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated;
        var method = ipw ? CsMethod.Ipw : CsMethod.Dr;
        var panel = Panel();
        var result = CallawaySantAnna.Estimate(panel, new CsSettings { Control = control, Method = method, Covariates = ["x"] });
        int n = panel.N, T = panel.T;
        var x = panel.Covariates["x"];
        for (int c = 0; c < result.Cells.Count; c++)
        {
            var cell = result.Cells[c];
            int tIdx = Array.IndexOf(panel.Periods, cell.Time), pret = Array.IndexOf(panel.Periods, cell.BasePeriod);
            var members = Enumerable.Range(0, n).Where(i => panel.Cohort[i] == cell.Group || (control == ControlGroup.NeverTreated
                ? panel.Cohort[i] == 0
                : panel.Cohort[i] == 0 || panel.Cohort[i] > Math.Max(cell.Time, cell.BasePeriod))).ToArray();
            var deltaY = members.Select(i => panel.Y[i * T + tIdx] - panel.Y[i * T + pret]).ToArray();
            var d = members.Select(i => panel.Cohort[i] == cell.Group ? 1.0 : 0.0).ToArray();
            var design = members.SelectMany(i => new[] { 1.0, x[i * T + Math.Min(tIdx, pret)] }).ToArray();
            var two = DrDidPanel.Estimate(method, deltaY, d, design, 2, new CsSettings().TrimLevel);

            Assert.Equal(two.Att, cell.Att);
            var column = new double[n];
            for (int j = 0; j < members.Length; j++) column[members[j]] = (double)n / members.Length * two.InfluenceFunction[j];
            Assert.Equal(column, result.Influence.AsSpan(c * n, n).ToArray());
            Assert.Equal(CallawaySantAnna.AnalyticSe(column), cell.Se);
        }
    }
}
