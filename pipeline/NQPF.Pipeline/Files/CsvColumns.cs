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
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <param name="columns">Columns to build (null: all). When one of them is not in the header every column is built,
    /// so the caller's "no such column" message lists them all.</param>
    public static Frame? TryRead(string path, ReadLimits limits, IReadOnlyCollection<string>? columns = null)
    {
        if (new FileInfo(path).Length > limits.MaxFileBytes || Scan(path) is not { } scan) return null;
        using var records = new Utf8CsvRecords(path, scan.Preamble, scan.Delimiter, limits);
        if (Header(records) is not { } header) return null;
        var all = columns is null || !columns.All(header.Contains);
        var wanted = header.Select(h => all || columns!.Contains(h)).ToArray();
        if (Numbers(records, wanted, scan.Records - 1, limits, out var rows) is not { } values) return null;
        var text = new string?[]?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (values[c] is { } v && v.Length != rows) Array.Resize(ref values[c], rows);
            else if (wanted[c] && values[c] is null) text[c] = new string?[rows];
        }
        if (text.Any(t => t is not null)) Texts(path, scan, limits, text, rows);
        var frame = new List<Column>();
        for (int c = 0; c < header.Length; c++)
        {
            if (values[c] is { } v) frame.Add(new DoubleColumn(header[c], v));
            else if (text[c] is { } t) frame.Add(new StringColumn(header[c], t));
        }
        return new Frame(frame);
    }

    /// <summary>What the first pass over the bytes found: the byte-order mark's length, the delimiter, the number of records at most.</summary>
    internal sealed record FileScan(int Preamble, byte Delimiter, int Records);

    /// <summary>
    /// Checks the whole file is UTF-8 without NUL bytes (else null), picks the delimiter and counts line feeds, an upper
    /// bound on the records that sizes the columns once (exact for a file without blank lines or quoted line breaks).
    /// </summary>
    internal static FileScan? Scan(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[ChunkBytes];
        int carry = 0, preamble = 0;
        long lines = 0;
        byte delimiter = 0, last = (byte)'\n';
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
            lines += fresh.Count((byte)'\n');
            last = fresh[^1];
            // A sequence boundary follows every ASCII byte: check up to the last one, carry the rest.
            var end = chunk.LastIndexOfAnyExceptInRange((byte)0x80, (byte)0xFF) + 1;
            if (end == 0 || !Utf8.IsValid(chunk[..end])) return null;
            carry = filled - end;
            chunk[end..].CopyTo(buffer);
        }
        if (carry > 0 || delimiter == 0) return null;
        var records = lines + (last == (byte)'\n' ? 0 : 1);
        return records > int.MaxValue ? null : new FileScan(preamble, delimiter, (int)records);
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
    /// The data rows' cells of the wanted columns as numbers; a column with a cell that is not a number is dropped to
    /// null (read as text in a second pass). Null when the records stop being ones the fast path takes or a limit is hit.
    /// </summary>
    private static double[]?[]? Numbers(Utf8CsvRecords records, bool[] wanted, int capacity, ReadLimits limits, out int rows)
    {
        rows = 0;
        var values = wanted.Select(w => w ? new double[Math.Max(capacity, 0)] : null).ToArray();
        int filled = 1;
        while (records.MoveNext())
        {
            if (records.IsBlank()) continue;
            if (++filled > limits.MaxRows || rows == capacity) return null;
            for (int c = 0; c < values.Length; c++)
            {
                if (values[c] is not { } numbers) continue;
                var cell = c < records.Count ? records.Cell(c) : [];
                if (Utf8Cells.Number(cell, out numbers[rows]) == CellKind.Text) values[c] = null;
            }
            rows++;
        }
        return records.Declined ? null : values;
    }

    /// <summary>Second pass, for the text columns only: one shared string per distinct value.</summary>
    private static void Texts(string path, FileScan scan, ReadLimits limits, string?[]?[] text, int rows)
    {
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[limits.MaxCellChars];
        using var records = new Utf8CsvRecords(path, scan.Preamble, scan.Delimiter, limits);
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
