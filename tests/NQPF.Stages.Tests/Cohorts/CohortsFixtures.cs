using System.Globalization;
using NQPF.Stages.Cohorts;

namespace NQPF.Stages.Tests.Cohorts;

/// <summary>A small roster, panel and policy lists for the cohorts tests (codes and names as in config/cities.csv).</summary>
internal static class CohortsFixtures
{
    public static readonly CohortCity Beijing = City("110000", "北京市", "北京市", central: true);
    public static readonly CohortCity Chongqing = City("500000", "重庆市", "重庆市", central: true);
    public static readonly CohortCity Shijiazhuang = City("130100", "石家庄市", "河北省", central: true);
    public static readonly CohortCity Baoding = City("130600", "保定市", "河北省");
    public static readonly CohortCity Shangqiu = City("411400", "商丘市", "河南省");
    public static readonly CohortCity Suzhou = City("320500", "苏州市", "江苏省");
    public static readonly CohortCity Zhuzhou = City("430200", "株洲市", "湖南省");
    public static readonly CohortCity Benxi = City("210500", "本溪市", "辽宁省", resourceType: "衰退型");
    public static readonly CohortCity Datong = City("140200", "大同市", "山西省", resourceType: "再生型");
    public static readonly CohortCity Yanbian = City("222400", "延边朝鲜族自治州", "吉林省", aliases: ["延边州"]);
    public static readonly CohortCity Bijie = City("520500", "毕节市", "贵州省", formerNames: ["毕节地区"], formerCodes: ["522400"]);

    public static readonly CohortCity[] Roster =
        [Beijing, Chongqing, Shijiazhuang, Baoding, Shangqiu, Suzhou, Zhuzhou, Benxi, Datong, Yanbian, Bijie];

    /// <summary>The roster minus 延边 (an autonomous prefecture outside the CSY sample).</summary>
    public static readonly HashSet<string> Sample =
        new(Roster.Where(c => c.Code != Yanbian.Code).Select(c => c.Code), StringComparer.Ordinal);

    public static CohortCity City(string code, string name, string province, bool central = false,
        string? resourceType = null, string[]? aliases = null, string[]? formerNames = null, string[]? formerCodes = null) =>
        new(code, name, province, central, resourceType,
            [name, name.TrimEnd('市'), .. aliases ?? [], .. formerNames ?? []], formerCodes ?? []);

    public static CityDirectory Directory() => new(Roster);

    public static PolicyEntry Entry(string policy, string listed, string? code, int? year,
        PolicyLevel level = PolicyLevel.Prefecture, string? prefecture = null, int line = 2, string entityType = "prefecture_city") =>
        new(policy, $"policies/{policy}.csv", line, listed,
            prefecture ?? (code is null ? null : Roster.FirstOrDefault(c => c.Code == code)?.Name), code, entityType, level,
            "batch", year, null, "high", "test fixture", "");

    /// <summary>Numbers the entries' lines 2, 3, … as in a file with a header row.</summary>
    public static PolicyList List(string policy, bool complete, params PolicyEntry[] entries) =>
        new(policy, $"policies/{policy}.csv", complete,
            entries.Select((e, i) => e with { Policy = policy, File = $"policies/{policy}.csv", Line = i + 2 }).ToList());

    /// <summary>Balanced panel 2011–2021 of <see cref="Sample"/> with population (万人) = 100 × (index + 1).</summary>
    public static PanelView Panel(int first = 2011, int last = 2021, IReadOnlyDictionary<string, double>? population = null)
    {
        var years = Enumerable.Range(first, last - first + 1).ToList();
        var pop = new Dictionary<(string, int), double>();
        var i = 0;
        foreach (var c in Sample.Order(StringComparer.Ordinal))
        {
            i++;
            foreach (var y in years)
                pop[(c, y)] = population?.GetValueOrDefault(c, 100.0 * i) ?? 100.0 * i;
        }
        return new PanelView(Sample, years, pop);
    }

    /// <summary>Record dictionaries as SheetTable.Records returns them (header-keyed, "__row" = 1-based file row).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Records(params string[][] rows) =>
        rows.Select((r, i) =>
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var k = 0; k < PolicyFileParser.Columns.Length; k++) d[PolicyFileParser.Columns[k]] = r[k];
            d["__row"] = (i + 2).ToString(CultureInfo.InvariantCulture);
            return (IReadOnlyDictionary<string, string>)d;
        }).ToList();
}
