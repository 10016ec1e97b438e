using System.Text;
using System.Text.Unicode;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Reads an analysis CSV (the <c>--data</c> of estimate, did, placebo) straight from the file into typed columns,
/// streaming it in chunks: numbers are parsed from the cell's UTF-8 bytes (<see cref="Utf8Cells"/>), text columns keep
/// one string per distinct value, and only the columns asked for are built. It gives exactly the frame
/// <see cref="TableFiles.FromSheet"/> builds from <see cref="SheetReader"/>'s rows (same delimiter rule, blank rows
/// skipped, cells trimmed, a column numeric when every non-empty cell parses as an invariant-culture number, empty →
/// NaN or null) and applies only where that is certain: valid UTF-8 without NUL bytes, records
/// <see cref="Utf8CsvRecords"/> takes, every limit kept, header names present and distinct. Otherwise it returns null
/// and the caller reads the file the general way, which also reports any problem with its usual message.
/// </summary>
internal static class CsvColumns
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Files at least this large without quotes are parsed in two halves at once.</summary>
    private const long ParallelBytes = 8 << 20;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <param name="columns">Columns to build (null: all). When one of them is not in the header every column is built,
    /// so the caller's "no such column" message lists them all.</param>
    /// <param name="parallelBytes">From this size on a file without quotes is parsed in two halves at once (tests lower it).</param>
    public static Frame? TryRead(string path, ReadLimits limits, IReadOnlyCollection<string>? columns = null, long parallelBytes = ParallelBytes)
    {
        var length = new FileInfo(path).Length;
        // More lines than the row limit allows (blank ones included): the general path counts and reports them.
        if (length > limits.MaxFileBytes || Scan(path) is not { } scan || scan.Records - 1 > limits.MaxRows) return null;
        var parallel = scan.Split > 0 && !scan.Quoted && length >= parallelBytes && Environment.ProcessorCount > 1;
        using var records = new Utf8CsvRecords(path, scan.Preamble, parallel ? scan.Split : length, scan.Delimiter, limits);
        if (Header(records) is not { } header)
            return parallel ? TryRead(path, limits, columns, long.MaxValue) : null; // the header is past the middle
        var all = columns is null || !columns.All(header.Contains);
        var values = header.Select(h => all || columns!.Contains(h) ? new double[scan.Records - 1] : null).ToArray();
        var isText = new bool[header.Length];
        var rows = parallel ? NumbersInHalves(records, path, length, scan, limits, values, isText) : Numbers(records, values, isText, 0, int.MaxValue);
        if (rows < 0 || rows + 1 > limits.MaxRows) return null;
        var text = new string?[]?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (values[c] is null) continue;
            if (isText[c]) (text[c], values[c]) = (new string?[rows], null);
            else if (values[c]!.Length != rows) Array.Resize(ref values[c], rows);
        }
        if (text.Any(t => t is not null)) Texts(path, length, scan, limits, text, rows);
        var frame = new List<Column>();
        for (int c = 0; c < header.Length; c++)
        {
            if (values[c] is { } v) frame.Add(new DoubleColumn(header[c], v));
            else if (text[c] is { } t) frame.Add(new StringColumn(header[c], t));
        }
        return new Frame(frame);
    }

    /// <summary>
    /// What the first pass over the bytes found: the byte-order mark's length, the delimiter, the number of records at
    /// most, whether a quote occurs after the first line, and the line break nearest past the middle (<paramref name="Split"/>, the offset
    /// after it; 0 if none) with the number of line breaks up to it.
    /// </summary>
    internal sealed record FileScan(int Preamble, byte Delimiter, int Records, bool Quoted, long Split, int LinesBeforeSplit);

    /// <summary>
    /// Checks the whole file is UTF-8 without NUL bytes (else null), picks the delimiter and counts line feeds, an upper
    /// bound on the records that sizes the columns once (exact for a file without blank lines or quoted line breaks).
    /// </summary>
    internal static FileScan? Scan(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var middle = stream.Length / 2;
        var buffer = new byte[ChunkBytes];
        int carry = 0, preamble = 0, linesBeforeSplit = 0;
        long lines = 0, offset = 0, split = 0;
        byte delimiter = 0, last = (byte)'\n';
        bool quoted = false, pastFirstLine = false;
        while (Fill(stream, buffer, carry) is var filled && filled > carry)
        {
            var chunk = buffer.AsSpan(0, filled);
            if (delimiter == 0)
            {
                preamble = chunk.StartsWith(Utf8Bom) ? 3 : 0;
                delimiter = Delimiter(chunk[preamble..]);
            }
            var fresh = chunk[carry..];
            if (fresh.Contains((byte)0)) return null;
            // Quotes on the first line only (a quoted header, as R's write.csv gives) cannot hide a later line break.
            var newline = pastFirstLine ? 0 : fresh.IndexOf((byte)'\n') + 1;
            quoted |= newline > 0 && fresh[newline..].Contains((byte)'"') || pastFirstLine && fresh.Contains((byte)'"');
            pastFirstLine |= newline > 0;
            if (split == 0 && offset + filled > middle && fresh.IndexOf((byte)'\n') >= 0)
            {
                var from = (int)Math.Max(carry, middle - offset);
                var at = from + chunk[from..].IndexOf((byte)'\n');
                if (at >= from) (split, linesBeforeSplit) = (offset + at + 1, (int)(lines + chunk[carry..(at + 1)].Count((byte)'\n')));
            }
            lines += fresh.Count((byte)'\n');
            last = fresh[^1];
            // A sequence boundary follows every ASCII byte: check up to the last one, carry the rest.
            var end = chunk.LastIndexOfAnyExceptInRange((byte)0x80, (byte)0xFF) + 1;
            if (end == 0 || !Utf8.IsValid(chunk[..end])) return null;
            carry = filled - end;
            offset += end;
            chunk[end..].CopyTo(buffer);
        }
        if (carry > 0 || delimiter == 0) return null;
        var records = lines + (last == (byte)'\n' ? 0 : 1);
        return records > int.MaxValue ? null : new FileScan(preamble, delimiter, (int)records, quoted, split, linesBeforeSplit);
    }

    private static int Fill(Stream stream, byte[] buffer, int filled)
    {
        int n;
        while (filled < buffer.Length && (n = stream.Read(buffer, filled, buffer.Length - filled)) > 0) filled += n;
        return filled;
    }

    /// <summary>SheetReader's rule on the first 64 Ki characters: the most frequent of comma, tab and semicolon (comma on ties).</summary>
    private static byte Delimiter(ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 256 * 1024)]);
        var sample = head.AsSpan(0, Math.Min(head.Length, 64 * 1024));
        var best = ',';
        var bestCount = sample.Count(',');
        foreach (var c in (ReadOnlySpan<char>)['\t', ';'])
        {
            var n = sample.Count(c);
            if (n > bestCount) (best, bestCount) = (c, n);
        }
        return (byte)best;
    }

    /// <summary>The first non-blank record's cells, trimmed; null when a name is empty or repeated (the general path reports it).</summary>
    private static string[]? Header(Utf8CsvRecords records)
    {
        while (records.MoveNext())
        {
            if (records.IsBlank()) continue;
            var names = new string[records.Count];
            var buffer = new char[4096];
            for (int i = 0; i < names.Length; i++)
            {
                var cell = records.Cell(i);
                if (cell.Length > buffer.Length) buffer = new char[cell.Length];
                names[i] = Utf8Cells.Text(cell, buffer).ToString();
            }
            return names.Any(n => n.Length == 0) || names.Distinct(StringComparer.Ordinal).Count() != names.Length ? null : names;
        }
        return null;
    }

    /// <summary>
    /// The data rows' cells of the wanted columns (non-null <paramref name="values"/>) as numbers, from row
    /// <paramref name="offset"/> on and below <paramref name="limit"/>; a column with a cell that is not a number is
    /// marked in <paramref name="isText"/> (read as text in a second pass). The number of rows, or −1 when the records
    /// stop being ones the fast path takes or overflow the columns.
    /// </summary>
    private static int Numbers(Utf8CsvRecords records, double[]?[] values, bool[] isText, int offset, int limit)
    {
        var row = offset;
        limit = values.FirstOrDefault(v => v is not null) is { } first ? Math.Min(limit, first.Length) : limit;
        while (records.MoveNext())
        {
            if (records.IsBlank()) continue;
            if (row == limit) return -1;
            for (int c = 0; c < values.Length; c++)
            {
                if (values[c] is not { } numbers || isText[c]) continue;
                var cell = c < records.Count ? records.Cell(c) : [];
                if (Utf8Cells.Number(cell, out numbers[row]) == CellKind.Text) isText[c] = true;
            }
            row++;
        }
        return records.Declined ? -1 : row - offset;
    }

    /// <summary>
    /// <see cref="Numbers"/> over the file's two halves at once (no quotes: every line feed ends a record). The second
    /// half's rows go right after as many rows as there are lines before the split; blank lines in the first half leave
    /// a gap, closed by moving the second half's rows down.
    /// </summary>
    private static int NumbersInHalves(Utf8CsvRecords first, string path, long length, FileScan scan, ReadLimits limits, double[]?[] values, bool[] isText)
    {
        var start = scan.LinesBeforeSplit - 1;
        var secondIsText = new bool[isText.Length];
        var second = Task.Run(() =>
        {
            using var records = new Utf8CsvRecords(path, scan.Split, length, scan.Delimiter, limits);
            return Numbers(records, values, secondIsText, start, int.MaxValue);
        });
        var rows = Numbers(first, values, isText, 0, start);
        var more = second.GetAwaiter().GetResult();
        if (rows < 0 || more < 0) return -1;
        for (int c = 0; c < values.Length; c++)
        {
            isText[c] |= secondIsText[c];
            if (rows < start && values[c] is { } v) Array.Copy(v, start, v, rows, more);
        }
        return rows + more;
    }

    /// <summary>Second pass, for the text columns only: one shared string per distinct value.</summary>
    private static void Texts(string path, long length, FileScan scan, ReadLimits limits, string?[]?[] text, int rows)
    {
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[limits.MaxCellChars];
        using var records = new Utf8CsvRecords(path, scan.Preamble, length, scan.Delimiter, limits);
        int r = -2;
        while (records.MoveNext())
        {
            if (records.IsBlank() || ++r < 0) continue;
            for (int c = 0; c < text.Length; c++)
            {
                if (text[c] is not { } target) continue;
                var cell = Utf8Cells.Text(c < records.Count ? records.Cell(c) : [], buffer);
                if (cell.IsEmpty) continue;
                if (!lookup.TryGetValue(cell, out var s))
                {
                    s = cell.ToString();
                    lookup[cell] = s;
                }
                target[r] = s;
            }
        }
        if (records.Declined || r + 1 != rows) throw new InvalidOperationException($"CSV rows changed between passes ({rows} then {r + 1}).");
    }
}
