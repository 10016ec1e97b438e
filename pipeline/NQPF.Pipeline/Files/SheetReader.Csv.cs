using System.Text;
using nietras.SeparatedValues;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>The CSV half of <see cref="SheetReader"/>: encoding and delimiter detection, line and quote checks.</summary>
internal sealed partial class SheetReader
{
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
}
