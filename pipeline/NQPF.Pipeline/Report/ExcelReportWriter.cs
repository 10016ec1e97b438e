using MiniExcelLibs;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>
/// report.xlsx: a "contents" sheet, then one sheet per report table exactly as printed (header rows, body, then the
/// notes), named after its number ("Table 3", "Table A1"; the scorecard "Scorecard"; Excel's 31-character limit and
/// forbidden characters respected, duplicates numbered). Cells that are numbers are stored as numbers; text that a
/// spreadsheet would take for a formula is neutralised as in CSV exports.
/// </summary>
internal sealed class ExcelReportWriter : IDocumentRenderer
{
    public string Stage => "report";

    public int Version => 2;

    public IReadOnlyList<StageDocument> Render(StageResult result, object settings)
    {
        var report = PrintedReport.Read(result.Tables);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        var contents = new List<Dictionary<string, object>>
        {
            new() { ["A"] = "sheet", ["B"] = "number", ["C"] = "title", ["D"] = "source" },
        };
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "contents" };
        foreach (var table in report.Tables)
        {
            var name = SheetName(table, used);
            contents.Add(new Dictionary<string, object> { ["A"] = name, ["B"] = table.Number, ["C"] = Cell(table.Title), ["D"] = table.Source });
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
        var width = Math.Max(1, table.ColumnCount);
        var columns = Enumerable.Range(0, width).Select(Column).ToArray();
        var rows = new List<Dictionary<string, object>>();
        foreach (var row in table.Header.Concat(table.Rows))
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
        var baseName = table.Number.Length > 0 ? table.Number : table.Kind == ReportTableKind.Scorecard ? "Scorecard" : table.Id;
        baseName = new string([.. baseName.Select(c => "[]:*?/\\".Contains(c) ? '_' : c)]);
        baseName = baseName.Length > 28 ? baseName[..28] : baseName;
        var name = baseName;
        for (var n = 2; !used.Add(name); n++)
            name = baseName + "~" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return name;
    }
}
