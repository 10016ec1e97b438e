using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using nietras.SeparatedValues;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Reads CSV (Sep; UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030, delimiter , ; or tab), .xlsx and .xls (ExcelDataReader)
/// into text cells. Hostile input is refused against <see cref="ReadLimits"/> before it is expanded: file size,
/// line length, column and row counts, and for .xlsx the real decompressed size and compression ratio of every
/// zip entry (streamed with a cap, so a zip bomb costs bounded time and memory).
/// </summary>
internal sealed class SheetReader : ISheetReader
{
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

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
            return ReadExcel(fileName, content, limits, "xls");
        if (ext is ".xlsx" or ".xls")
        {
            throw new DataValidationException(
                $"{fileName}: unreadable workbook: the file does not start with an Excel signature " +
                "(not a zip package or an OLE compound file; truncated, or a different format renamed).");
        }
        return ReadCsv(fileName, span, limits);
    }

    private static Workbook ReadCsv(string fileName, ReadOnlySpan<byte> bytes, ReadLimits limits)
    {
        string text, encoding;
        try
        {
            (text, encoding) = TextEncodings.Decode(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataValidationException(
                $"{fileName}: the text is neither UTF-8 nor GB18030 (invalid byte sequence at byte {e.Index}); " +
                "save it as UTF-8 or GB18030 CSV.", e);
        }
        CheckLines(fileName, text, limits);
        if (string.IsNullOrWhiteSpace(text))
            throw new DataValidationException($"{fileName}: the file holds no text (only blanks/line breaks).");
        var delimiter = DetectDelimiter(text);
        CheckQuotes(fileName, text);
        var rows = new List<SheetRow>();
        using var reader = Sep.New(delimiter).Reader(o => o with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            DisableFastFloat = true,
        }).FromText(text);
        // Rows are numbered as a spreadsheet shows them (one per record, from 1), which is what a person looks up.
        var number = 0;
        foreach (var row in reader)
        {
            number++;
            if (row.ColCount > limits.MaxColumns)
            {
                throw new DataValidationException(
                    $"{fileName}: line {number} has {row.ColCount:N0} columns, more than the limit " +
                    $"Ingest:Limits:MaxColumns = {limits.MaxColumns:N0}.");
            }
            if (rows.Count >= limits.MaxRows)
                throw new DataValidationException(
                    $"{fileName}: more than Ingest:Limits:MaxRows = {limits.MaxRows:N0} rows.");
            var cells = new string?[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = CheckCell(fileName, null, number, i, row[i].ToString(), limits);
            rows.Add(new SheetRow(number, cells));
        }
        var sheetName = Path.GetFileNameWithoutExtension(fileName);
        return new Workbook(fileName, "csv", encoding, [new Sheet(sheetName, rows)]);
    }

    private static string? CheckCell(string fileName, string? sheet, int row, int column, string? text, ReadLimits limits)
    {
        if (text is null || text.Length <= limits.MaxCellChars)
            return text;
        var where = sheet is null ? $"{fileName}: line {row}" : $"{fileName}, sheet '{sheet}', row {row}";
        throw new DataValidationException(
            $"{where}, column {SheetParserColumn(column)}: the cell has {text.Length:N0} characters, more than " +
            $"Ingest:Limits:MaxCellChars = {limits.MaxCellChars:N0}.");
    }

    private static string SheetParserColumn(int index) => NQPF.Stages.Ingest.SheetParser.ColumnLetter(index);

    private static void CheckLines(string fileName, string text, ReadLimits limits)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '\n')
                continue;
            if (i - start > limits.MaxLineChars)
            {
                throw new DataValidationException(
                    $"{fileName}: line {line} has {i - start:N0} characters, more than the limit " +
                    $"Ingest:Limits:MaxLineChars = {limits.MaxLineChars:N0}.");
            }
            line++;
            start = i + 1;
        }
    }

    /// <summary>An odd number of quote characters means a quoted field never closes: the file was cut off.</summary>
    private static void CheckQuotes(string fileName, string text)
    {
        var open = false;
        var line = 1;
        var openedAt = 0;
        foreach (var ch in text)
        {
            if (ch == '\n')
                line++;
            else if (ch == '"')
            {
                open = !open;
                if (open)
                    openedAt = line;
            }
        }
        if (open)
        {
            throw new DataValidationException(
                $"{fileName}: line {openedAt}: a quoted field is never closed (the file is truncated or malformed).");
        }
    }

    private static char DetectDelimiter(string text)
    {
        var sample = text.AsSpan(0, Math.Min(text.Length, 64 * 1024));
        var best = ',';
        var bestCount = sample.Count(',');
        foreach (var c in (ReadOnlySpan<char>)['\t', ';'])
        {
            var n = sample.Count(c);
            if (n > bestCount)
                (best, bestCount) = (c, n);
        }
        return best;
    }

    private static Workbook ReadExcel(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits, string format)
    {
        TextEncodings.EnsureCodePages();
        if (format == "xlsx")
            CheckZip(fileName, content, limits);
        var sheets = new List<Sheet>();
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var reader = ExcelReaderFactory.CreateReader(stream);
            do
            {
                var rows = new List<SheetRow>();
                var number = 0;
                while (reader.Read())
                {
                    number++;
                    if (reader.FieldCount > limits.MaxColumns)
                    {
                        throw new DataValidationException(
                            $"{fileName}, sheet '{reader.Name}': row {number} has {reader.FieldCount:N0} columns, more " +
                            $"than the limit Ingest:Limits:MaxColumns = {limits.MaxColumns:N0}.");
                    }
                    if (number > limits.MaxRows)
                        throw new DataValidationException(
                            $"{fileName}, sheet '{reader.Name}': more than Ingest:Limits:MaxRows = {limits.MaxRows:N0} rows.");
                    var cells = new string?[reader.FieldCount];
                    for (var i = 0; i < cells.Length; i++)
                        cells[i] = CheckCell(fileName, reader.Name, number, i, CellText(reader.GetValue(i)), limits);
                    rows.Add(new SheetRow(number, cells));
                }
                sheets.Add(new Sheet(reader.Name ?? $"Sheet{sheets.Count + 1}", rows));
            }
            while (reader.NextResult());
        }
        catch (Exception e) when (e is not PipelineException && IsFormatError(e))
        {
            throw new DataValidationException($"{fileName}: unreadable workbook ({e.GetType().Name}: {e.Message}).", e);
        }
        return new Workbook(fileName, format, null, sheets);
    }

    private static bool IsFormatError(Exception e) =>
        e is InvalidDataException or IOException or FormatException or InvalidOperationException
            or ArgumentException or NotSupportedException or System.Xml.XmlException
            or ExcelDataReader.Exceptions.ExcelReaderException or IndexOutOfRangeException or OverflowException;

    /// <summary>Counts the real decompressed bytes of every entry (stopping at the cap) before the workbook is parsed.</summary>
    private static void CheckZip(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits)
    {
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.MaxDecompressedBytes)
                    throw Bomb(fileName, entry.FullName, entry.Length, limits);
                using var s = entry.Open();
                long entryBytes = 0;
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
                {
                    entryBytes += n;
                    total += n;
                    if (total > limits.MaxDecompressedBytes)
                        throw Bomb(fileName, entry.FullName, total, limits);
                    if (entryBytes > 1_000_000 && entryBytes > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                    {
                        throw new DataValidationException(
                            $"{fileName}: zip entry '{entry.FullName}' expands more than " +
                            $"{limits.MaxCompressionRatio.ToString(CultureInfo.InvariantCulture)}× " +
                            "(Ingest:Limits:MaxCompressionRatio): refused as a possible zip bomb.");
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new DataValidationException(
                $"{fileName}: unreadable workbook: the .xlsx package is not a valid zip archive (truncated or corrupt: " +
                $"{e.Message}).", e);
        }
    }

    private static DataValidationException Bomb(string fileName, string entry, long bytes, ReadLimits limits) =>
        new($"{fileName}: zip entry '{entry}' decompresses to more than {bytes:N0} bytes, over the limit " +
            $"Ingest:Limits:MaxDecompressedBytes = {limits.MaxDecompressedBytes:N0}: refused as a possible zip bomb.");

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
