using System.Globalization;
using System.Text;
using NQPF.Econometrics;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Estimate;

/// <summary>One model (column) of a regression table, with its extra rows (e.g. "Controls" → "Yes").</summary>
internal sealed record TableColumn(string Label, RegressionResult Result, IReadOnlyList<KeyValuePair<string, string>> Rows);

/// <summary>
/// A publication-style regression table: coefficients with stars (* p&lt;0.1, ** p&lt;0.05, *** p&lt;0.01), SEs in
/// parentheses, the extra rows (controls, FE, tests), N, R², within R², and footnotes with every SE recipe used and
/// the data note. Rendered as a Frame (long: one row per model × term), Markdown, LaTeX and CSV.
/// </summary>
internal sealed record RegressionTable(string Name, string Title, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> ShownTerms, IReadOnlyList<string> Notes)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Stars(double p) => p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";

    /// <summary>
    /// Long form: table, model, label, outcome, term, key_term (the term is one the published table shows — a policy
    /// term, not a control), estimate, se, t, p, ci_low, ci_high, n, r2, r2_within, k, clusters, t_df, vcov.
    /// </summary>
    public Frame ToFrame()
    {
        var rows = Columns.SelectMany((c, m) => c.Result.Coefficients.Select(r => (Model: m + 1, Column: c, Row: r))).ToList();
        return new Frame(
            Text("table", rows, _ => Name),
            Long("model", rows, r => (long)r.Model),
            Text("label", rows, r => r.Column.Label),
            Text("outcome", rows, r => r.Column.Result.Fit.OutcomeName),
            Text("term", rows, r => r.Row.Term),
            Bool("key_term", rows, r => ShownTerms.Contains(r.Row.Term)),
            Double("estimate", rows, r => r.Row.Estimate),
            Double("se", rows, r => r.Row.Se),
            Double("t", rows, r => r.Row.T),
            Double("p", rows, r => r.Row.P),
            Double("ci_low", rows, r => r.Row.CiLow),
            Double("ci_high", rows, r => r.Row.CiHigh),
            Long("n", rows, r => (long)r.Column.Result.Fit.N),
            Double("r2", rows, r => r.Column.Result.Fit.R2),
            Double("r2_within", rows, r => r.Column.Result.Fit.R2Within),
            Long("k", rows, r => (long)r.Column.Result.Vcov.Recipe.K),
            Long("clusters", rows, r => (long)r.Column.Result.Vcov.Recipe.ClusterCounts.DefaultIfEmpty(0).Min()),
            Double("t_df", rows, r => r.Column.Result.Vcov.Recipe.TDf),
            Text("vcov", rows, r => r.Column.Result.Vcov.Recipe.Describe()));
    }

    /// <summary>The displayed grid: header rows, then body rows; first cell of each row is its label.</summary>
    public IReadOnlyList<string[]> Grid()
    {
        var grid = new List<string[]>
        {
            Row("", Columns.Select((_, i) => "(" + (i + 1).ToString(Inv) + ")")),
            Row("", Columns.Select(c => c.Label)),
        };
        foreach (var term in ShownTerms)
        {
            var present = Columns.Any(c => c.Result.Coefficients.Any(r => r.Term == term));
            if (!present) continue;
            grid.Add(Row(term, Columns.Select(c => Find(c, term) is { } r ? r.Estimate.ToString("F4", Inv) + Stars(r.P) : "")));
            grid.Add(Row("", Columns.Select(c => Find(c, term) is { } r ? "(" + r.Se.ToString("F4", Inv) + ")" : "")));
        }
        var extraNames = Columns.SelectMany(c => c.Rows.Select(r => r.Key)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in extraNames)
            grid.Add(Row(name, Columns.Select(c => c.Rows.FirstOrDefault(r => r.Key == name).Value ?? "")));
        var feNames = Columns.SelectMany(c => c.Result.Fit.FixedEffects.Factors.Select(f => f.Name)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var fe in feNames)
            grid.Add(Row(FeLabel(fe), Columns.Select(c => c.Result.Fit.FixedEffects.Factors.Any(f => f.Name == fe) ? "Yes" : "No")));
        grid.Add(Row("N", Columns.Select(c => c.Result.Fit.N.ToString(Inv))));
        grid.Add(Row("R²", Columns.Select(c => c.Result.Fit.R2.ToString("F4", Inv))));
        grid.Add(Row("Within R²", Columns.Select(c => double.IsNaN(c.Result.Fit.R2Within) ? "" : c.Result.Fit.R2Within.ToString("F4", Inv))));
        return grid;
    }

    /// <summary>Footnotes: SE convention, every distinct SE recipe, the table's notes (data note last).</summary>
    public IReadOnlyList<string> Footnotes()
    {
        var notes = new List<string> { "Standard errors in parentheses. * p<0.1, ** p<0.05, *** p<0.01." };
        var recipes = Columns.Select((c, i) => (Recipe: RecipeText(c.Result.Vcov.Recipe), Model: i + 1))
            .GroupBy(x => x.Recipe, StringComparer.Ordinal).ToList();
        foreach (var g in recipes)
            notes.Add(recipes.Count == 1 ? g.Key : $"{(g.Count() == 1 ? "Model" : "Models")} {string.Join(", ", g.Select(x => x.Model.ToString(Inv)))}: {g.Key}");
        notes.AddRange(Notes);
        return notes;
    }

    /// <summary>The recipe without N (which varies by model): type, clusters, K, factor, t df.</summary>
    private static string RecipeText(VcovRecipe r) => r.Describe(withN: false);

    public string ToMarkdown()
    {
        var grid = Grid();
        var sb = new StringBuilder();
        sb.Append("## ").AppendLine(Title).AppendLine();
        sb.AppendLine("| " + string.Join(" | ", grid[0]) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", grid[0].Length)));
        foreach (var row in grid.Skip(1)) sb.AppendLine("| " + string.Join(" | ", row.Select(EscapeMarkdown)) + " |");
        sb.AppendLine();
        foreach (var note in Footnotes()) sb.Append("- ").AppendLine(EscapeMarkdown(note));
        return sb.ToString();
    }

    public string ToLatex()
    {
        var grid = Grid();
        var sb = new StringBuilder();
        sb.AppendLine("\\begin{table}[htbp]\\centering");
        sb.Append("\\caption{").Append(EscapeLatex(Title)).AppendLine("}");
        sb.Append("\\begin{tabular}{l").Append('c', grid[0].Length - 1).AppendLine("}");
        sb.AppendLine("\\hline\\hline");
        for (var i = 0; i < grid.Count; i++)
        {
            sb.Append(string.Join(" & ", grid[i].Select(EscapeLatex))).AppendLine(" \\\\");
            if (i == 1) sb.AppendLine("\\hline");
        }
        sb.AppendLine("\\hline\\hline");
        sb.AppendLine("\\end{tabular}");
        sb.AppendLine("\\begin{flushleft}\\footnotesize");
        foreach (var note in Footnotes()) sb.Append(EscapeLatex(note)).AppendLine("\\\\");
        sb.AppendLine("\\end{flushleft}");
        sb.AppendLine("\\end{table}");
        return sb.ToString();
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        foreach (var row in Grid()) sb.AppendLine(string.Join(",", row.Select(Csv)));
        foreach (var note in Footnotes()) sb.AppendLine(Csv(note));
        return sb.ToString();
    }

    /// <summary>name.md, name.tex, name.csv.</summary>
    public IEnumerable<StageDocument> Documents() =>
    [
        new(Name + ".md", Encoding.UTF8.GetBytes(ToMarkdown())),
        new(Name + ".tex", Encoding.UTF8.GetBytes(ToLatex())),
        new(Name + ".csv", Encoding.UTF8.GetBytes(ToCsv())),
    ];

    private static CoefficientRow? Find(TableColumn c, string term) => c.Result.Coefficients.FirstOrDefault(r => r.Term == term);

    private static string FeLabel(string fe) => fe switch
    {
        EstimatePanel.City => "City FE",
        EstimatePanel.Year => "Year FE",
        _ => fe + " FE",
    };

    private static string[] Row(string label, IEnumerable<string> cells) => [label, .. cells];

    internal static string EscapeMarkdown(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    internal static string EscapeLatex(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            sb.Append(ch switch
            {
                '\\' => "\\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + ch,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                '²' => "$^2$",
                '−' => "$-$",
                '·' => "$\\cdot$",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    internal static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
