using System.Globalization;
using System.Text;

namespace NQPF.Stages.Common;

/// <summary>A prefecture-level unit of config/cities.csv (one row per unit ever valid 2010–2022 + municipalities + units of the 2000–2024 legal roster absent later).</summary>
/// <param name="Code">6-digit code of the current unit (the city key everywhere).</param>
/// <param name="ValidFrom">First data year the unit exists at prefecture level (as a city or a 地区).</param>
/// <param name="ValidTo">Last data year the unit reports separately.</param>
/// <param name="CityFrom">First full data year as a prefecture-level city (later than ValidFrom for converted 地区).</param>
/// <param name="EnglishNames">The conventional English name first (Hohhot, Xi'an), then accepted variants (Huhehaote).</param>
internal sealed record City(
    string Code,
    string Name,
    string ShortName,
    string Province,
    string ProvinceCode,
    string Level,
    bool Capital,
    bool SubProvincial,
    bool Planned,
    bool Central,
    string? ResourceType,
    IReadOnlyList<string> FormerNames,
    IReadOnlyList<string> FormerCodes,
    IReadOnlyList<string> Aliases,
    int ValidFrom,
    int ValidTo,
    int CityFrom,
    bool InSample,
    string? ExclusionReason,
    IReadOnlyList<string>? EnglishNames = null)
{
    public bool ResourceBased => !string.IsNullOrEmpty(ResourceType);

    public bool IsMunicipality => Level == "直辖市";

    public bool ValidIn(int year) => year >= ValidFrom && year <= ValidTo;
}

/// <summary>A name or code change of config/city_changes.csv. The old name/code may be printed up to and including
/// <paramref name="OldNameUntil"/> (the year of the change: that year's yearbook may print either), the new one from
/// <paramref name="NewNameFrom"/>. Splits list several new codes separated by ';'.</summary>
internal sealed record CityChange(
    int Year,
    string OldCode,
    string OldName,
    IReadOnlyList<string> NewCodes,
    IReadOnlyList<string> NewNames,
    string ChangeType,
    int OldNameUntil,
    int NewNameFrom);

/// <summary>How a printed city was recognised, in the order they are tried.</summary>
internal enum CityMatchKind
{
    Code,
    FormerCode,
    ExactName,
    ShortName,
    FormerName,
    Alias,
    ProvincePrefixed,
    English,
}

/// <summary>The unit a printed code/name stands for in a given year, and how it was matched.</summary>
internal sealed record CityMatch(City City, CityMatchKind Kind, string Printed);

/// <summary>
/// The city roster with name matching by year: code → former code (valid by year) → exact name → exact former name
/// (valid by year, from city_changes.csv) → name without its suffix (市/地区/盟/自治州) → former name without suffix → alias (OCR variants, common
/// abbreviations such as 恩施州) → a name after its province (河北保定). Names are compared after removing whitespace (incl. full-width), footnote marks
/// (*, #, †, circled or parenthesised digits) and converting full-width letters/digits to ASCII.
/// </summary>
internal sealed partial class CityRoster
{
    private static readonly string[] Suffixes = ["自治州", "地区", "盟", "市"];

    private readonly Dictionary<string, City> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<City>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<City>> _byShortName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<City>> _byAlias = new(StringComparer.Ordinal);
    private readonly List<(string Name, City City, int Until)> _formerNames = [];
    private readonly List<(string Code, City City, int Until)> _formerCodes = [];
    private readonly List<(string Prefix, string Province)> _provincePrefixes;

