using System.Globalization;

namespace NQPF.Stages.Cohorts;

/// <summary>The part a policy plays: one of the two evaluated pilots, or a concurrent pilot used to flag confounders.</summary>
internal enum PolicyRole
{
    Broadband,
    Cluster,
    Concurrent,
}

/// <summary>A policy entry the coding left out (action "dropped") or changed (action "recoded"), with the reason.</summary>
internal sealed record PolicyFinding(
    string Policy,
    string File,
    int Line,
    string ListedName,
    string? CityCode,
    int? Year,
    string Action,
    string Reason);

/// <summary>
/// A policy list coded for the sample: the first treated year of each sample city (after the timing option), the
/// cities in force throughout because their year is unknown (concurrent lists only), the entry that set each city's
/// first year, and what was dropped or recoded.
/// </summary>
internal sealed record CodedPolicy(
    string Policy,
    PolicyRole Role,
    bool Complete,
    TreatmentTiming Timing,
    IReadOnlyDictionary<string, int> FirstYear,
    IReadOnlySet<string> YearUnknown,
    IReadOnlyDictionary<string, PolicyEntry> FirstEntry,
    IReadOnlyList<PolicyFinding> Findings)
{
    /// <summary>Whether the policy is in force in <paramref name="cityCode"/> in <paramref name="year"/>.</summary>
    public bool InForce(string cityCode, int year) =>
        YearUnknown.Contains(cityCode) || (FirstYear.TryGetValue(cityCode, out var g) && year >= g);

    /// <summary>Sample cities the policy reaches in some panel year.</summary>
    public IEnumerable<string> Cities => FirstYear.Keys.Union(YearUnknown, StringComparer.Ordinal);
}

/// <summary>
/// Applies the coding options to a parsed policy list: resolves each entry to a roster city, checks the list (unknown
/// city, name that does not match the code, a city listed twice at the same level with different years, a year
/// outside the panel), then keeps the earliest coded year per sample city. All problems of a list are collected and
/// thrown together as one <see cref="ConfigValidationException"/>.
/// </summary>
internal sealed class PolicyCoder(CohortsOptions options, CityDirectory cities, IReadOnlySet<string> sample, int firstYear, int lastYear)
{
    private const int MaxErrorsShown = 20;

    public CodedPolicy Code(PolicyList list, PolicyRole role)
    {
        var errors = new List<string>();
        var findings = new List<PolicyFinding>();
        var resolved = new List<(PolicyEntry Entry, CohortCity City)>();
        foreach (var e in list.Entries)
        {
            var city = Resolve(e, errors);
            if (city is not null) resolved.Add((e, city));
            else if (e.CityCode is null && e.PrefectureName is null)
                findings.Add(Finding(e, null, "dropped",
                    $"no prefecture-level parent (listed unit {e.ListedUnitCode ?? "without code"}); not a unit of the panel"));
        }
        CheckDuplicates(resolved, errors);
        ThrowIfAny(list, errors);

        var timing = options.TimingFor(list.Policy);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstEntry = new Dictionary<string, PolicyEntry>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        var log = new CodingLog(errors, findings, unknown);
        foreach (var (e, city) in resolved)
        {
            if (CodedYear(e, city, role, timing, log) is not { } coded)
                continue;
            if (!first.TryGetValue(city.Code, out var current) || coded < current)
            {
                first[city.Code] = coded;
                firstEntry[city.Code] = e;
            }
        }
        ThrowIfAny(list, errors);
        return new CodedPolicy(list.Policy, role, list.Complete, timing, first, unknown, firstEntry,
            findings.OrderBy(f => f.Line).ToList());
    }

    /// <summary>Where the coding of one list records its errors, findings and cities whose year is unknown.</summary>
    private sealed record CodingLog(List<string> Errors, List<PolicyFinding> Findings, HashSet<string> Unknown);

    /// <summary>The coded first year of one entry of a sample city, or null when the options drop it (recorded in <paramref name="log"/>).</summary>
    private int? CodedYear(PolicyEntry e, CohortCity city, PolicyRole role, TreatmentTiming timing, CodingLog log)
    {
        if (e.Level == PolicyLevel.SubPrefecture && options.SubPrefectureEntries == EntryCoding.Exclude)
        {
            log.Findings.Add(Finding(e, city.Code, "dropped", $"{e.EntityType} below prefecture level (SubPrefectureEntries = Exclude)"));
            return null;
        }
        if (e.Level == PolicyLevel.Province && options.ProvinceEntries == EntryCoding.Exclude)
        {
            log.Findings.Add(Finding(e, city.Code, "dropped", "province-wide listing (ProvinceEntries = Exclude)"));
            return null;
        }
        if (!sample.Contains(city.Code))
        {
            if (options.OutsideSample == OutsideSampleHandling.Error)
                log.Errors.Add($"{e.Where}: {city.Name} ({city.Code}) is not in the sample (OutsideSample = Error).");
            else
                log.Findings.Add(Finding(e, city.Code, "dropped", $"{city.Name} ({city.Code}) is not in the sample"));
            return null;
        }
        if (e.Year is not { } year)
        {
            if (role != PolicyRole.Concurrent)
                log.Errors.Add($"{e.Where}: the year is missing; an evaluated policy needs the year of every entry.");
            else if (options.UnknownYear == UnknownYearHandling.InForceThroughout)
                log.Unknown.Add(city.Code);
            else
                log.Findings.Add(Finding(e, city.Code, "dropped", "year unknown (UnknownYear = Ignore)"));
            return null;
        }
        return InPanel(e, city, year, role, timing, log);
    }

