namespace NQPF.Stages.Report;

/// <summary>How a table is laid out: a plain grid, or a regression table (coefficient rows with stars, SEs below).</summary>
public enum ReportTableKind
{
    Plain,
    Regression,
}

/// <summary>
/// A table as it is printed: already formatted cells (stars, parentheses, decimals, labels), so the HTML page, the Word
/// document and the workbook show the same numbers. <paramref name="Source"/> is the dataset it came from ("stage/name").
/// </summary>
public sealed record ReportTable(
    string Id,
    string Section,
    string Title,
    string Source,
    ReportTableKind Kind,
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string> Notes);

/// <summary>A figure as inline SVG, with the dataset it was drawn from.</summary>
public sealed record ReportFigure(string Id, string Title, string Source, string Svg, string Caption);

/// <summary>A report section: its tables and figures, or why it is empty (upstream stage not run yet).</summary>
public sealed record ReportSection(
    string Id,
    string Title,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<ReportFigure> Figures,
    IReadOnlyList<string> Paragraphs,
    string? Missing);
