using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>How a table is laid out: a plain grid, a regression table (models as columns), or the claims scorecard.</summary>
public enum ReportTableKind
{
    Plain,
    Regression,
    Scorecard,
}

/// <summary>
/// A table as it is printed, independent of the output format: already formatted cells (stars, parentheses, decimals,
/// labels in the configured language), so the page, the Word document, the LaTeX files and the workbook show the same
/// cells. <paramref name="Header"/> has one or more rows (regression tables: "(1) … (k)" then the column heads);
/// <paramref name="RulesBefore"/> lists body rows that get a thin rule above them (the statistics block of a
/// regression table); <paramref name="Links"/> maps a body row to the id of the table or figure it refers to.
/// <paramref name="Source"/> names the datasets it came from.
/// </summary>
public sealed record ReportTable(
    string Id,
    string Number,
    string Title,
    string Source,
    ReportTableKind Kind,
    IReadOnlyList<IReadOnlyList<string>> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string> Notes)
{
    public IReadOnlyList<int> RulesBefore { get; init; } = [];

    public IReadOnlyDictionary<int, string> Links { get; init; } = new Dictionary<int, string>();

    public int ColumnCount => Header.Count > 0 ? Header[0].Count : Rows.Count > 0 ? Rows[0].Count : 0;
}

/// <summary>A figure: the drawing as data (one model for every output), its number, caption and source datasets.</summary>
internal sealed record ReportFigure(string Id, string Number, string Title, string Caption, string Source, Figure Figure);

/// <summary>One block of a section, in reading order.</summary>
internal abstract record ReportBlock;

/// <summary>A paragraph; <paramref name="Style"/> is "text", "lead" (the question), "banner" (simulated data), "missing".</summary>
internal sealed record ParagraphBlock(string Text, string Style = "text") : ReportBlock;

internal sealed record TableBlock(ReportTable Table) : ReportBlock;

internal sealed record FigureBlock(ReportFigure Figure) : ReportBlock;

/// <summary>A report section: its blocks in order; appendix sections come after the results.</summary>
internal sealed record ReportSection(string Id, string Title, IReadOnlyList<ReportBlock> Blocks, bool Appendix = false)
{
    public IEnumerable<ReportTable> Tables => Blocks.OfType<TableBlock>().Select(b => b.Table);

    public IEnumerable<ReportFigure> Figures => Blocks.OfType<FigureBlock>().Select(b => b.Figure);
}

/// <summary>The whole report: title, language, whether the data are simulated, the refresh comparison if any, sections.</summary>
internal sealed record ReportModel(string Title, bool Chinese, bool Simulated, string? PreviousRunId, RunDiffResult? Diff,
    IReadOnlyList<ReportSection> Sections)
{
    public IEnumerable<ReportTable> Tables => Sections.SelectMany(s => s.Tables);

    public IEnumerable<ReportFigure> Figures => Sections.SelectMany(s => s.Figures);
}