    public CityRoster(IReadOnlyList<City> cities, IReadOnlyList<CityChange> changes, IReadOnlyList<CountyUnit>? counties = null)
    {
        AddCounties(counties ?? []);
        Cities = cities;
        Changes = changes;
        _provincePrefixes = ProvincePrefixes(cities);
        foreach (var c in cities)
        {
            if (!_byCode.TryAdd(c.Code, c))
                throw new ConfigValidationException($"cities.csv: code {c.Code} appears twice.");
            Add(_byName, Normalise(c.Name), c);
            Add(_byShortName, Normalise(c.ShortName), c);
            foreach (var a in c.Aliases)
                Add(_byAlias, Normalise(a), c);
            foreach (var e in c.EnglishNames ?? [])
                Add(_byEnglish, EnglishKey(e), c);
        }
        foreach (var c in cities)
        {
            foreach (var former in c.FormerNames)
            {
                var until = FormerUntil(c, former);
                _formerNames.Add((Normalise(former), c, until));
            }
            foreach (var code in c.FormerCodes)
                _formerCodes.Add((code, c, FormerCodeUntil(c, code)));
        }
    }

    public IReadOnlyList<City> Cities { get; }

    public IReadOnlyList<CityChange> Changes { get; }

    public IEnumerable<City> InSample => Cities.Where(c => c.InSample);

    public City? ByCode(string code) => _byCode.GetValueOrDefault(code);

    public City Get(string code) => _byCode.TryGetValue(code, out var c) ? c
        : throw new ConfigValidationException($"cities.csv has no unit with code {code}.");

    /// <summary>
    /// Finds the unit a yearbook row stands for. <paramref name="code"/> may be null/blank (most yearbooks print
    /// names only). Returns null when nothing matches. Throws when a name is ambiguous in that year.
    /// </summary>
    public CityMatch? Match(string? code, string? name, int year) => Match(code, name, year, strict: true);

    /// <summary>The unit a printed name alone stands for in <paramref name="year"/>; null when none or ambiguous.</summary>
    public City? Named(string name, int year) => Match(null, name, year, strict: false)?.City;

    private CityMatch? Match(string? code, string? name, int year, bool strict)
    {
        var printed = (name ?? code ?? "").Trim();
        if (!string.IsNullOrWhiteSpace(code))
        {
            var digits = Normalise(code);
            if (_byCode.TryGetValue(digits, out var byCode))
                return new CityMatch(byCode, CityMatchKind.Code, printed);
            var municipality = MunicipalityCode(digits);
            if (municipality is not null && _byCode.TryGetValue(municipality, out var m))
                return new CityMatch(m, CityMatchKind.Code, printed);
            foreach (var (former, city, until) in _formerCodes)
            {
                if (former == digits && year <= until)
                    return new CityMatch(city, CityMatchKind.FormerCode, printed);
            }
        }
        if (string.IsNullOrWhiteSpace(name))
            return null;
        if (IsLatin(name))
            return English(name, year) is [var english] ? new CityMatch(english, CityMatchKind.English, printed) : null;
        var n = Normalise(name);
        var exact = Pick(_byName, n, year, name, strict);
        if (exact is not null)
            return new CityMatch(exact, CityMatchKind.ExactName, printed);
        // An exact former name (毕节地区 in 2011) beats suffix stripping, unless it is also a current short name
        // (a former 柳州地区 of 来宾 must not capture 柳州).
        var exactFormer = _byShortName.ContainsKey(n) ? []
            : _formerNames.Where(f => f.Name == n && year <= f.Until).Select(f => f.City).Distinct().ToList();
        if (exactFormer.Count == 1)
            return new CityMatch(exactFormer[0], CityMatchKind.FormerName, printed);
        var shortName = Pick(_byShortName, StripSuffix(n), year, name, strict);
        if (shortName is not null)
            return new CityMatch(shortName, CityMatchKind.ShortName, printed);
        var formers = _formerNames
            .Where(f => (f.Name == n || StripSuffix(f.Name) == StripSuffix(n)) && year <= f.Until)
            .Select(f => f.City).Distinct().ToList();
        if (formers.Count == 1)
            return new CityMatch(formers[0], CityMatchKind.FormerName, printed);
        if (formers.Count > 1)
            return strict ? throw Ambiguous(name, year, formers) : null;
        var alias = Pick(_byAlias, n, year, name, strict);
        return alias is not null ? new CityMatch(alias, CityMatchKind.Alias, printed) : ProvincePrefixed(n, year, printed);
    }