    /// <summary>The listed year shifted by the timing and held to the panel's years as the options say.</summary>
    private int? InPanel(PolicyEntry e, CohortCity city, int year, PolicyRole role, TreatmentTiming timing, CodingLog log)
    {
        var coded = year + (timing == TreatmentTiming.NextYear ? 1 : 0);
        if (coded > lastYear)
        {
            var what = $"coded first year {coded} (listed {year}, timing {timing}) is after the panel's last year {lastYear}";
            if (options.YearOutsidePanel == YearOutsidePanelHandling.Error)
                log.Errors.Add($"{e.Where}: {what}; remove the entry or set YearOutsidePanel = Recode.");
            else
                log.Findings.Add(Finding(e, city.Code, "dropped", $"{what}: never treated within the panel"));
            return null;
        }
        if (coded < firstYear && role != PolicyRole.Concurrent)
        {
            var what = $"coded first year {coded} (listed {year}, timing {timing}) is before the panel's first year {firstYear}";
            if (options.YearOutsidePanel == YearOutsidePanelHandling.Error)
            {
                log.Errors.Add($"{e.Where}: {what}; the city would have no pre-period. Fix the year or set YearOutsidePanel = Recode.");
                return null;
            }
            log.Findings.Add(Finding(e, city.Code, "recoded", $"{what}: treated from {firstYear}, no pre-period"));
            coded = firstYear;
        }
        return coded;
    }

    private CohortCity? Resolve(PolicyEntry e, List<string> errors)
    {
        if (e.CityCode is { } code)
        {
            var city = cities.ByCode(code);
            if (city is null)
            {
                var former = cities.ByFormerCode(code);
                var hint = former is null ? "" : $" It is a former code of {former.Name} ({former.Code}); use the current code.";
                errors.Add($"{e.Where}: unknown city: city_code {code} is not a prefecture-level unit of the city roster.{hint} " +
                           $"Nearest known names to '{e.PrefectureName ?? e.ListedName}': {string.Join(", ", cities.Nearest(e.PrefectureName ?? e.ListedName))}.");
                return null;
            }
            if (e.PrefectureName is { } name && name != city.Name && !city.Names.Contains(name))
            {
                errors.Add($"{e.Where}: city_code {code} is {city.Name} in the city roster, but prefecture_name is '{name}'. " +
                           $"Nearest known names to '{name}': {string.Join(", ", cities.Nearest(name))}.");
                return null;
            }
            return city;
        }
        if (e.PrefectureName is not { } prefecture) return null;
        var matches = cities.ByName(prefecture);
        if (matches.Count == 1) return matches[0];
        errors.Add(matches.Count == 0
            ? $"{e.Where}: unknown city '{prefecture}' (no city_code given and no roster name or alias matches). " +
              $"Nearest known names: {string.Join(", ", cities.Nearest(prefecture))}."
            : $"{e.Where}: '{prefecture}' names several roster cities ({string.Join(", ", matches.Select(m => $"{m.Name} ({m.Code})"))}); give city_code.");
        return null;
    }

    /// <summary>Sub-prefecture entries may differ in year (重庆's districts, 永城 vs 商丘): the coding option decides.</summary>
    private static void CheckDuplicates(List<(PolicyEntry Entry, CohortCity City)> resolved, List<string> errors)
    {
        var groups = resolved
            .Where(r => r.Entry.Level != PolicyLevel.SubPrefecture)
            .GroupBy(r => (r.City.Code, r.Entry.Level));
        foreach (var g in groups)
        {
            var years = g.Select(r => r.Entry.Year).Distinct().ToList();
            if (years.Count < 2) continue;
            var city = g.First().City;
            var lines = string.Join("; ", g.Select(r =>
                $"line {r.Entry.Line} '{r.Entry.ListedName}' year {r.Entry.Year?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}"));
            errors.Add($"{g.First().Entry.File}: {city.Name} ({city.Code}) is listed twice at {Level(g.Key.Level)} level " +
                       $"with different years ({lines}).");
        }
    }

    private static string Level(PolicyLevel level) => level switch
    {
        PolicyLevel.Prefecture => "prefecture",
        PolicyLevel.Province => "province",
        _ => "sub-prefecture",
    };

    private static PolicyFinding Finding(PolicyEntry e, string? cityCode, string action, string reason) =>
        new(e.Policy, e.File, e.Line, e.ListedName, cityCode, e.Year, action, reason);

    private static void ThrowIfAny(PolicyList list, List<string> errors)
    {
        if (errors.Count == 0) return;
        var shown = errors.Take(MaxErrorsShown).ToList();
        var more = errors.Count > shown.Count ? $"{Environment.NewLine}… and {errors.Count - shown.Count} more." : "";
        throw new ConfigValidationException(
            $"Policy list {list.File} has {errors.Count} problem(s):{Environment.NewLine}" +
            string.Join(Environment.NewLine, shown.Select(s => "  - " + s)) + more);
    }
}
