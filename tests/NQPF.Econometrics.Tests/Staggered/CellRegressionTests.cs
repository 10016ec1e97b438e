using System.Globalization;
using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// The cell-table fit of the event-time regressions (<see cref="CellRegression"/>) against the dense fit it replaces on
/// complete panels (<see cref="StaggeredRegression.DenseFit"/>: every dummy a column, demeaned and regressed by the econ
/// API): the same terms, dropped terms, N and SE recipe, and every coefficient and vcov entry equal to rounding
/// (|Δ| ≤ 1e-12 · (1 + |value|); the two differ only in the order of their sums). Samples that are not a complete
/// cross, or dummies that differ within a cell, must be refused so the dense fit runs.
/// </summary>
public sealed class CellRegressionTests
{
    /// <summary>A random staggered panel: cohorts 3, 5, 7 and (optionally) never treated, unit effects, cohort-specific dynamic effects.</summary>
    private static StaggeredPanel Panel(int units, int periods, int seed, bool neverTreated = true, bool provinces = false, bool gap = false)
    {
        var rng = new Random(seed);
        long[] cohorts = neverTreated ? [0, 3, 5, 7] : [3, 5, 7];
        var unit = new List<string>();
        var period = new List<long>();
        var cohort = new List<long>();
        var y = new List<double>();
        var cluster = new List<string?>();
        for (int i = 0; i < units; i++)
        {
            long g = cohorts[rng.Next(cohorts.Length)];
            double alpha = rng.NextDouble() * 4 - 2;
            for (int t = 1; t <= periods; t++)
            {
                if (gap && i == 1 && t == 4) continue;
                unit.Add("u" + i.ToString("D3", CultureInfo.InvariantCulture));
                period.Add(t);
                cohort.Add(g);
                y.Add(alpha + 0.2 * t + (g > 0 && t >= g ? 1 + 0.3 * (t - g) + 0.1 * g : 0) + rng.NextDouble() * 2 - 1);
                cluster.Add("p" + (i % 7).ToString(CultureInfo.InvariantCulture));
            }
        }
        return StaggeredPanel.Create(unit, [.. period], [.. cohort], [.. y], clusters: provinces ? cluster : null, unitName: "id", clusterName: "province");
    }

    private static (long E, long Cohort)? SunAbrahamCell(long g, long t, long? reference) =>
        g == 0 || g == reference || t - g == -1 ? null : (t - g, g);

    private static (long E, long Cohort)? EventCell(long g, long t, long lo, long hi) =>
        g == 0 || Math.Clamp(t - g, lo, hi) == -1 ? null : (Math.Clamp(t - g, lo, hi), 0L);

    private static EventFit AssertSameFit(StaggeredPanel panel, Func<long, long, (long E, long Cohort)?> cell, bool[]? include = null)
    {
        var dummies = CellDummies.Create(panel, include, cell);
        var names = dummies.Keys.Select(k => StaggeredRegression.CohortTerm(k.Cohort, k.E)).ToArray();
        var dense = StaggeredRegression.DenseFit(panel, names, dummies.ObsColumn, include);
        var cells = CellRegression.TryFit(panel, names, dummies.ObsColumn, include);
        Assert.NotNull(cells);
        Assert.Equal(dense.Terms, cells.Terms);
        Assert.Equal(dense.DroppedCollinear, cells.DroppedCollinear);
        Assert.Equal(dense.N, cells.N);
        Assert.Equal(dense.Vcov.Recipe.Describe(), cells.Vcov.Recipe.Describe());
        for (int j = 0; j < dense.Coefficients.Length; j++)
            Assert.True(Math.Abs(dense.Coefficients[j] - cells.Coefficients[j]) <= 1e-12 * (1 + Math.Abs(dense.Coefficients[j])),
                $"{dense.Terms[j]}: {dense.Coefficients[j]:R} vs {cells.Coefficients[j]:R}");
        for (int j = 0; j < dense.Vcov.Matrix.Length; j++)
            Assert.True(Math.Abs(dense.Vcov.Matrix[j] - cells.Vcov.Matrix[j]) <= 1e-12 * (1 + Math.Abs(dense.Vcov.Matrix[j])),
                $"vcov entry {j}: {dense.Vcov.Matrix[j]:R} vs {cells.Vcov.Matrix[j]:R}");
        return dense;
    }

    [Theory]
    [InlineData(120, 9, 1, false)]
    [InlineData(45, 8, 2, false)]
    [InlineData(200, 10, 3, true)]
    public void TryFit_SunAbrahamNeverTreated_EqualsDenseFit(int units, int periods, int seed, bool provinces) =>
        Assert.NotEmpty(AssertSameFit(Panel(units, periods, seed, provinces: provinces), (g, t) => SunAbrahamCell(g, t, null)).Terms);

    [Fact]
    public void TryFit_SunAbrahamLastTreatedWithDroppedPeriods_EqualsDenseFit()
    {
        var panel = Panel(150, 10, 4);
        var include = panel.ObsPeriod.Select(p => panel.Periods[p] < 7).ToArray();
        AssertSameFit(panel, (g, t) => SunAbrahamCell(g, t, 7), include);
    }

    [Theory]
    [InlineData(true, -9, 9)]
    [InlineData(true, -3, 2)]
    [InlineData(false, -9, 9)]
    public void TryFit_EventStudy_EqualsDenseFitIncludingCollinearDrops(bool neverTreated, long lo, long hi)
    {
        // Without never-treated units and without binning, the event-time dummies are collinear with the fixed effects:
        // both fits must drop the same ones.
        var panel = Panel(90, 10, 5, neverTreated);
        var fit = AssertSameFit(panel, (g, t) => EventCell(g, t, lo, hi));
        Assert.Equal(!neverTreated, fit.DroppedCollinear.Count > 0);
    }

    [Fact]
    public void TryFit_PanelWithGap_IsRefusedAndTheEstimatorTakesTheDenseFit()
    {
        var panel = Panel(60, 8, 6, gap: true);
        var dummies = CellDummies.Create(panel, null, (g, t) => SunAbrahamCell(g, t, null));
        var names = dummies.Keys.Select(k => StaggeredRegression.CohortTerm(k.Cohort, k.E)).ToArray();
        Assert.Null(CellRegression.TryFit(panel, names, dummies.ObsColumn, null));
        var dense = StaggeredRegression.DenseFit(panel, names, dummies.ObsColumn, null);
        var chosen = StaggeredRegression.Fit(panel, names, dummies.ObsColumn, null);
        Assert.Equal(dense.Coefficients, chosen.Coefficients);
        Assert.Equal(dense.Vcov.Matrix, chosen.Vcov.Matrix);
    }

    [Fact]
    public void TryFit_DummyNotConstantWithinCell_IsRefused()
    {
        var panel = Panel(40, 6, 7);
        var obsColumn = new int[panel.ObservationCount];
        for (int o = 0; o < obsColumn.Length; o++) obsColumn[o] = panel.ObsUnit[o] % 2 == 0 && panel.ObsPeriod[o] == 3 ? 0 : -1;
        Assert.Null(CellRegression.TryFit(panel, ["odd"], obsColumn, null));
    }
}
