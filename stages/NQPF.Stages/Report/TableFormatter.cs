using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>
/// Prints a frame as it is (the refresh comparison's tables): every column, headed by its catalogue label; numbers
/// with the configured decimals (thousands separated from 10⁴), long frames cut at <see cref="ReportOptions.MaxRows"/>
/// rows with a note naming the dataset.
/// </summary>
internal sealed class TableFormatter(ReportOptions options, ReportLabels labels)
{
    public ReportTable Format(string id, string title, string source, Frame frame)
    {
        var count = Math.Min(frame.RowCount, options.MaxRows);
        var rows = new List<IReadOnlyList<string>>();
        for (var i = 0; i < count; i++)
            rows.Add([.. frame.Columns.Select(c => Cell(c, i))]);
        var notes = new List<string>();
        if (frame.RowCount > count)
        {
            notes.Add(labels.Pick(
                string.Create(CultureInfo.InvariantCulture, $"First {count} of {frame.RowCount} rows; the full table is {source}."),
                string.Create(CultureInfo.InvariantCulture, $"仅列出前 {count} 行（共 {frame.RowCount} 行）；完整数据见 {source}。")));
        }
        if (frame.RowCount == 0)
            notes.Add(labels.Pick("The table is empty.", "该表为空。"));
        return new ReportTable(id, "", title, source, ReportTableKind.Plain, [[.. frame.Columns.Select(c => labels[c.Name])]], rows, notes);
    }

    private string Number(double value) =>
        double.IsNaN(value) ? "" : double.IsInfinity(value) ? (value > 0 ? "∞" : "−∞")
        : value.ToString("F" + options.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private string Cell(Column column, int row) => column switch
    {
        DoubleColumn d => Number(d.Values[row]),
        LongColumn l => l.Values[row].ToString(CultureInfo.InvariantCulture),
        BoolColumn b => b.Values[row] ? "1" : "0",
        StringColumn s => s.Values[row] ?? "",
        _ => "",
    };
}
