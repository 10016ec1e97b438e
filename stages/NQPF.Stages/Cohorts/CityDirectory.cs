using NQPF.Stages.Common;

namespace NQPF.Stages.Cohorts;

/// <summary>
/// What the cohorts stage needs to know about a prefecture-level unit, taken from the city roster.
/// <see cref="Names"/> holds the name, short name, former names and aliases; <see cref="FormerCodes"/> codes the unit
/// had before a conversion (e.g. 毕节地区 522400 → 毕节市 520500).
/// </summary>
internal sealed record CohortCity(
    string Code,
    string Name,
    string Province,
    bool Central,
    string? ResourceType,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> FormerCodes)
{
    /// <summary>Code of the province-level unit: the first two digits followed by 0000 (a municipality is its own province).</summary>
    public string ProvinceCode => string.Concat(Code.AsSpan(0, 2), "0000");
}

/// <summary>Looks up roster cities by code and by any of their names, and suggests the nearest names for a miss.</summary>
internal sealed class CityDirectory
{
    private readonly Dictionary<string, CohortCity> _byCode;
    private readonly Dictionary<string, CohortCity> _byFormerCode;
    private readonly Dictionary<string, List<CohortCity>> _byName;

    public CityDirectory(IEnumerable<CohortCity> cities)
    {
        _byCode = new Dictionary<string, CohortCity>(StringComparer.Ordinal);
        _byFormerCode = new Dictionary<string, CohortCity>(StringComparer.Ordinal);
        _byName = new Dictionary<string, List<CohortCity>>(StringComparer.Ordinal);
        foreach (var c in cities)
        {
            if (!_byCode.TryAdd(c.Code, c))
                throw new ConfigValidationException($"The city roster lists code {c.Code} twice.");
            foreach (var f in c.FormerCodes) _byFormerCode.TryAdd(f, c);
            foreach (var n in c.Names.Append(c.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!_byName.TryGetValue(n, out var list)) _byName[n] = list = [];
                list.Add(c);
            }
        }
    }

    /// <summary>Every unit of the roster (config/cities.csv), with its name, short name, former names and aliases.</summary>
    public static CityDirectory FromRoster(CityRoster roster) => new(roster.Cities.Select(c => new CohortCity(
        c.Code, c.Name, c.Province, c.Central, c.ResourceType,
        [c.Name, c.ShortName, .. c.FormerNames, .. c.Aliases], c.FormerCodes)));

    public CohortCity? ByCode(string code) => _byCode.GetValueOrDefault(code);

    public CohortCity? ByFormerCode(string code) => _byFormerCode.GetValueOrDefault(code);

    /// <summary>Cities that carry <paramref name="name"/> as a name, short name, former name or alias.</summary>
    public IReadOnlyList<CohortCity> ByName(string name) =>
        _byName.TryGetValue(name.Trim(), out var list) ? list : [];

    /// <summary>
    /// The <paramref name="count"/> cities whose closest name has the smallest Levenshtein distance to
    /// <paramref name="name"/> (ties broken by code), formatted "name (code)".
    /// </summary>
    public IReadOnlyList<string> Nearest(string name, int count = 3) =>
        _byName
            .SelectMany(kv => kv.Value.Select(c => (City: c, Distance: EditDistance(name, kv.Key))))
            .GroupBy(x => x.City.Code, StringComparer.Ordinal)
            .Select(g => (g.First().City, Distance: g.Min(x => x.Distance)))
            .OrderBy(x => x.Distance).ThenBy(x => x.City.Code, StringComparer.Ordinal)
            .Take(count)
            .Select(x => $"{x.City.Name} ({x.City.Code})")
            .ToList();

    /// <summary>
    /// Levenshtein distance (insertions, deletions, substitutions each cost 1) between two strings, compared by UTF-16
    /// code unit; every Chinese character of the roster is one unit. Empty strings: the other string's length.
    /// </summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
