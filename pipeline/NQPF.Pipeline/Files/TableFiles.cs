using System.Globalization;
using NQPF.Pipeline.Checkpoints;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Reads a data table for ad-hoc verbs (e.g. <c>estimate</c>): Parquet through <see cref="ParquetFrames"/>, CSV/Excel
/// through <see cref="SheetReader"/> with the first row as header. A text column whose cells all parse as
/// invariant-culture numbers or are missing (<see cref="MissingValues"/>) becomes a double column (missing → NaN); any
/// other column stays text (empty → null).
/// </summary>
internal static class TableFiles
{
    /// <summary>Limits for analysis files, larger than a yearbook's (a 1M-row panel is fine).</summary>
    private static readonly ReadLimits AnalysisLimits = new()
    {
        MaxFileBytes = 2L * 1024 * 1024 * 1024,
        MaxRows = 20_000_000,
        MaxColumns = 10_000,
    };

    /// <param name="columns">The columns the caller uses: CSV and Parquet build only these; one that is not in the file
    /// is an error naming the file and listing its columns. Null reads every column.</param>
    /// <param name="numeric">Columns that must be numbers: a text one is an error naming the file, column, row and cell.</param>
    public static async Task<Frame> ReadAsync(string path, CancellationToken ct, IReadOnlyCollection<string>? columns = null,
        IReadOnlyCollection<string>? numeric = null)
    {
        var frame = await ReadAnyAsync(path, ct, columns);
        if (columns?.FirstOrDefault(c => !frame.Has(c)) is { } missing)
            throw new DataValidationException(
                $"{Path.GetFileName(path)}: no column '{missing}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
        foreach (var name in numeric ?? [])
        {
            if (frame.Has(name) && frame[name] is StringColumn text && MissingValues.FirstNonNumber(text.Values) is { } why)
                throw new DataValidationException($"{Path.GetFileName(path)}: column '{name}' must be numeric, but {why}.");
        }
        return frame;
    }

    private static async Task<Frame> ReadAnyAsync(string path, CancellationToken ct, IReadOnlyCollection<string>? columns)
    {
        if (!File.Exists(path)) throw new DataValidationException($"{path}: no such file.");
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".parquet")
            return await ParquetFrames.FromFileAsync(path, name, columns, ct);
        if (extension is not (".xlsx" or ".xls") && CsvColumns.TryRead(path, AnalysisLimits, columns) is { } frame)
            return frame;
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var workbook = new SheetReader().Read(name, bytes, AnalysisLimits);
        return FromSheet(workbook.Sheets[0], name);
    }

    public static Frame FromSheet(Sheet sheet, string fileName)
    {
        var rows = sheet.Rows.Where(r => !r.IsBlank).ToList();
        if (rows.Count == 0) throw new DataValidationException($"{fileName}: no header row.");
        var header = rows[0].Cells.Select(c => (c ?? "").Trim()).ToArray();
        var data = rows.Skip(1).ToList();
        var columns = new List<Column>(header.Length);
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
                throw new DataValidationException($"{fileName}: column {(c + 1).ToString(CultureInfo.InvariantCulture)} of the header (row {rows[0].Number.ToString(CultureInfo.InvariantCulture)}) has no name.");
            var text = data.Select(r => r.Cell(c)?.Trim()).ToArray();
            columns.Add((Column?)TryNumeric(header[c], text) ?? new StringColumn(header[c], text.Select(t => string.IsNullOrEmpty(t) ? null : t).ToArray()));
        }
        return new Frame(columns);
    }

    private static DoubleColumn? TryNumeric(string name, string?[] cells)
    {
        var values = new double[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            if (!MissingValues.TryNumber(cells[i], out values[i])) return null;
        }
        return new DoubleColumn(name, values);
    }
}