    /// <summary>A name printed after its province (河北保定, 河北省保定市, 广西南宁): the rest must name a city of that
    /// province; never a substring search.</summary>
    private CityMatch? ProvincePrefixed(string n, int year, string printed)
    {
        foreach (var (prefix, province) in _provincePrefixes)
        {
            if (n.Length - prefix.Length < 2 || !n.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var rest = Match(null, n[prefix.Length..], year, strict: false);
            if (rest is not null && rest.City.Province == province)
                return new CityMatch(rest.City, CityMatchKind.ProvincePrefixed, printed);
        }
        return null;
    }

    /// <summary>Province names and their short forms (河北省, 河北; 广西壮族自治区, 广西), longest first.</summary>
    private static List<(string Prefix, string Province)> ProvincePrefixes(IEnumerable<City> cities)
    {
        string[] suffixes = ["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省"];
        var list = new List<(string, string)>();
        foreach (var province in cities.Where(c => !c.IsMunicipality).Select(c => c.Province).Distinct())
        {
            var full = Normalise(province);
            list.Add((full, province));
            var suffix = suffixes.FirstOrDefault(x => full.EndsWith(x, StringComparison.Ordinal) && full.Length > x.Length + 1);
            if (suffix is not null)
                list.Add((full[..^suffix.Length], province));
        }
        return list.OrderByDescending(p => p.Item1.Length).ToList();
    }

    /// <summary>Name comparison key: no whitespace or footnote marks; full-width ASCII folded to half-width.</summary>
    public static string Normalise(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch0 in s.Normalize(NormalizationForm.FormKC))
        {
            var ch = ch0;
            if (char.IsWhiteSpace(ch) || ch is '*' or '#' or '†' or '‡' or '△' or '▲' or '"' or '\'' or '\uFEFF' or '\u200B')
                continue;
            if (ch is >= '①' and <= '⑳')
                continue;
            sb.Append(ch);
        }
        var t = sb.ToString();
        // trailing footnote numbers in parentheses, e.g. 莱芜市(1)
        while (t.Length > 2 && t[^1] == ')')
        {
            var open = t.LastIndexOf('(');
            if (open <= 0 || !t[(open + 1)..^1].All(char.IsAsciiDigit))
                break;
            t = t[..open];
        }
        return t;
    }

    public static string StripSuffix(string normalisedName)
    {
        foreach (var suffix in Suffixes)
        {
            if (normalisedName.Length > suffix.Length + 1 && normalisedName.EndsWith(suffix, StringComparison.Ordinal))
                return normalisedName[..^suffix.Length];
        }
        return normalisedName;
    }

    /// <summary>Yearbooks and the census print municipalities with their city-proper code (110100 for 北京市).</summary>
    private static string? MunicipalityCode(string code) =>
        code.Length == 6 && code.EndsWith("0100", StringComparison.Ordinal) && code[..2] is "11" or "12" or "31" or "50"
            ? code[..2] + "0000" : null;

    private static City? Pick(Dictionary<string, List<City>> index, string key, int year, string printed, bool strict)
    {
        if (!index.TryGetValue(key, out var list))
            return null;
        if (list.Count == 1)
            return list[0];
        var valid = list.Where(c => c.ValidIn(year)).ToList();
        return valid.Count == 1 ? valid[0] : strict ? throw Ambiguous(printed, year, list) : null;
    }

    private static DataValidationException Ambiguous(string printed, int year, IEnumerable<City> candidates) =>
        new($"City name '{printed}' in year {year.ToString(CultureInfo.InvariantCulture)} is ambiguous: " +
            string.Join(", ", candidates.Select(c => $"{c.Code} {c.Name}")) + ". Print the 6-digit code in the file.");

