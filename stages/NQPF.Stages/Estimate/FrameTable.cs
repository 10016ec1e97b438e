using System.Globalization;
using System.Text;

namespace NQPF.Stages.Estimate;

/// <summary>Renders a small result frame (test statistics, mediation) as Markdown, LaTeX and CSV documents, doubles to 4 decimals (p-values 3 significant digits).</summary>
internal sealed record FrameTable(string Name, string Title, Frame Frame, IReadOnlyList<string> Notes)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public IReadOnlyList<string[]> Grid()
    {
        var grid = new List<string[]> { Frame.Columns.Select(c => c.Name).ToArray() };
        for (var i = 0; i < Frame.RowCount; i++)
            grid.Add(Frame.Columns.Select(c => Cell(c, i)).ToArray());
        return grid;
    }

    private static string Cell(Column c, int i) => c switch
    {
        DoubleColumn d when double.IsNaN(d.Values[i]) => "",
        DoubleColumn d when c.Name.StartsWith('p') || c.Name.EndsWith("_p", StringComparison.Ordinal) => d.Values[i].ToString("G3", Inv),
        DoubleColumn d => d.Values[i].ToString("F4", Inv),
        LongColumn l => l.Values[i].ToString(Inv),
        StringColumn s => s.Values[i] ?? "",
        BoolColumn b => b.Values[i] ? "yes" : "no",
        _ => "",
    };

    public IEnumerable<StageDocument> Documents()
    {
        var grid = Grid();
        var md = new StringBuilder().Append("## ").AppendLine(Title).AppendLine();
        md.AppendLine("| " + string.Join(" | ", grid[0].Select(RegressionTable.EscapeMarkdown)) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", grid[0].Length)));
        foreach (var row in grid.Skip(1)) md.AppendLine("| " + string.Join(" | ", row.Select(RegressionTable.EscapeMarkdown)) + " |");
        md.AppendLine();
        foreach (var n in Notes) md.Append("- ").AppendLine(RegressionTable.EscapeMarkdown(n));

        var tex = new StringBuilder().AppendLine("\\begin{table}[htbp]\\centering");
        tex.Append("\\caption{").Append(RegressionTable.EscapeLatex(Title)).AppendLine("}");
        tex.Append("\\begin{tabular}{").Append('l', grid[0].Length).AppendLine("}").AppendLine("\\hline\\hline");
        for (var i = 0; i < grid.Count; i++)
        {
            tex.Append(string.Join(" & ", grid[i].Select(RegressionTable.EscapeLatex))).AppendLine(" \\\\");
            if (i == 0) tex.AppendLine("\\hline");
        }
        tex.AppendLine("\\hline\\hline").AppendLine("\\end{tabular}").AppendLine("\\begin{flushleft}\\footnotesize");
        foreach (var n in Notes) tex.Append(RegressionTable.EscapeLatex(n)).AppendLine("\\\\");
        tex.AppendLine("\\end{flushleft}").AppendLine("\\end{table}");

        var csv = new StringBuilder();
        foreach (var row in grid) csv.AppendLine(string.Join(",", row.Select(RegressionTable.Csv)));
        foreach (var n in Notes) csv.AppendLine(RegressionTable.Csv(n));

        return
        [
            new StageDocument(Name + ".md", Encoding.UTF8.GetBytes(md.ToString())),
            new StageDocument(Name + ".tex", Encoding.UTF8.GetBytes(tex.ToString())),
            new StageDocument(Name + ".csv", Encoding.UTF8.GetBytes(csv.ToString())),
        ];
    }
}
