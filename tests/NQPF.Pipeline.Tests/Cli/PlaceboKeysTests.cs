using System.Globalization;
using NQPF.Econometrics.Placebo;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Analysis;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>
/// The placebo analysis codes its units by value (each distinct id once) and orders them numerically when every id is
/// a number: the same draws whether the unit column is read as doubles, as whole numbers or as the ids' texts, on the
/// 275 × 11 timing panel with fixest's first 50 assignments (unit k's cohort in column X&lt;k&gt;, units in numeric
/// order; the verb's end-to-end test checks all 1000 against fixest), and with ids relabelled so that numeric order,
/// text order and order of appearance all differ.
/// </summary>
public sealed class PlaceboKeysTests
{
    private static readonly PlaceboAnalysisSpec Spec = new("y", ["x1", "x2", "x3", "x4", "x5", "x6"], ["unit", "year"], "unit", "unit", "year",
        "cohort", PlaceboKind.Unit, 1, 1);

    private static async Task<(Frame Panel, AssignmentTable Draws)> LoadAsync()
    {
        var panel = await TableFiles.ReadAsync(ReferenceFiles.Dataset("timing_panel_275x11.csv"), CancellationToken.None);
        var all = await TableFiles.ReadAsync(ReferenceFiles.Expected("timing_permutations.csv"), CancellationToken.None);
        var first = new Frame(all.Columns.Select(c => (Column)new DoubleColumn(c.Name, ((DoubleColumn)c).Values[..50])));
        return (panel, new AssignmentTable(first, "timing_permutations.csv"));
    }

    private static Frame WithUnit(Frame frame, Column unit) => new(frame.Columns.Select(c => c.Name == "unit" ? unit : c));

    private static (double, double, double)[] Draws(Frame frame, AssignmentTable draws)
    {
        var result = PlaceboAnalysis.Run(frame, Spec, draws);
        return [(result.Real.Estimate, result.Real.Se, result.Real.P), .. result.Draws.Select(d => (d.Estimate, d.Se, d.P))];
    }

    [Fact]
    public async Task Run_UnitAsDoublesLongsOrTexts_SameDraws()
    {
        var (panel, draws) = await LoadAsync();
        var ids = panel.Doubles("unit");
        var expected = Draws(panel, draws);
        Assert.Equal(expected, Draws(WithUnit(panel, new LongColumn("unit", Array.ConvertAll(ids, v => (long)v))), draws));
        Assert.Equal(expected, Draws(WithUnit(panel, new StringColumn("unit", Array.ConvertAll(ids, v => (string?)v.ToString("R", CultureInfo.InvariantCulture)))), draws));
    }

    [Fact]
    public async Task Run_RelabelledIdsInTheSameNumericOrder_SameDraws()
    {
        // Unit k becomes 10·k + 0.5 (texts "10.5", "20.5", … "2750.5": ordinal order is not numeric order), rows reversed
        // (order of appearance is descending): numeric order is still k's, so the draws must not change.
        var (panel, draws) = await LoadAsync();
        var expected = Draws(panel, draws);
        var relabelled = WithUnit(panel, new DoubleColumn("unit", Array.ConvertAll(panel.Doubles("unit"), v => 10 * v + 0.5)));
        var n = relabelled.RowCount;
        var reversed = new Frame(relabelled.Columns.Select(c => (Column)new DoubleColumn(c.Name, Enumerable.Range(0, n).Select(i => ((DoubleColumn)c).Values[n - 1 - i]).ToArray())));
        var actual = Draws(reversed, draws);
        Assert.Equal(expected.Length, actual.Length);
        for (int b = 0; b < expected.Length; b++)
            Assert.Equal(expected[b].Item1, actual[b].Item1, 1e-12);
    }
}
