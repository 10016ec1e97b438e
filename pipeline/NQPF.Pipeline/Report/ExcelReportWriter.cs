using MiniExcelLibs;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>
/// report.xlsx: a "contents" sheet, then one sheet per report table exactly as printed (header row, body, then the
/// notes), named after the table (Excel's 31-character limit and forbidden characters respected, duplicates numbered).
/// Text that a spreadsheet would take for a formula is neutralised as in CSV exports.
/// </summary>
internal sealed class ExcelReportWriter : IDocumentRenderer
{
    public string Stage => "report";

    public int Version => 1;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var sections = ReportTables.Read(result.Tables);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        var contents = new List<Dictionary<string, object>>
        {
            new() { ["A"] = "sheet", ["B"] = "section", ["C"] = "title", ["D"] = "source" },
        };
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "contents" };
        foreach (var table in sections.SelectMany(s => s.Tables))
        {
            var name = SheetName(table, used);
            contents.Add(new Dictionary<string, object> { ["A"] = name, ["B"] = table.Section, ["C"] = Cell(table.Title), ["D"] = table.Source });
            sheets[name] = Rows(table);
        }
        var all = new Dictionary<string, object>(StringComparer.Ordinal) { ["contents"] = contents };
        foreach (var (name, rows) in sheets)
            all[name] = rows;
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, all, printHeader: false, excelType: ExcelType.XLSX);
        return [new StageDocument("report.xlsx", stream.ToArray())];
    }

    private static List<Dictionary<string, object>> Rows(ReportTable table)
    {
        var width = Math.Max(1, table.Header.Count);
        var columns = Enumerable.Range(0, width).Select(Column).ToArray();
        var rows = new List<Dictionary<string, object>>();
        foreach (var row in new[] { table.Header }.Concat(table.Rows))
            rows.Add(columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (object)Cell(p.i < row.Count ? row[p.i] : "")));
        foreach (var note in table.Notes)
            rows.Add(columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (object)(p.i == 0 ? Cell(note) : "")));
        return rows;
    }

    /// <summary>Numbers as numbers (so they can be computed with), everything else as neutralised text.</summary>
    private static object Cell(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
            : Checkpoints.FrameExport.Neutralise(text);

    private static string Column(int index) =>
        index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);

    internal static string SheetName(ReportTable table, HashSet<string> used)
    {
        var baseName = new string([.. table.Source.Select(c => "[]:*?/\\".Contains(c) ? '_' : c)]);
        if (table.Id.EndsWith("-counts", StringComparison.Ordinal))
            baseName += "_counts";
        if (table.Id.EndsWith("-large", StringComparison.Ordinal))
            baseName = table.Section + "_large";
        baseName = baseName.Length > 28 ? baseName[..28] : baseName;
        var name = baseName;
        for (var n = 2; !used.Add(name); n++)
            name = baseName + "~" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return name;
    }
}
