using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using nietras.SeparatedValues;
using NQPF.Pipeline.Files;
using NQPF.Stages.Simulation;

namespace NQPF.Pipeline.Simulation;

/// <summary>
/// Writes simulated yearbooks: CSV through Sep (UTF-8 with BOM or GB18030, CRLF like Excel exports), workbooks through
/// MiniExcel. Output is byte-identical for the same content: the .xlsx package is re-zipped with its entries in a fixed
/// order, a fixed timestamp and no creation dates, so the seed alone decides the bytes.
/// </summary>
internal static partial class SimulationWriter
{
    /// <summary>Fixed zip entry time (zip timestamps are local DOS times; 1980-01-01 is the format's epoch).</summary>
    private static readonly DateTimeOffset ZipTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] ToBytes(SimFile file) => file.Format switch
    {
        SimFormat.Xlsx => Xlsx(file),
        SimFormat.CsvUtf8Bom => Csv(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)),
        SimFormat.CsvGb18030 => Csv(file, TextEncodings.Gb18030),
        _ => throw new ArgumentOutOfRangeException(nameof(file), file.Format, "unknown format"),
    };

    private static byte[] Csv(SimFile file, Encoding encoding)
    {
        var sheet = file.Sheets.Single();
        var width = sheet.Rows.Max(r => r.Count);
        var sb = new StringBuilder();
        using (var text = new StringWriter(sb, CultureInfo.InvariantCulture) { NewLine = "\r\n" })
        using (var writer = Sep.New(',').Writer(o => o with
               {
                   WriteHeader = false,
                   Escape = true,
                   DisableColCountCheck = true,
                   CultureInfo = CultureInfo.InvariantCulture,
               }).To(text))
        {
            var names = Enumerable.Range(0, width).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            foreach (var r in sheet.Rows)
            {
                using var row = writer.NewRow();
                for (var i = 0; i < width; i++)
                    row[names[i]].Set(i < r.Count ? CellText(r[i]) : "");
            }
        }
        var preamble = encoding.GetPreamble();
        var body = encoding.GetBytes(sb.ToString());
        return [.. preamble, .. body];
    }

    private static string CellText(SimCell c) =>
        c.Text ?? c.Number?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static byte[] Xlsx(SimFile file)
    {
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var s in file.Sheets)
        {
            var width = s.Rows.Max(r => r.Count);
            var rows = s.Rows.Select(r =>
            {
                var d = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < width; i++)
                {
                    object? v = i >= r.Count ? null : r[i].Number is { } n ? n : r[i].Text;
                    d[ColumnName(i)] = v;
                }
                return d;
            }).ToList();
            sheets[s.Name] = rows;
        }
        using var raw = new MemoryStream();
        MiniExcel.SaveAs(raw, sheets, printHeader: false, excelType: ExcelType.XLSX);
        return Normalise(raw.ToArray());
    }

    private static string ColumnName(int i)
    {
        var s = "";
        for (i++; i > 0; i = (i - 1) / 26)
            s = (char)('A' + (i - 1) % 26) + s;
        return s;
    }

    /// <summary>
    /// Re-zips a package with every entry stamped <see cref="ZipTime"/>, in the original order, with MiniExcel's
    /// random relationship ids (R + 32 hex digits, a fresh GUID per save) renamed rId1, rId2, … in order of first
    /// appearance (consistently across the workbook and its .rels).
    /// </summary>
    internal static byte[] Normalise(byte[] package)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                using var buffer = new MemoryStream();
                source.CopyTo(buffer);
                var content = RenameIds(StripDates(entry.FullName, buffer.ToArray()), ids);
                var target = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                target.LastWriteTime = ZipTime;
                using var ts = target.Open();
                ts.Write(content);
            }
        }
        return output.ToArray();
    }

    private static byte[] RenameIds(byte[] content, Dictionary<string, string> ids)
    {
        var xml = Encoding.UTF8.GetString(content);
        var renamed = RandomId().Replace(xml, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id))
                ids[m.Value] = id = "rId" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
            return id;
        });
        return ReferenceEquals(renamed, xml) || renamed == xml ? content : Encoding.UTF8.GetBytes(renamed);
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?<=\"|')R[0-9a-f]{32}(?=\"|')")]
    private static partial System.Text.RegularExpressions.Regex RandomId();

    /// <summary>Removes dcterms:created/modified from docProps/core.xml (they carry the wall-clock time).</summary>
    private static byte[] StripDates(string name, byte[] content)
    {
        if (!name.EndsWith("core.xml", StringComparison.OrdinalIgnoreCase))
            return content;
        var xml = Encoding.UTF8.GetString(content);
        xml = System.Text.RegularExpressions.Regex.Replace(xml, "<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\\1>", "");
        return Encoding.UTF8.GetBytes(xml);
    }
}
