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

    private static Workbook ReadCsv(string fileName, ReadOnlySpan<byte> bytes, ReadLimits limits)
    {
        var (encoding, preamble, name) = TextEncodings.Detect(bytes);
        if (preamble == 0 && TextEncodings.Utf16WithoutMark(bytes) is { } utf16)
        {
            throw new DataValidationException(
                $"{fileName}: the text looks like {utf16.ToUpperInvariant()} without a byte-order mark (NUL bytes between " +
                "the characters); save it as UTF-8 or GB18030 CSV, or as UTF-16 with its byte-order mark.");
        }
        var body = bytes[preamble..];
        CheckLines(fileName, encoding, body, limits);
        string text;
        try
        {
            text = encoding.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw Undecodable(fileName, bytes, preamble, name, e);
        }
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
        var filled = 0;
        foreach (var row in reader)
        {
            number++;
            if (row.ColCount > limits.MaxColumns)
            {
                throw new DataValidationException(
                    $"{fileName}: line {number} has {row.ColCount:N0} columns, more than the limit " +
                    $"Ingest:Limits:MaxColumns = {limits.MaxColumns:N0}.");
            }
            var cells = new string?[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = CheckCell(fileName, null, number, i, row[i].ToString(), limits);
            var sheetRow = new SheetRow(number, cells);
            if (!sheetRow.IsBlank && ++filled > limits.MaxRows)
                throw new DataValidationException(
                    $"{fileName}: more than Ingest:Limits:MaxRows = {limits.MaxRows:N0} non-empty rows.");
            rows.Add(sheetRow);
        }
        var sheetName = Path.GetFileNameWithoutExtension(fileName);
        return new Workbook(fileName, "csv", name, [new Sheet(sheetName, rows)]);
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

    /// <summary>
    /// Counts the characters of each line while decoding in chunks (invalid bytes replaced here; the strict decode
    /// reports them), so a hostile single line is refused after MaxLineChars characters, before any text is built.
    /// </summary>
    private static void CheckLines(string fileName, Encoding encoding, ReadOnlySpan<byte> body, ReadLimits limits)
    {
        var lenient = (Encoding)encoding.Clone();
        lenient.DecoderFallback = DecoderFallback.ReplacementFallback;
        var decoder = lenient.GetDecoder();
        const int chunk = 64 * 1024;
        var chars = new char[lenient.GetMaxCharCount(chunk)];
        var line = 1;
        long length = 0;
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var n = Math.Min(chunk, body.Length - offset);
            var count = decoder.GetChars(body.Slice(offset, n), chars, flush: offset + n == body.Length);
            for (var i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    line++;
                    length = 0;
                }
                else if (++length > limits.MaxLineChars)
                {
                    throw new DataValidationException(
                        $"{fileName}: line {line} has more than {limits.MaxLineChars:N0} characters, the limit " +
                        "Ingest:Limits:MaxLineChars; refused before parsing.");
                }
            }
        }
    }

    private static DataValidationException Undecodable(string fileName, ReadOnlySpan<byte> bytes, int preamble, string name,
        DecoderFallbackException e)
    {
        if (preamble > 0)
        {
            var at = preamble + Math.Max(0, e.Index);
            return new DataValidationException(
                $"{fileName}: the file starts with a {name} byte-order mark but byte {at:N0} (line " +
                $"{TextEncodings.LineOf(bytes, at)}) is not valid {name}: mixed encodings (e.g. a row pasted in GBK); " +
                "save the whole file in one encoding.", e);
        }
        var utf8 = TextEncodings.FirstInvalidUtf8(bytes);
        var gb = Math.Max(0, e.Index);
        return new DataValidationException(
            $"{fileName}: the text is neither UTF-8 nor GB18030 (invalid byte sequence at byte {gb:N0}, line " +
            $"{TextEncodings.LineOf(bytes, gb)}, as GB18030; at byte {utf8:N0}, line {TextEncodings.LineOf(bytes, utf8)}, " +
            "as UTF-8); save it as UTF-8 or GB18030 CSV.", e);
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

    /// <summary>An error cell (t="e": #REF!, #DIV/0! …) of a worksheet: 1-based row and column, and its text.</summary>
    private readonly record struct ErrorCell(int Row, int Column, string Text);

    /// <summary>
    /// ExcelDataReader 3.6 returns error cells as empty; the error text found in the sheet XML is put back, so ingest
    /// reports "'#REF!' is not a number" instead of a silently missing value.
    /// </summary>
    private static void PutErrors(List<SheetRow> rows, List<ErrorCell>? errors)
    {
        foreach (var e in errors ?? [])
        {
            if (e.Row > rows.Count || e.Column > rows[e.Row - 1].Cells.Count)
                continue;
            var cells = (string?[])rows[e.Row - 1].Cells;
            if (string.IsNullOrEmpty(cells[e.Column - 1]))
                cells[e.Column - 1] = e.Text;
        }
    }

    /// <summary>
    /// Counts the real decompressed bytes of every entry (stopping at the cap) before the workbook is parsed, and
    /// reads each worksheet part's cell and row references: a cell beyond Ingest:Limits:MaxColumns (e.g. r="ZZZZZZ9",
    /// for which a reader would allocate millions of empty columns) or a row beyond MaxRows refuses the file here.
    /// Returns the error cells of each sheet, by sheet name (xl/workbook.xml and its relationships name the parts).
    /// </summary>
    private static Dictionary<string, List<ErrorCell>> CheckZip(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits)
    {
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var total = new long[1];
            var errors = new Dictionary<string, List<ErrorCell>>(StringComparer.OrdinalIgnoreCase);
            var sheetIds = new List<(string Name, string Id)>();
            var targets = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.MaxDecompressedBytes)
                    throw Bomb(fileName, entry.FullName, entry.Length, limits);
                using var counted = new CountingStream(entry.Open(), fileName, entry, total, limits);
                var part = entry.FullName;
                if (part.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && part.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    errors[part] = CheckReferences(fileName, part, counted, limits);
                else if (part.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase))
                    sheetIds.AddRange(Elements(counted, "sheet", "name", "id"));
                else if (part.Equals("xl/_rels/workbook.xml.rels", StringComparison.OrdinalIgnoreCase))
                    foreach (var (id, target) in Elements(counted, "Relationship", "Id", "Target"))
                        targets[id] = target.StartsWith('/') ? target[1..] : "xl/" + target;
                counted.CopyTo(Stream.Null);
            }
            return sheetIds.Where(s => targets.TryGetValue(s.Id, out var t) && errors.ContainsKey(t))
                .DistinctBy(s => s.Name, StringComparer.Ordinal)
                .ToDictionary(s => s.Name, s => errors[targets[s.Id]], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new DataValidationException(
                $"{fileName}: unreadable workbook: the .xlsx package is not a valid zip archive (truncated or corrupt: " +
                $"{e.Message}).", e);
        }
        catch (System.Xml.XmlException e)
        {
            throw new DataValidationException($"{fileName}: unreadable workbook: a worksheet is not well-formed XML ({e.Message}).", e);
        }
    }

    private static System.Xml.XmlReader Xml(Stream xml) => System.Xml.XmlReader.Create(xml, new System.Xml.XmlReaderSettings
    {
        DtdProcessing = System.Xml.DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    });

    /// <summary>Two attributes (by local name) of every element named <paramref name="element"/>.</summary>
    private static List<(string, string)> Elements(Stream xml, string element, string first, string second)
    {
        var found = new List<(string, string)>();
        using var reader = Xml(xml);
        while (reader.Read())
        {
            if (reader.NodeType != System.Xml.XmlNodeType.Element || reader.LocalName != element)
                continue;
            string? a = null, b = null;
            while (reader.MoveToNextAttribute())
            {
                if (reader.LocalName == first) a = reader.Value;
                else if (reader.LocalName == second) b = reader.Value;
            }
            if (a is not null && b is not null)
                found.Add((a, b));
        }
        return found;
    }

    private static List<ErrorCell> CheckReferences(string fileName, string part, Stream xml, ReadLimits limits)
    {
        var errors = new List<ErrorCell>();
        (int Row, int Column)? pendingError = null;
        using var reader = Xml(xml);
        while (reader.Read())
        {
            if (reader.NodeType != System.Xml.XmlNodeType.Element)
                continue;
            if (reader.LocalName == "v" && pendingError is { } at)
            {
                pendingError = null;
                if (reader.Read() && reader.NodeType == System.Xml.XmlNodeType.Text)
                    errors.Add(new ErrorCell(at.Row, at.Column, reader.Value.Trim()));
                continue;
            }
            if (reader.GetAttribute("r") is not { } reference)
                continue;
            if (reader.LocalName == "row")
            {
                if (!long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var row) || row > ExcelMaxRows)
                {
                    throw new DataValidationException(
                        $"{fileName}: worksheet part '{part}' has a row numbered '{reference}', beyond Excel's last row " +
                        $"{ExcelMaxRows:N0}.");
                }
            }
            else if (reader.LocalName == "c")
            {
                long column = 0;
                foreach (var ch in reference)
                {
                    if (ch is < 'A' or > 'Z')
                        break;
                    column = Math.Min(column * 26 + (ch - 'A' + 1), long.MaxValue / 32);
                }
                if (column > limits.MaxColumns)
                {
                    throw new DataValidationException(
                        $"{fileName}: worksheet part '{part}': cell {reference} lies in column {column:N0}, beyond the limit " +
                        $"Ingest:Limits:MaxColumns = {limits.MaxColumns:N0}.");
                }
                pendingError = reader.GetAttribute("t") == "e"
                    && int.TryParse(reference.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), NumberStyles.None, CultureInfo.InvariantCulture, out var row)
                    && row is > 0 && column > 0 ? (row, (int)column) : null;
            }
        }
        return errors;
    }

    /// <summary>Reads a zip entry while counting its real decompressed bytes against the zip-bomb limits.</summary>
    private sealed class CountingStream(Stream inner, string fileName, ZipArchiveEntry entry, long[] total, ReadLimits limits) : Stream
    {
        private long _bytes;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _bytes += n;
            total[0] += n;
            if (total[0] > limits.MaxDecompressedBytes)
                throw Bomb(fileName, entry.FullName, total[0], limits);
            if (_bytes > 1_000_000 && _bytes > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new DataValidationException(
                    $"{fileName}: zip entry '{entry.FullName}' expands more than " +
                    $"{limits.MaxCompressionRatio.ToString(CultureInfo.InvariantCulture)}× " +
                    "(Ingest:Limits:MaxCompressionRatio): refused as a possible zip bomb.");
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _bytes; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
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
