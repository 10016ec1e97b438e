using System.Globalization;
using NQPF.Stages.Ingest;

namespace NQPF.Stages.Simulation;

/// <summary>
/// Prints the simulated panel as per-variable long workbooks, the shape of database exports and researchers' panels:
/// one workbook per field and scope ({label}.xlsx, {label}(市辖区).xlsx), all years in one table with the header
/// 年份 | 城市 | 行政区划代码 | {label} | 单位 — the unit in its own column, per row (地区生产总值 in 亿元 in the year the
/// classic layout prints it so). Values, units and missing cells are those of <see cref="YearbookLayout.Table"/> for
/// the same seed, so this layout and the yearbook layouts give the same panel.
/// </summary>
internal static class DatabaseLayout
{
    public static IReadOnlyList<SimFile> Workbooks(SimulatedPanel panel, FieldCatalog catalog, int seed)
    {
        var tables = panel.Years.Select(y => YearbookLayout.Table(panel, catalog, y, seed)).ToList();
        var columns = tables[0].City.OrderBy(c => c.Field, StringComparer.Ordinal).Concat(tables[0].District).ToList();
        return columns.Select(c => Workbook(panel, catalog, tables, c)).ToList();
    }

    private static SimFile Workbook(SimulatedPanel panel, FieldCatalog catalog, List<YearbookLayout.YearTable> tables, YearbookLayout.Column c)
    {
        var f = catalog.Get(c.Field);
        var label = c.Scope == "市辖区" ? f.Label + "(市辖区)" : f.Label;
        var rows = new List<IReadOnlyList<SimCell>> { new[] { "年份", "城市", "行政区划代码", label, "单位" }.Select(SimCell.Of).ToArray() };
        foreach (var t in tables)
        {
            var style = t.Style with { Format = SimFormat.Xlsx, ThousandsSeparators = false };
            var unit = YearbookLayout.Unit(f, t.Style);
            foreach (var u in t.Units)
            {
                rows.Add(
                [
                    SimCell.Of(t.Year.ToString(CultureInfo.InvariantCulture)), SimCell.Of(YearbookLayout.PrintedName(u, t.Year, t.Style)),
                    SimCell.Of(u.City.Code), YearbookLayout.ValueCell(panel, catalog, u, t.Year, style, c, t.Missing, t.Random), SimCell.Of(unit),
                ]);
            }
        }
        return new SimFile(label + ".xlsx", SimFormat.Xlsx, [new SimSheet("Sheet1", rows)]);
    }
}
