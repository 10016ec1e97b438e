using System.Globalization;
using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>
/// Reads an analysis CSV (the <c>--data</c> of estimate, did, placebo) straight into typed columns, without building a
/// string per cell: numbers are parsed from the field's characters, and text columns keep one string per distinct value.
/// It gives exactly the frame <see cref="TableFiles.FromSheet"/> builds from <see cref="SheetReader"/>'s rows (same
/// delimiter rule, blank rows skipped, cells trimmed, a column numeric when every non-empty cell parses as an
/// invariant-culture number, empty → NaN or null) and applies only where that is certain: valid UTF-8 without NUL
/// bytes, balanced quotes, every line and cell within the limits. Otherwise it returns null and the caller reads the
/// file the general way, which also reports any problem with its usual message.
/// </summary>
internal static class CsvColumns
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static Frame? TryRead(byte[] bytes, ReadLimits limits)
    {
        var preamble = bytes.AsSpan().StartsWith(Utf8Bom) ? 3 : 0;
        var body = bytes.AsSpan(preamble);
        if (body.IsEmpty || body.Contains((byte)0) || !Utf8.IsValid(body) || body.Count((byte)'"') % 2 != 0) return null;
        var delimiter = Delimiter(body);
        // Records are at most the lines: numbers go straight into arrays of that length, trimmed at the end.
        var capacity = body.Count((byte)'\n') + 1;
        var values = Numbers(bytes, preamble, delimiter, limits, capacity, out var header, out var rows);
        if (values is null || header.Length == 0 || header.Any(h => h.Length == 0)) return null;
        var text = new string?[]?[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            if (values[c] is { } v) Array.Resize(ref values[c], rows);
            else text[c] = new string?[rows];
        }
        if (text.Any(t => t is not null)) Texts(bytes, preamble, delimiter, text, rows);
        var columns = new List<Column>(header.Length);
        for (int c = 0; c < header.Length; c++)
            columns.Add(values[c] is { } v ? new DoubleColumn(header[c], v) : new StringColumn(header[c], text[c]!));
        return new Frame(columns);
    }

    /// <summary>SheetReader's rule on the first 64 Ki characters: the most frequent of comma, tab and semicolon (comma on ties).</summary>
    private static char Delimiter(ReadOnlySpan<byte> body)
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
        return best;
    }

    private static SepReader Open(byte[] bytes, int preamble, char delimiter) =>
        Sep.New(delimiter).Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true, DisableFastFloat = true })
            .From(new MemoryStream(bytes, preamble, bytes.Length - preamble, writable: false));

    private static bool IsBlank(SepReader.Row row)
    {
        for (int i = 0; i < row.ColCount; i++)
            if (!row[i].Span.IsWhiteSpace()) return false;
        return true;
    }

    /// <summary>
    /// First pass: the header, the number of data rows, and every column parsed as numbers; a column with a cell that
    /// is not a number is dropped to null (read as text later). Null when a limit is hit.
    /// </summary>
    private static double[]?[]? Numbers(byte[] bytes, int preamble, char delimiter, ReadLimits limits, int capacity, out string[] header, out int rows)
    {
        header = [];
        rows = 0;
        double[]?[]? values = null;
        int records = 0;
        using var reader = Open(bytes, preamble, delimiter);
        foreach (var row in reader)
        {
            if (++records > limits.MaxRows || row.ColCount > limits.MaxColumns || row.Span.Length > limits.MaxLineChars) return null;
            for (int i = 0; i < row.ColCount; i++)
                if (row[i].Span.Length > limits.MaxCellChars) return null;
            if (IsBlank(row)) continue;
            if (values is null)
            {
                header = new string[row.ColCount];
                for (int i = 0; i < header.Length; i++) header[i] = row[i].Span.Trim().ToString();
                values = new double[]?[header.Length];
                for (int i = 0; i < header.Length; i++) values[i] = new double[capacity];
                continue;
            }
            for (int c = 0; c < values.Length; c++)
            {
                if (values[c] is not { } numbers) continue;
                var cell = c < row.ColCount ? row[c].Span.Trim() : [];
                if (cell.IsEmpty) numbers[rows] = double.NaN;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[rows])) values[c] = null;
            }
            rows++;
        }
        return values;
    }

    /// <summary>Second pass, for the text columns only: one shared string per distinct value.</summary>
    private static void Texts(byte[] bytes, int preamble, char delimiter, string?[]?[] text, int rows)
    {
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        int r = -1;
        var header = true;
        using var reader = Open(bytes, preamble, delimiter);
        foreach (var row in reader)
        {
            if (IsBlank(row)) continue;
            if (header)
            {
                header = false;
                continue;
            }
            r++;
            for (int c = 0; c < text.Length; c++)
            {
                if (text[c] is not { } target) continue;
                var cell = c < row.ColCount ? row[c].Span.Trim() : [];
                if (cell.IsEmpty) continue;
                if (!lookup.TryGetValue(cell, out var s))
                {
                    s = cell.ToString();
                    lookup[cell] = s;
                }
                target[r] = s;
            }
        }
        if (r + 1 != rows) throw new InvalidOperationException($"CSV rows changed between passes ({rows} then {r + 1}).");
    }
}
