namespace NQPF.Stages.Simulation;

/// <summary>How a simulated file is written: Excel workbook, or CSV in one of the encodings yearbooks arrive in.</summary>
internal enum SimFormat
{
    Xlsx,
    CsvUtf8Bom,
    CsvGb18030,
}

/// <summary>A cell: text (labels, markers, numbers with thousands separators) or a number (written as a numeric
/// Excel cell; CSV prints it with invariant culture).</summary>
internal readonly record struct SimCell(string? Text, double? Number)
{
    public static SimCell Of(string? text) => new(text, null);

    public static SimCell Of(double number) => new(null, number);
}

internal sealed record SimSheet(string Name, IReadOnlyList<IReadOnlyList<SimCell>> Rows);

internal sealed record SimFile(string FileName, SimFormat Format, IReadOnlyList<SimSheet> Sheets);

/// <summary>The layout quirks of one year's file (documented in data-raw/README.md).</summary>
internal sealed record YearStyle(
    SimFormat Format,
    bool ShortNames,
    bool CodeColumn,
    bool UnitRow,
    ScopeLayout Scope,
    bool GdpInYi,
    bool ThousandsSeparators,
    bool ProvinceRows,
    bool DuplicateRow,
    bool OcrAlias);

/// <summary>How the 市辖区 variants are printed.</summary>
internal enum ScopeLayout
{
    /// <summary>Scope in the header: 地区生产总值(市辖区)(万元).</summary>
    InlineSuffix,

    /// <summary>Scope as prefix: 市辖区地区生产总值(万元).</summary>
    InlinePrefix,

    /// <summary>A group-header row above the headers: 全市 … | 市辖区 … (first cell of each span only).</summary>
    GroupRow,

    /// <summary>Two sheets named 全市 and 市辖区 (CSV falls back to a group row).</summary>
    Sheets,
}
