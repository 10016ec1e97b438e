using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Tests.Shared;

/// <summary>
/// Sheets in the shapes of the real files (synthetic numbers): the official yearbook edition table, the per-table
/// workbook of the 2020+ editions, and the per-variable long panels researchers share. Cells are given as the sheet
/// reader returns them (merged cells already filled across their range). Shared by the stage tests (in memory) and
/// the pipeline tests (written to xlsx/csv files and run through the CLI). Values are a simple function of the city's
/// position so each test can state the expected panel.
/// </summary>
internal static class RealLayoutFixtures
{
    public static readonly (string Name, string Code, string English)[] Hebei =
    [
        ("石家庄市", "130100", "Shijiazhuang"), ("唐山市", "130200", "Tangshan"), ("秦皇岛市", "130300", "Qinhuangdao"),
        ("邯郸市", "130400", "Handan"), ("邢台市", "130500", "Xingtai"), ("保定市", "130600", "Baoding"),
        ("张家口市", "130700", "Zhangjiakou"), ("承德市", "130800", "Chengde"), ("沧州市", "130900", "Cangzhou"),
        ("廊坊市", "131000", "Langfang"), ("衡水市", "131100", "Hengshui"),
    ];

    public static double Pop(int i) => 300 + 50 * i;

    public static double PopDistrict(int i) => 100 + 20 * i;

    public static double EmployeesPersons(int i) => 400000 + 10000 * i;

    public static double Gdp(int i) => 20000000 + 1000000 * i;

    public static double GdpDistrict(int i) => 8000000 + 500000 * i;

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A sheet as the reader returns it, from lines split on <paramref name="separator"/>.</summary>
    public static Sheet Table(string name, char separator, params string[] lines) =>
        new(name, lines.Select((l, i) => new SheetRow(i + 1, l.Split(separator))).ToList());

    /// <summary>
    /// The official edition table (editions 2012–2019 shape): title with the edition year in A1, a section row
    /// (a unit in 劳动力就业状况（人） applies to its section), a blank row, bilingual variable cells spanning two merged
    /// columns with typos and line breaks, a bilingual 全市/市辖区 scope row, the 城市合计 total, a province row with
    /// totals, city names indented with NBSP, a footnote and an advert footer.
    /// </summary>
    public static Sheet OfficialEdition(int edition)
    {
        const string pop = "年末户籍人口 (万人） Household Registered Population at Year-end (10 000 persons)";
        const string res = "年末常住人口(万人>";
        const string emp = "城镇单位从业人员期末人数";
        const string gdp = "地区生产总值\n（万元）";
        var lines = new List<string>
        {
            $"中国{edition}年地级以上城市数据||||||||",
            "|人口状况|人口状况|人口状况|人口状况|劳动力就业状况（人）|劳动力就业状况（人）|综合经济|综合经济",
            "||||||||",
            $"城 市|{pop}|{pop}|{res}|{res}|{emp}|{emp}|{gdp}|{gdp}",
            "城 市|全 市 Total City|市辖区  Districts under City|全 市|市辖区|全 市 Total City|市辖区|全　市|市辖区",
            "城市合计|99999|88888|99999|88888|9999999|8888888|999999999|888888888",
            $"北京市|1300|1200|2100|2000|7000000|6500000|200000000|190000000",
            "河北省|7000|2000|7300|2100|5000000|2500000|300000000|120000000",
        };
        for (var i = 0; i < Hebei.Length; i++)
        {
            lines.Add($"\u00a0\u00a0{Hebei[i].Name}|{N(Pop(i))}|{N(PopDistrict(i))}|{N(Pop(i) + 20)}|{N(PopDistrict(i) + 10)}|" +
                      $"{N(EmployeesPersons(i))}|{N(EmployeesPersons(i) / 2)}|{N(Gdp(i))}|{N(GdpDistrict(i))}");
        }
        lines.Add("||||||||");
        lines.Add("注：本表数据为虚构的测试数据。||||||||");
        lines.Add("更多数据，关注公众号：某某数据||||||||");
        return Table("Sheet1", '|', [.. lines]);
    }

