using System.Globalization;
using System.Text;
using ExcelDataReader;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Reads CSV (Sep; UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030, delimiter , ; or tab), .xlsx and .xls (ExcelDataReader)
/// into text cells. Hostile input is refused against <see cref="ReadLimits"/> before it is expanded: file size,
/// line length, column and row counts, and for .xlsx the real decompressed size and compression ratio of every
/// zip entry (streamed with a cap, so a zip bomb costs bounded time and memory).
/// </summary>
internal sealed partial class SheetReader : ISheetReader
{
    /// <summary>Excel's last row: a row number beyond it is a hostile file; formatted empty rows up to it are normal
    /// (researchers' exports), so <see cref="ReadLimits.MaxRows"/> counts non-empty rows only.</summary>
    private const long ExcelMaxRows = 1_048_576;

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] EncryptedPackageName = Encoding.Unicode.GetBytes("EncryptedPackage");

    private static DataValidationException PasswordProtected(string fileName, Exception? inner)
    {
        const string advice = "; ingest cannot open it. Save an unprotected copy (remove the password to open) into the raw folder.";
        return inner is null
            ? new DataValidationException($"{fileName}: the workbook is password-protected (encrypted){advice}")
            : new DataValidationException($"{fileName}: the workbook is password-protected (encrypted){advice}", inner);
    }

    public Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits)
    {
        if (content.Length == 0)
            throw new DataValidationException($"{fileName}: the file is empty (0 bytes).");
        if (content.Length > limits.MaxFileBytes)
            throw new DataValidationException(
                $"{fileName}: the file has {content.Length:N0} bytes, more than the limit Ingest:Limits:MaxFileBytes = " +
                $"{limits.MaxFileBytes:N0}.");
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        var span = content.Span;
        if (span.StartsWith(ZipMagic))
            return ReadExcel(fileName, content, limits, "xlsx");
        if (span.StartsWith(OleMagic))
        {
            // Excel stores a password-protected .xlsx as an "EncryptedPackage" stream inside a compound file.
            if (span.IndexOf(EncryptedPackageName) >= 0)
                throw PasswordProtected(fileName, null);
            return ReadExcel(fileName, content, limits, "xls");
        }
        if (ext is ".xlsx" or ".xls")
        {
            throw new DataValidationException(
                $"{fileName}: unreadable workbook: the file does not start with an Excel signature " +
                "(not a zip package or an OLE compound file; truncated, or a different format renamed).");
        }
        return ReadCsv(fileName, span, limits);
    }

    private static Workbook ReadExcel(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits, string format)
    {
        TextEncodings.EnsureCodePages();
        var errors = format == "xlsx" ? CheckZip(fileName, content, limits) : new Dictionary<string, List<ErrorCell>>();
        var sheets = new List<Sheet>();
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            do
            {
                var rows = new List<SheetRow>();
                var number = 0;
                var filled = 0;
                while (reader.Read())
                {
                    number++;
                    if (reader.FieldCount > limits.MaxColumns)
                    {
                        throw new DataValidationException(
                            $"{fileName}, sheet '{reader.Name}': row {number} has {reader.FieldCount:N0} columns, more " +
                            $"than the limit Ingest:Limits:MaxColumns = {limits.MaxColumns:N0}.");
                    }
                    var cells = new string?[reader.FieldCount];
                    for (var i = 0; i < cells.Length; i++)
                        cells[i] = CheckCell(fileName, reader.Name, number, i, CellText(reader.GetValue(i)), limits);
                    if (cells.All(string.IsNullOrWhiteSpace))
                        continue;
                    if (++filled > limits.MaxRows)
                        throw new DataValidationException(
                            $"{fileName}, sheet '{reader.Name}': more than Ingest:Limits:MaxRows = {limits.MaxRows:N0} non-empty rows.");
                    // Blank rows are kept only between non-blank ones, so formatted empty rows down to row 1,048,576 cost nothing.
                    while (rows.Count < number - 1)
                        rows.Add(new SheetRow(rows.Count + 1, new string?[cells.Length]));
                    rows.Add(new SheetRow(number, cells));
                }
                FillMerged(rows, reader.MergeCells);
                PutErrors(rows, errors.GetValueOrDefault(reader.Name ?? ""));
                var hidden = reader.VisibleState is { Length: > 0 } state && !state.Equals("visible", StringComparison.OrdinalIgnoreCase);
                sheets.Add(new Sheet(reader.Name ?? $"Sheet{sheets.Count + 1}", rows, hidden));
            }
            while (reader.NextResult());
        }
        catch (ExcelDataReader.Exceptions.InvalidPasswordException e)
        {
            throw PasswordProtected(fileName, e);
        }
        catch (Exception e) when (e is not PipelineException && IsFormatError(e))
        {
            throw new DataValidationException($"{fileName}: unreadable workbook ({e.GetType().Name}: {e.Message}).", e);
        }
        return new Workbook(fileName, format, null, sheets);
    }

    /// <summary>
    /// Copies the value of each merged range into every cell of the range, as the sheet shows it: a 城市 header merged
    /// over two header rows, or a 全市 group header merged over its columns, is then seen in each row and column it
    /// covers. Rows are the sheet's rows in order from row 1 (ExcelDataReader yields blank rows too).
    /// </summary>
    private static void FillMerged(List<SheetRow> rows, CellRange[]? merged)
    {
        foreach (var range in merged ?? [])
        {
            if (range.FromRow < 0 || range.FromRow >= rows.Count || range.FromColumn < 0)
                continue;
            var value = rows[range.FromRow].Cell(range.FromColumn);
            if (string.IsNullOrEmpty(value))
                continue;
            for (var r = range.FromRow; r <= Math.Min(range.ToRow, rows.Count - 1); r++)
            {
                var cells = (string?[])rows[r].Cells;
                for (var c = range.FromColumn; c <= Math.Min(range.ToColumn, cells.Length - 1); c++)
                    cells[c] = value;
            }
        }
    }

    private static bool IsFormatError(Exception e) =>
        e is InvalidDataException or IOException or FormatException or InvalidOperationException
            or ArgumentException or NotSupportedException or System.Xml.XmlException
            or ExcelDataReader.Exceptions.ExcelReaderException or IndexOutOfRangeException or OverflowException;

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable o => o.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
