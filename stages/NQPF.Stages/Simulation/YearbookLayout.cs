using System.Globalization;
using NQPF.Stages.Ingest;

namespace NQPF.Stages.Simulation;

/// <summary>
/// Prints the simulated panel as yearbook files with the quirks of real China City Statistical Yearbook extracts:
/// per-year format (xlsx / CSV UTF-8 BOM / CSV GB18030), title and footnote rows, units in parentheses or in a unit
/// row, 全市/市辖区 variants (inline, group row or separate sheets), names with or without 市, an optional code column,
/// old names in old years, an OCR variant (毫州), province heading rows, one year in 亿元, thousands separators,
/// missing cells as blank/—/…/-, out-of-sample units, and an identical duplicated row. Layout randomness (column
/// order, which cells are missing) comes from the seed.
/// </summary>
internal static class YearbookLayout
{
    /// <summary>Fields printed with a 市辖区 variant.</summary>
    public static readonly string[] DistrictFields = ["pop_registered", "land_area", "gdp", "employees_total", "fiscal_expenditure"];

    /// <summary>Cities with planted multi-year gaps (sample rule R4) and the fields and years that are missing.</summary>
    public static readonly string[] GapFields = ["employees_research", "patents_granted", "invention_patents_granted", "patents_applied", "science_expenditure"];

    public const int GapFrom = 2014;

    public const int GapTo = 2017;

    private static readonly string[] Markers = ["", "—", "…", "-"];

    /// <summary>The quirks of a year (a fixed 11-year cycle starting 2011).</summary>
    public static YearStyle Style(int year) => (((year - 2011) % 11 + 11) % 11) switch
    {
        0 => new YearStyle(SimFormat.Xlsx, false, false, false, ScopeLayout.Sheets, false, false, false, false, false),
        1 => new YearStyle(SimFormat.CsvGb18030, false, false, true, ScopeLayout.GroupRow, false, false, true, false, false),
        2 => new YearStyle(SimFormat.CsvUtf8Bom, true, true, false, ScopeLayout.InlineSuffix, false, true, false, false, false),
        3 => new YearStyle(SimFormat.Xlsx, false, true, true, ScopeLayout.GroupRow, false, false, false, false, false),
        4 => new YearStyle(SimFormat.CsvGb18030, false, false, false, ScopeLayout.InlinePrefix, true, false, false, false, false),
        5 => new YearStyle(SimFormat.Xlsx, true, false, false, ScopeLayout.Sheets, false, false, false, true, false),
        6 => new YearStyle(SimFormat.CsvUtf8Bom, false, true, true, ScopeLayout.GroupRow, false, true, false, false, false),
        7 => new YearStyle(SimFormat.Xlsx, false, false, false, ScopeLayout.InlineSuffix, false, false, true, false, true),
        8 => new YearStyle(SimFormat.CsvGb18030, true, true, false, ScopeLayout.GroupRow, false, false, false, false, false),
        9 => new YearStyle(SimFormat.Xlsx, false, true, true, ScopeLayout.Sheets, false, false, false, false, false),
        _ => new YearStyle(SimFormat.CsvUtf8Bom, false, false, false, ScopeLayout.InlineSuffix, false, true, false, true, false),
    };

    public static IReadOnlyList<SimFile> Yearbooks(SimulatedPanel panel, FieldCatalog catalog, int seed) =>
        panel.Years.Select(y => Yearbook(panel, catalog, y, Style(y), seed)).ToList();

    internal sealed record Column(string Field, string Scope);

    /// <summary>What one year's yearbook holds, whatever its layout: the columns (city columns in the seeded order,
    /// then the 市辖区 ones), the units printed, the cells left missing, and the year's random stream for the rest.</summary>
    internal sealed record YearTable(int Year, YearStyle Style, List<Column> City, List<Column> District, List<SimUnit> Units,
        HashSet<(string, string)> Missing, Random Random);

