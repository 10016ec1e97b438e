using System.Globalization;
using NQPF.Stages.Ingest;

namespace NQPF.Stages.Simulation;

/// <summary>
/// Prints the simulated panel in the layout of the official Excel edition of the China City Statistical Yearbook
/// (data year y in edition y+1): one workbook per edition named 地级市（及以上城市）统计资料（{y+1}年）.xlsx with the title
/// 中国{y+1}年地级以上城市数据 in A1, a section row (劳动力就业状况（万人）: its unit applies to the section), a blank row,
/// the variable row (bilingual from the 2016 edition, a bracket typo in 2014), a 全市/市辖区 scope row under every variable
/// (a 市辖区 column of 年末常住人口 that ingest does not read), the 城市合计 row up to the 2017 edition, the municipalities,
/// then each province heading before its cities (names indented with non-breaking spaces in some editions, numbers
/// stored as text in others) and footnotes. The 2021 edition (data 2020) comes as one workbook per section in the
/// edition's folder, as the Excel edition also does from 2020. Values, units and missing cells are those of the classic layout of
/// the same seed (<see cref="YearbookLayout.Table"/>), so both give the same panel.
/// </summary>
internal static class OfficialLayout
{
    private sealed record Section(string Name, string? Unit, string[] Fields);

    private static readonly Section[] Sections =
    [
        new("人口状况", null, ["pop_registered", "pop_resident", "land_area"]),
        new("劳动力就业状况", "万人", ["employees_total", "employees_it", "employees_research"]),
        new("综合经济", null, ["gdp", "gdp_per_capita", "secondary_share", "tertiary_share", "avg_wage"]),
        new("财政与金融", null, ["fiscal_expenditure", "fiscal_revenue", "science_expenditure", "education_expenditure", "fdi_actual", "deposits", "loans"]),
        new("教育、邮电与能源", null, ["students_higher", "broadband_users", "mobile_users", "telecom_revenue", "electricity"]),
        new("科技与环境", null, ["patents_granted", "invention_patents_granted", "patents_applied", "so2_industrial", "wastewater_industrial",
            "solid_waste_util_rate", "green_coverage", "garbage_treatment_rate", "sewage_treatment_rate"]),
    ];

    private sealed record Col(string Field, string Scope, Section Section);

    /// <summary>The edition printed as one workbook per table in its folder (from 2020 the Excel edition also comes so);
    /// the others are single workbooks, so a refresh adds one file.</summary>
    public const int PerTableEdition = 2021;

    public static IReadOnlyList<SimFile> Yearbooks(SimulatedPanel panel, FieldCatalog catalog, int seed) =>
        panel.Years.SelectMany(y => Edition(panel, catalog, YearbookLayout.Table(panel, catalog, y, seed))).ToList();

    private static IEnumerable<SimFile> Edition(SimulatedPanel panel, FieldCatalog catalog, YearbookLayout.YearTable t)
    {
        var edition = t.Year + 1;
        var e = edition.ToString(CultureInfo.InvariantCulture);
        var columns = Columns(panel, t);
        if (edition != PerTableEdition)
        {
            var sheet = edition % 3 == 0 ? "Sheet1" : edition % 3 == 1 ? "地级城市统计资料" : e + "城市数据";
            yield return new SimFile($"地级市（及以上城市）统计资料（{e}年）.xlsx", SimFormat.Xlsx,
                [new SimSheet(sheet, Rows(panel, catalog, t, columns, $"中国{e}年地级以上城市数据", titleRow: 0))]);
            yield break;
        }
        var k = 1;
        foreach (var section in Sections)
        {
            var part = columns.Where(c => c.Section == section).ToList();
            var title = $"2-{k.ToString(CultureInfo.InvariantCulture)} {section.Name}";
            yield return new SimFile($"中国城市统计年鉴{e}（excel）/二、地级以上城市统计资料/2-{k++.ToString(CultureInfo.InvariantCulture)}_{section.Name}.xlsx",
                SimFormat.Xlsx, [new SimSheet("Sheet1", Rows(panel, catalog, t, part, title, titleRow: 1))]);
        }
    }

    /// <summary>Each field in section order, 全市 then (when printed) 市辖区; plus the 市辖区 column of 年末常住人口.</summary>
    private static List<Col> Columns(SimulatedPanel panel, YearbookLayout.YearTable t)
    {
        var list = new List<Col>();
        foreach (var section in Sections)
        {
            foreach (var field in section.Fields.Where(f => panel.Fields.Contains(f)))
            {
                list.Add(new Col(field, "全市", section));
                if (t.District.Any(d => d.Field == field) || field == "pop_resident")
                    list.Add(new Col(field, "市辖区", section));
            }
        }
        return list;
    }