    private int FormerUntil(City city, string former)
    {
        var n = Normalise(former);
        var change = Changes.FirstOrDefault(ch =>
            (Normalise(ch.OldName) == n || StripSuffix(Normalise(ch.OldName)) == StripSuffix(n)) &&
            (ch.NewCodes.Contains(city.Code) || ch.OldCode == city.Code));
        // A former name with no dated change predates the roster's window (来宾's 柳州地区 until 2002): never valid in it.
        return change?.OldNameUntil ?? city.ValidFrom - 1;
    }

    private int FormerCodeUntil(City city, string code)
    {
        var change = Changes.FirstOrDefault(ch => ch.OldCode == code && ch.NewCodes.Contains(city.Code));
        return change?.OldNameUntil ?? city.CityFrom - 1;
    }

    private static void Add(Dictionary<string, List<City>> index, string key, City c)
    {
        if (key.Length == 0)
            return;
        if (!index.TryGetValue(key, out var list))
            index[key] = list = [];
        if (!list.Contains(c))
            list.Add(c);
    }

    /// <summary>Builds the roster from the two config tables read by an <see cref="ISheetReader"/>.</summary>
    public static CityRoster Load(Sheet cities, Sheet changes, Sheet? counties = null)
    {
        var cityRecords = SheetTable.Records(cities, "cities.csv", "code", "name", "short_name", "province", "level",
            "capital", "sub_provincial", "planned", "central", "resource_type", "former_names", "aliases",
            "valid_from", "valid_to", "in_sample", "exclusion_reason", "source", "confidence");
        var list = cityRecords.Select(r => new City(
            Code: r["code"],
            Name: r["name"],
            ShortName: r["short_name"],
            Province: r["province"],
            ProvinceCode: r.GetValueOrDefault("province_code") ?? "",
            Level: r["level"],
            Capital: Flag(r, "capital"),
            SubProvincial: Flag(r, "sub_provincial"),
            Planned: Flag(r, "planned"),
            Central: Flag(r, "central"),
            ResourceType: r["resource_type"].Length == 0 ? null : r["resource_type"],
            FormerNames: Split(r["former_names"]),
            FormerCodes: Split(r.GetValueOrDefault("former_codes") ?? ""),
            Aliases: Split(r["aliases"]),
            ValidFrom: Year(r, "valid_from"),
            ValidTo: Year(r, "valid_to"),
            CityFrom: r.TryGetValue("city_from", out var cf) && cf.Length > 0 ? Year(r, "city_from") : Year(r, "valid_from"),
            InSample: Flag(r, "in_sample"),
            ExclusionReason: r["exclusion_reason"].Length == 0 ? null : r["exclusion_reason"],
            EnglishNames: [.. Split(r.GetValueOrDefault("name_en") ?? ""), .. Split(r.GetValueOrDefault("name_en_variants") ?? "")])).ToList();
        var changeRecords = SheetTable.Records(changes, "city_changes.csv", "year", "old_code", "old_name", "new_code",
            "new_name", "change_type", "old_name_until", "new_name_from");
        var changeList = changeRecords.Select(r => new CityChange(
            Year(r, "year"), r["old_code"], r["old_name"], SplitSemicolon(r["new_code"]), SplitSemicolon(r["new_name"]),
            r["change_type"], Year(r, "old_name_until"), Year(r, "new_name_from"))).ToList();
        return new CityRoster(list, changeList, counties is null ? null : LoadCounties(counties));
    }

    private static IReadOnlyList<string> Split(string s) =>
        s.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IReadOnlyList<string> SplitSemicolon(string s) =>
        s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Flag(IReadOnlyDictionary<string, string> r, string column) => r[column] switch
    {
        "1" or "true" or "TRUE" => true,
        "0" or "false" or "FALSE" or "" => false,
        var v => throw new ConfigValidationException($"cities.csv row {r["__row"]}, column {column}: '{v}' is not 0/1."),
    };

    private static int Year(IReadOnlyDictionary<string, string> r, string column) =>
        int.TryParse(r[column], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is > 1900 and < 2200
            ? y
            : throw new ConfigValidationException($"row {r["__row"]}, column {column}: '{r[column]}' is not a year.");
}