    /// <summary>The year's table, drawn from the layout stream of <paramref name="seed"/>: every layout of one seed prints
    /// the same cells missing and the same values.</summary>
    internal static YearTable Table(SimulatedPanel panel, FieldCatalog catalog, int year, int seed)
    {
        var r = new SimRandom(seed).Stream("layout:" + year.ToString(CultureInfo.InvariantCulture));
        var city = catalog.Fields.Where(f => panel.Fields.Contains(f.Name)).Select(f => new Column(f.Name, "全市"))
            .OrderBy(_ => r.Next()).ToList();
        var district = DistrictFields.Select(f => new Column(f, "市辖区")).ToList();
        var units = panel.Units.Where(u => u.Printed(year)).OrderBy(u => u.City.Code, StringComparer.Ordinal).ToList();
        var missing = new HashSet<(string, string)>();
        foreach (var u in units)
        {
            foreach (var c in city.Concat(district))
            {
                if (r.NextDouble() < 0.006)
                    missing.Add((u.City.Code, c.Field + c.Scope));
            }
        }
        return new YearTable(year, Style(year), city, district, units, missing, r);
    }

    private static SimFile Yearbook(SimulatedPanel panel, FieldCatalog catalog, int year, YearStyle style, int seed)
    {
        var t = Table(panel, catalog, year, seed);
        var (city, district, units, missing, r) = (t.City, t.District, t.Units, t.Missing, t.Random);
        var ext = style.Format == SimFormat.Xlsx ? "xlsx" : "csv";
        var y = year.ToString(CultureInfo.InvariantCulture);
        var title = $"{y}年 中国城市统计年鉴 地级及以上城市主要指标";
        IReadOnlyList<SimSheet> sheets;
        if (style.Scope == ScopeLayout.Sheets && style.Format == SimFormat.Xlsx)
        {
            sheets =
            [
                Sheet("全市", title, panel, catalog, year, style, city, units, missing, r, groupRow: false),
                Sheet("市辖区", title + "(市辖区)", panel, catalog, year, style, district, units, missing, r, groupRow: false),
            ];
        }
        else
        {
            var groupRow = style.Scope is ScopeLayout.GroupRow or ScopeLayout.Sheets;
            sheets = [Sheet(y, title, panel, catalog, year, style, city.Concat(district).ToList(), units, missing, r, groupRow)];
        }
        return new SimFile($"csy_{y}.{ext}", style.Format, sheets);
    }

    private static SimSheet Sheet(string name, string title, SimulatedPanel panel, FieldCatalog catalog, int year,
        YearStyle style, List<Column> columns, List<SimUnit> units, HashSet<(string, string)> missing, Random r, bool groupRow)
    {
        var rows = new List<IReadOnlyList<SimCell>>
        {
            new[] { SimCell.Of(title) },
            new[] { SimCell.Of("") },
        };
        var keyCols = style.CodeColumn ? new[] { "城市", "行政区划代码" } : ["城市"];
        if (groupRow)
        {
            var g = keyCols.Select(_ => SimCell.Of("")).ToList();
            string? last = null;
            foreach (var c in columns)
            {
                g.Add(SimCell.Of(c.Scope == last ? "" : c.Scope));
                last = c.Scope;
            }
            rows.Add(g);
        }
        var header = keyCols.Select(SimCell.Of).ToList();
        var unitRow = keyCols.Select(_ => SimCell.Of("")).ToList();
        foreach (var c in columns)
        {
            var f = catalog.Get(c.Field);
            var label = f.Aliases.Count > 0 && (year + f.Name.Length) % 4 == 0 ? f.Aliases[0] : f.Label;
            var unit = Unit(f, style);
            var scoped = c.Scope == "市辖区" && !groupRow && name != "市辖区"
                ? style.Scope == ScopeLayout.InlinePrefix ? "市辖区" + label : label + "(市辖区)"
                : label;
            header.Add(SimCell.Of(style.UnitRow ? scoped : $"{scoped}({unit})"));
            unitRow.Add(SimCell.Of(unit));
        }
        rows.Add(header);
        if (style.UnitRow)
            rows.Add(unitRow);
        string? province = null;
        foreach (var u in units)
        {
            if (style.ProvinceRows && u.City.Province != province && !u.City.IsMunicipality)
            {
                rows.Add(new[] { SimCell.Of(u.City.Province) });
                province = u.City.Province;
            }
            var row = new List<SimCell> { SimCell.Of(PrintedName(u, year, style)) };
            if (style.CodeColumn)
                row.Add(SimCell.Of(u.City.Code));
            foreach (var c in columns)
                row.Add(ValueCell(panel, catalog, u, year, style, c, missing, r));
            rows.Add(row);
            if (style.DuplicateRow && u.City.Code == DuplicatedCity(units))
                rows.Add(row.ToList());
        }
        rows.Add(new[] { SimCell.Of("") });
        rows.Add(new[] { SimCell.Of("注：本表数据为模拟数据(NQPF.Pipeline simulate)，口径参照《中国城市统计年鉴》；“—”“…”“-”表示数据缺失。") });
        rows.Add(new[] { SimCell.Of("资料来源：模拟生成，不代表任何官方统计。") });
        return new SimSheet(name, rows);
    }