    private static List<IReadOnlyList<SimCell>> Rows(SimulatedPanel panel, FieldCatalog catalog, YearbookLayout.YearTable t, List<Col> columns,
        string title, int titleRow)
    {
        var edition = t.Year + 1;
        var bilingual = edition >= 2016;
        var rows = new List<IReadOnlyList<SimCell>>();
        for (var i = 0; i < titleRow; i++)
            rows.Add([SimCell.Of("")]);
        rows.Add([SimCell.Of(title)]);
        rows.Add(Row("", columns.Select(c => c.Section.Unit is { } u ? $"{c.Section.Name}（{u}）" : c.Section.Name)));
        rows.Add([SimCell.Of("")]);
        rows.Add(Row(bilingual ? "城 市 City" : "城 市", columns.Select(c => Variable(catalog, c, edition, bilingual))));
        rows.Add(Row(bilingual ? "城 市 City" : "城 市", columns.Select(c => c.Scope == "全市"
            ? bilingual ? "全 市 Total City" : "全 市"
            : bilingual ? "市辖区  Districts under City" : "市辖区")));
        if (edition <= 2017 && titleRow == 0)
            rows.Add(Row("城市合计", columns.Select(_ => "")));
        string? province = null;
        var style = t.Style with { Format = SimFormat.Xlsx, ThousandsSeparators = false };
        foreach (var u in t.Units.OrderBy(u => u.City.IsMunicipality ? 0 : 1).ThenBy(u => u.City.Code, StringComparer.Ordinal))
        {
            if (!u.City.IsMunicipality && u.City.Province != province)
            {
                province = u.City.Province;
                rows.Add(Row(province, columns.Select(_ => "")));
            }
            var indent = edition % 3 == 1 && !u.City.IsMunicipality ? "\u00a0\u00a0" : "";
            var row = new List<SimCell> { SimCell.Of(indent + YearbookLayout.PrintedName(u, t.Year, t.Style)) };
            row.AddRange(columns.Select(c => Value(panel, catalog, t, style, u, c, edition)));
            rows.Add(row);
            if (t.Style.DuplicateRow && u.City.Code == YearbookLayout.DuplicatedCity(t.Units))
                rows.Add(row.ToList());
        }
        rows.Add([SimCell.Of("")]);
        rows.Add([SimCell.Of("注：本表数据为模拟数据（NQPF.Pipeline simulate），版式参照《中国城市统计年鉴》Excel版；“—”“…”“-”表示数据缺失。")]);
        return rows;
    }

    private static SimCell Value(SimulatedPanel panel, FieldCatalog catalog, YearbookLayout.YearTable t, YearStyle style, SimUnit u, Col c, int edition)
    {
        if (c.Field == "pop_resident" && c.Scope == "市辖区")
            return SimCell.Of("");
        var cell = YearbookLayout.ValueCell(panel, catalog, u, t.Year, style, new YearbookLayout.Column(c.Field, c.Scope), t.Missing, t.Random);
        // Some editions store numbers as text, one of them with Excel's apostrophe.
        return cell.Number is { } n && edition % 4 == 3
            ? SimCell.Of((edition % 8 == 7 ? "'" : "") + n.ToString("R", CultureInfo.InvariantCulture))
            : cell;
    }

    private static string Variable(FieldCatalog catalog, Col c, int edition, bool bilingual)
    {
        var f = catalog.Get(c.Field);
        var label = f.Aliases.Count > 0 && (edition + f.Name.Length) % 4 == 0 ? f.Aliases[0] : f.Label;
        var unit = c.Section.Unit is not null ? "" : YearbookLayout.Unit(f, YearbookLayout.Style(edition - 1));
        var open = edition % 2 == 0 ? "（" : "(";
        var close = edition == 2014 && f.Family == "persons_10k" ? ">" : edition % 2 == 0 ? "）" : ")";
        var printed = unit.Length == 0 ? label : $"{label} {open}{unit}{close}";
        return bilingual ? $"{printed} {English(c.Field)}" : printed;
    }

    private static List<SimCell> Row(string first, IEnumerable<string> rest) => [SimCell.Of(first), .. rest.Select(SimCell.Of)];

    /// <summary>The English half of a bilingual variable cell (editions from 2016).</summary>
    private static string English(string field) => field switch
    {
        "pop_registered" => "Household Registered Population at Year-end",
        "pop_resident" => "Resident Population at Year-end",
        "land_area" => "Total Land Area of Administrative Region",
        "gdp" => "Gross Regional Product",
        "gdp_per_capita" => "Per Capita Gross Regional Product",
        "secondary_share" => "Secondary Industry as Percentage to GRP",
        "tertiary_share" => "Tertiary Industry as Percentage to GRP",
        "employees_total" or "employees_it" or "employees_research" => "Number of Employed Persons at Year-end",
        _ => "Main Indicator",
    };
}
