namespace NQPF.Stages.Common;

/// <summary>
/// Reads a tabular file (CSV in UTF-8 / UTF-8 BOM / GB18030, .xlsx, .xls) into sheets of text cells. Implemented in
/// the pipeline (where the format libraries live) and injected into stages, so a stage parses no file format itself.
/// Errors are <see cref="DataValidationException"/>s naming the file (and sheet/row/column where they apply).
/// </summary>
internal interface ISheetReader
{
    /// <param name="fileName">Name used in messages and to pick the format (by extension, then by content).</param>
    /// <param name="content">The file's bytes; never modified.</param>
    /// <param name="limits">Size limits that refuse hostile input before it is expanded.</param>
    Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits);
}

/// <summary>A file read into sheets. <paramref name="Format"/> is "csv", "xlsx" or "xls"; <paramref name="Encoding"/>
/// is the detected text encoding of a CSV ("utf-8", "utf-8-bom", "gb18030"), null for workbooks.</summary>
internal sealed record Workbook(string FileName, string Format, string? Encoding, IReadOnlyList<Sheet> Sheets);

/// <summary>One sheet (a CSV file has one, named after the file). Rows keep their 1-based position in the file,
/// including blank rows, so messages can point at the cell a person sees in Excel. <paramref name="Hidden"/>: the
/// workbook hides the sheet (Excel's hidden or very hidden state).</summary>
internal sealed record Sheet(string Name, IReadOnlyList<SheetRow> Rows, bool Hidden = false);

/// <summary>A row: its 1-based number and its cells (index 0 = column A). Empty cells are null or "".</summary>
internal sealed record SheetRow(int Number, IReadOnlyList<string?> Cells)
{
    public string? Cell(int column) => column < Cells.Count ? Cells[column] : null;

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>Limits against hostile files. Defaults are generous for a yearbook (a few MB, ~300 columns).</summary>
internal sealed record ReadLimits
{
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    public int MaxColumns { get; init; } = 2_000;

    /// <summary>Non-empty rows per sheet (formatted empty rows down to Excel's last row are not counted).</summary>
    public int MaxRows { get; init; } = 200_000;

    public int MaxLineChars { get; init; } = 1_000_000;

    /// <summary>Upper bound on the total uncompressed size of an .xlsx package (zip-bomb guard).</summary>
    public long MaxDecompressedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Upper bound on the compression ratio of any one entry of an .xlsx package.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    public int MaxCellChars { get; init; } = 32_767;
}

/// <summary>Helpers to read small config tables (first row = header) by column name.</summary>
internal static class SheetTable
{
    /// <summary>Rows after the header as dictionaries keyed by header name; blank rows skipped.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Records(Sheet sheet, string fileName,
        params string[] required)
    {
        var nonBlank = sheet.Rows.Where(r => !r.IsBlank).ToList();
        if (nonBlank.Count == 0)
            throw new ConfigValidationException($"{fileName}: the file is empty (no header row).");
        var header = nonBlank[0].Cells.Select(c => (c ?? "").Trim()).ToArray();
        foreach (var name in required)
        {
            if (Array.IndexOf(header, name) < 0)
                throw new ConfigValidationException(
                    $"{fileName}: required column '{name}' is missing from the header (row {nonBlank[0].Number}).");
        }
        var records = new List<IReadOnlyDictionary<string, string>>(nonBlank.Count - 1);
        foreach (var row in nonBlank.Skip(1))
        {
            var d = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i].Length > 0)
                    d[header[i]] = (row.Cell(i) ?? "").Trim();
            }
            d["__row"] = row.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            records.Add(d);
        }
        return records;
    }
}
