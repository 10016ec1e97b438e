namespace NQPF.Stages.Common;

/// <summary>A county-level unit (county-level city, county, district, banner) of config/county_units.csv, listed in the
/// MCA year-end code tables <paramref name="FirstYear"/>–<paramref name="LastYear"/>.</summary>
internal sealed record CountyUnit(string Code, string Name, string PrefectureCode, int FirstYear, int LastYear)
{
    public bool ValidIn(int year) => year >= FirstYear && year <= LastYear;
}

/// <summary>County-level units, so that a county row (辛集市, 阿勒泰市) in a city panel is recognised as such and never
/// matched to a prefecture through a shortened name (阿勒泰市 is not 阿勒泰地区).</summary>
internal sealed partial class CityRoster
{
    private readonly Dictionary<string, List<CountyUnit>> _countyByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CountyUnit>> _countyByCode = new(StringComparer.Ordinal);

    private void AddCounties(IEnumerable<CountyUnit> counties)
    {
        foreach (var c in counties)
        {
            AddCounty(_countyByName, Normalise(c.Name), c);
            AddCounty(_countyByCode, c.Code, c);
        }
    }

    /// <summary>
    /// The county-level unit a printed name or code stands for in <paramref name="year"/>, or null. A code counts when
    /// it is no prefecture's; a name when a county-level unit has exactly that name that year and no prefecture-level
    /// unit valid that year has it as its name or former name (巢湖市 is the prefecture to 2010, the county-level city
    /// from 2011; 毕节市 is the prefecture's name in every year, whatever the county of 2010 was called).
    /// </summary>
    public CountyUnit? CountyLevel(string? code, string? name, int year)
    {
        if (!string.IsNullOrWhiteSpace(code))
        {
            var digits = Normalise(code);
            if (Match(digits, null, year) is not null)
                return null;
            if (Valid(_countyByCode, digits, year) is { } byCode)
                return byCode;
        }
        if (string.IsNullOrWhiteSpace(name) || Valid(_countyByName, Normalise(name), year) is not { } county)
            return null;
        var prefecture = Match(null, name, year, strict: false);
        return prefecture is { Kind: CityMatchKind.ExactName or CityMatchKind.FormerName } && prefecture.City.ValidIn(year) ? null : county;
    }

    private static CountyUnit? Valid(Dictionary<string, List<CountyUnit>> index, string key, int year) =>
        index.TryGetValue(key, out var list) ? list.FirstOrDefault(c => c.ValidIn(year)) : null;

    private static void AddCounty(Dictionary<string, List<CountyUnit>> index, string key, CountyUnit c)
    {
        if (!index.TryGetValue(key, out var list))
            index[key] = list = [];
        list.Add(c);
    }

    /// <summary>Reads config/county_units.csv (code, name, prefecture_code, first_year, last_year).</summary>
    public static IReadOnlyList<CountyUnit> LoadCounties(Sheet sheet) =>
        [.. SheetTable.Records(sheet, "county_units.csv", "code", "name", "prefecture_code", "first_year", "last_year")
            .Select(r => new CountyUnit(r["code"], r["name"], r["prefecture_code"], Year(r, "first_year"), Year(r, "last_year")))];
}