    /// <summary>
    /// A per-table workbook of the 2020+ editions (2-1_人口数.xlsx in 中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/):
    /// a table title without the year, column A the Chinese name and column B the English one, a header over two rows,
    /// numbers stored as text (one with Excel's apostrophe).
    /// </summary>
    public static Sheet PerTableWorkbook(Func<int, (string Name, string English)>? names = null)
    {
        names ??= i => (Hebei[i].Name, Hebei[i].English);
        var lines = new List<string>
        {
            "2-1 人口数|||",
            "城市|City|户籍人口(万人) Registered Population (10 000 persons)|户籍人口(万人) Registered Population (10 000 persons)",
            "城市|City|全市 Total City|市辖区 Districts under City",
            "北京|Beijing|1400|1350",
        };
        for (var i = 0; i < Hebei.Length; i++)
            lines.Add($"{names(i).Name}|{names(i).English}|{(i == 0 ? "'" : "")}{N(Pop(i) + 5)}|{N(PopDistrict(i) + 5)}");
        return Table("Sheet1", '|', [.. lines]);
    }

    /// <summary>A researcher's per-variable long panel: year | 地级市 | 外商直接投资 | 单位 | 数据来源, the unit in its own
    /// column, names short, full and province-prefixed, a province row and a county-level city mixed in, an advert
    /// footer. <paramref name="scale"/> divides the printed values (100: printed in 百万美元 but labelled 万美元).</summary>
    public static Sheet FdiPanel(string unit, double scale, int firstYear, int lastYear)
    {
        var lines = new List<string> { "year|地级市|外商直接投资|单位|数据来源" };
        for (var year = firstYear; year <= lastYear; year++)
        {
            lines.Add($"{year}|河北省|999999|{unit}|省统计年鉴");
            for (var i = 0; i < Hebei.Length; i++)
            {
                var name = (i % 3) switch { 0 => Hebei[i].Name, 1 => Hebei[i].Name.TrimEnd('市'), _ => "河北" + Hebei[i].Name.TrimEnd('市') };
                lines.Add($"{year}|{name}|{N(Fdi(i, year) / scale)}|{unit}|城市统计年鉴");
            }
            lines.Add($"{year}|辛集市|1234|{unit}|城市统计年鉴");
        }
        lines.Add("更多数据，关注微信公众号：某某数据||||");
        return Table("Sheet1", '|', [.. lines]);
    }

    public static double Fdi(int i, int year) => 20000 + 1000 * i + 100 * (year - 2010);

    /// <summary>A wide table: years across the columns, the field and unit named only by the file (地区生产总值(亿元).xlsx).</summary>
    public static Sheet WideGdp()
    {
        var lines = new List<string> { "城市|2011年|2012年|2013年" };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|{N(Gdp(i) / 1e4)}|{N(Gdp(i) / 1e4 + 100)}|{N(Gdp(i) / 1e4 + 200)}"));
        return Table("Sheet1", '|', [.. lines]);
    }

    /// <summary>A CSMAR-style export: field codes, Chinese labels and units in three header rows, 6-digit codes.</summary>
    public static Sheet Csmar()
    {
        var lines = new List<string> { "Sgnyea|Ctcd|Ctnm|Gdp0101|Pop0101", "统计年度|城市代码|城市名称|地区生产总值|年末户籍人口", "没有单位|没有单位|没有单位|亿元|万人" };
        foreach (var year in new[] { 1995, 2013 })
            lines.AddRange(Hebei.Select((c, i) => $"{year}|{c.Code}|{c.Name}|{N(Gdp(i) / 1e4)}|{N(Pop(i))}"));
        return Table("Sheet1", '|', [.. lines]);
    }

    /// <summary>The 2021 edition: title in A2, three header levels (常住人口 → 城镇常住人口 → scope), 2-1 section number.</summary>
    public static Sheet Edition2021()
    {
        var lines = new List<string>
        {
            "||||",
            "中国2021年地级以上城市数据||||",
            "|2-1 人口数|2-1 人口数|2-1 人口数|2-1 人口数",
            "城市|户籍人口(万人)|户籍人口(万人)|城镇常住人口(万人)|城镇常住人口(万人)",
            "城市|全市|市辖区|全市|市辖区",
        };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|{N(Pop(i))}|{N(PopDistrict(i))}|{N(Pop(i) / 2)}|{N(PopDistrict(i) / 2)}"));
        return Table("Sheet1", '|', [.. lines]);
    }

    /// <summary>The per-table workbook with the name problems of real files: a Chinese typo rescued by the English name
    /// (石家庒市 | Shijiazhuang), an English name no unit has beside a good Chinese one (秦皇岛市 | Qinhuang Island), a
    /// pair naming two different cities (唐山市 | Handan), and an English spelling off only in case and hyphens
    /// (保定市 | BAO-DING).</summary>
    public static Sheet PerTableWorkbookWithNameProblems() => PerTableWorkbook(i => i switch
    {
        0 => ("石家庒市", "Shijiazhuang"),
        1 => ("唐山市", "Handan"),
        2 => ("秦皇岛市", "Qinhuang Island"),
        5 => ("保定市", "BAO-DING"),
        _ => (Hebei[i].Name, Hebei[i].English),
    });

    /// <summary>A long panel with English names only (year | city | 地区生产总值(亿元)): conventional spellings with
    /// apostrophes and non-pinyin names, and one spelling two cities share (Taizhou).</summary>
    public static Sheet EnglishOnlyPanel()
    {
        var lines = new List<string> { "year|city|地区生产总值(亿元)" };
        foreach (var year in new[] { 2018, 2019 })
        {
            lines.AddRange(EnglishCities.Select((c, i) => $"{year}|{c.English}|{N(Gdp(i) / 1e4 + year - 2018)}"));
            lines.Add($"{year}|Taizhou|2500");
        }
        return Table("Sheet1", '|', [.. lines]);
    }

    public static readonly (string English, string Code)[] EnglishCities =
        [("Beijing", "110000"), ("Hohhot", "150100"), ("Xi'an", "610100"), ("Lu'an", "341500"), ("Urumqi", "650100"), ("Harbin", "230100")];

    /// <summary>A researcher's panel whose GDP column prints no unit (亿元 implied), with the unit stated only in a note:
    /// on a separate NOTE sheet (<paramref name="noteSheet"/>) or in a note cell below the data. Two rate columns
    /// carry their own unit (%), which the note must not touch.</summary>
    public static Sheet[] PanelWithUnitInNote(bool noteSheet, int firstYear = 2011, int lastYear = 2021)
    {
        var lines = new List<string> { "年份|城市|地区生产总值|建成区绿化覆盖率(%)|生活垃圾无害化处理率(%)" };
        for (var year = firstYear; year <= lastYear; year++)
            lines.AddRange(Hebei.Select((c, i) => $"{year}|{c.Name}|{N(GdpYi(i, year))}|{N(30 + i + 0.5 * (year - firstYear))}|{N(70 + i + (year - firstYear))}"));
        if (!noteSheet)
            return [Table("Sheet1", '|', [.. lines, "||||", "注：单位：亿元；数据来源：城市统计年鉴。||||"])];
        return [Table("Sheet1", '|', [.. lines]), Table("NOTE", '|', "数据说明|", "数据来源：中国城市统计年鉴|", "|单位：亿元")];
    }

    public static double GdpYi(int i, int year) => 2000 + 100 * i + 10 * (year - 2011);
}