    /// <summary>The unit whose row is printed twice in duplicate years: the first in-sample unit of 河北省.</summary>
    internal static string DuplicatedCity(List<SimUnit> units) =>
        units.First(u => u.City.InSample && u.City.Code.StartsWith("13", StringComparison.Ordinal)).City.Code;

    internal static string Unit(FieldDef f, YearStyle style) =>
        style.GdpInYi && f.Name == "gdp" ? "亿元" : f.CanonicalUnit;

    internal static string PrintedName(SimUnit u, int year, YearStyle style)
    {
        var c = u.City;
        // In its conversion year a 地区 is printed under its old name (毕节地区 in 2011).
        if (year < c.CityFrom && c.FormerNames.Count > 0)
            return c.FormerNames[0];
        if (style.OcrAlias && c.Code == "341600")
            return "毫州";
        return style.ShortNames ? c.ShortName : c.Name;
    }

    internal static SimCell ValueCell(SimulatedPanel panel, FieldCatalog catalog, SimUnit u, int year, YearStyle style,
        Column c, HashSet<(string, string)> missing, Random r)
    {
        var panelName = c.Scope == "市辖区" ? c.Field + "_district" : c.Field;
        var sansha = u.City.Code == "460300" && c.Field is not ("land_area" or "pop_registered");
        var gap = u.City.ExclusionReason?.StartsWith("R4", StringComparison.Ordinal) == true
                  && GapFields.Contains(c.Field) && year is >= GapFrom and <= GapTo;
        if (sansha || gap || missing.Contains((u.City.Code, c.Field + c.Scope)))
            return SimCell.Of(Markers[r.Next(Markers.Length)]);
        var v = panel.Value(Scenario.Observed, u.City.Code, year, panelName);
        var f = catalog.Get(c.Field);
        var unit = Unit(f, style);
        var printed = v / f.Units[unit];
        var decimals = Decimals(f, unit);
        printed = Math.Round(printed, decimals);
        if (style.ThousandsSeparators && Math.Abs(printed) >= 1000)
            return SimCell.Of(printed.ToString("#,##0." + new string('#', Math.Max(1, decimals)), CultureInfo.InvariantCulture).TrimEnd('.'));
        return style.Format == SimFormat.Xlsx ? SimCell.Of(printed)
            : SimCell.Of(printed.ToString("0." + new string('#', Math.Max(1, decimals)), CultureInfo.InvariantCulture).TrimEnd('.'));
    }

    /// <summary>Decimals printed: enough to carry the simulated (already rounded) canonical value exactly.</summary>
    private static int Decimals(FieldDef f, string unit) => (f.Family, unit) switch
    {
        (_, "亿元") => 4,
        ("persons_10k", _) => 4,
        ("subscribers_10k", _) => 2,
        ("percent", _) => 2,
        ("tonnes_10k", _) => 1,
        _ => 0,
    };
}
