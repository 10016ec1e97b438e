using System.Globalization;
using System.Text.RegularExpressions;

namespace NQPF.Stages.Report;

/// <summary>A coefficient as a table prints it: estimate (stars from p) and its standard error beneath.</summary>
internal sealed record Coefficient(double Estimate, double Se, double P);

/// <summary>A block of coefficient rows, optionally under a panel title ("Panel A: Broadband China").</summary>
internal sealed record RegressionPanel(string? Title, IReadOnlyList<string> Terms);

/// <summary>A labelled row of already formatted cells, one per model column.</summary>
internal sealed record GridRow(string Label, IReadOnlyList<string> Cells);

/// <summary>
/// A regression table before layout: models as columns (one or more rows of column heads, e.g. the pilot above the
/// subgroup), coefficient cells keyed by (panel, column, term) with rows printed under a coefficient's SE
/// (<see cref="BelowTerm"/>), then rows printed as they are (controls, tests) and the
/// statistics block (fixed effects, N, R², clusters).
/// </summary>
internal sealed record RegressionGrid(
    IReadOnlyList<IReadOnlyList<string>> Heads,
    IReadOnlyList<RegressionPanel> Panels,
    IReadOnlyDictionary<(int Panel, int Column, string Term), Coefficient> Cells,
    IReadOnlyList<GridRow> Extra,
    IReadOnlyList<GridRow> Stats)
{
    /// <summary>Rows printed under a coefficient's SE, keyed by (panel, term): e.g. its analytic and wild-bootstrap p-values.</summary>
    public IReadOnlyDictionary<(int Panel, string Term), IReadOnlyList<GridRow>> BelowTerm { get; init; } =
        new Dictionary<(int Panel, string Term), IReadOnlyList<GridRow>>();
}

/// <summary>
/// Publication layout of a regression table, as fixest's etable and Stata's esttab print it: a header row
/// "(1) … (k)" and a row of column heads; each key term's coefficient with stars and its SE in parentheses on the row
/// beneath; then the rows printed as they are (controls collapsed to "Yes"/"No", tests) and, under a thin rule, the
/// statistics (City FE, Year FE, N, R², within R², clusters). One note carries the SE recipe and the star levels.
/// </summary>
internal sealed partial class RegressionLayout(ReportOptions options, ReportLabels labels)
{
    public ReportTable Build(string id, string number, string title, string source, RegressionGrid grid, IEnumerable<string> notes)
    {
        var k = grid.Heads[0].Count;
        IReadOnlyList<string> numbers = ["", .. Enumerable.Range(1, k).Select(i => "(" + i.ToString(CultureInfo.InvariantCulture) + ")")];
        IReadOnlyList<IReadOnlyList<string>> header = [numbers, .. grid.Heads.Select(h => (IReadOnlyList<string>)["", .. h])];
        var rows = new List<IReadOnlyList<string>>();
        var rules = new List<int>();
        for (var p = 0; p < grid.Panels.Count; p++)
        {
            var panel = grid.Panels[p];
            if (panel.Title is not null)
            {
                if (rows.Count > 0)
                    rules.Add(rows.Count);
                rows.Add([panel.Title, .. Enumerable.Repeat("", k)]);
            }
            foreach (var term in panel.Terms)
            {
                var cells = Enumerable.Range(0, k).Select(c => grid.Cells.GetValueOrDefault((p, c, term))).ToList();
                rows.Add([labels[term], .. cells.Select(c => c is null ? "" : Estimate(c))]);
                rows.Add(["", .. cells.Select(c => c is null ? "" : Se(c.Se))]);
                rows.AddRange(grid.BelowTerm.GetValueOrDefault((p, term), []).Select(r => (IReadOnlyList<string>)[r.Label, .. r.Cells]));
            }
        }
        if (grid.Extra.Count > 0)
            rules.Add(rows.Count);
        rows.AddRange(grid.Extra.Select(r => (IReadOnlyList<string>)[r.Label, .. r.Cells]));
        rules.Add(rows.Count);
        rows.AddRange(grid.Stats.Select(r => (IReadOnlyList<string>)[r.Label, .. r.Cells]));
        return new ReportTable(id, number, title, source, ReportTableKind.Regression, header, rows, [.. notes])
        {
            RulesBefore = rules.Distinct().Where(r => r > 0 && r < rows.Count).ToList(),
        };
    }

    /// <summary>Coefficient with one star per <see cref="ReportOptions.StarLevels"/> threshold its p is below.</summary>
    public string Estimate(Coefficient c) => Number(c.Estimate) + Stars(c.P);

    public string Se(double se) => double.IsFinite(se) ? "(" + Number(se) + ")" : "";

    public string Stars(double p) => double.IsNaN(p) ? "" : new string('*', options.StarLevels.Count(l => p < l));

    public string Number(double value) =>
        double.IsNaN(value) ? "" : value.ToString("F" + options.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"Standard errors in parentheses; * p&lt;0.1, ** p&lt;0.05, *** p&lt;0.01." in the configured language.</summary>
    public string StarNote() => labels["note.stars"] + " " + string.Join(", ", options.StarLevels.Select((l, i) =>
        new string('*', i + 1) + " p<" + l.ToString(CultureInfo.InvariantCulture))) + ".";

    /// <summary>
    /// One SE note for a table: the distinct SE recipes of its models with the model-specific numbers (N, K, the
    /// small-sample factor) left out, so models that differ only in K share one recipe; then the star levels.
    /// </summary>
    public string RecipeNote(IEnumerable<string?> recipes)
    {
        var distinct = recipes.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Generic(r!)).Distinct(StringComparer.Ordinal).ToList();
        var text = distinct.Count == 0 ? "" : (labels["note.se"] + " " + string.Join(" / ", distinct)).Trim() + " ";
        return text + StarNote();
    }

    private static string Generic(string recipe) =>
        TDf().Replace(ModelNumbers().Replace(recipe, ""), "t df = G−1").Replace(" ;", ";", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@" = [0-9.]+ with (N = \d+, )?K = \d+|N = \d+, | \(G = \d+\)")]
    private static partial Regex ModelNumbers();

    [GeneratedRegex(@"t df = \d+")]
    private static partial Regex TDf();
}
