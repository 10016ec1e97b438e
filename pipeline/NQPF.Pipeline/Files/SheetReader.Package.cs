using System.Globalization;
using System.IO.Compression;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Files;

/// <summary>The .xlsx package checks of <see cref="SheetReader"/>: zip-bomb limits on every entry, cell references
/// beyond Excel's grid, and error cells put back into the rows ExcelDataReader returns.</summary>
internal sealed partial class SheetReader
{
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
}
