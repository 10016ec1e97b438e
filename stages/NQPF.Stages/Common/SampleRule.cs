using System.Globalization;
using System.Text.Json;

namespace NQPF.Stages.Common;

/// <summary>One unit's sample decision: included, or the reason of the first rule it fails.</summary>
internal sealed record SampleDecision(string CityCode, string Name, bool Included, string? Reason);

/// <summary>
/// The study's sample rule (config/sample.json), applied in order; a unit gets the reason of the first rule it fails:
/// R1 level (直辖市/地级市 only), R2 continuity (a prefecture-level city under one code for every year
/// FirstYear..LastYear), R3 excluded provinces, R4 listed cities (multi-year gaps in core fields).
/// The default yields 275 cities; config/cities.csv's in_sample/exclusion_reason columns are this rule's output
/// (written by config/tools/build_roster.py, checked equal by a test).
/// </summary>
internal sealed record SampleRule(
    int FirstYear,
    int LastYear,
    IReadOnlyList<string> Levels,
    IReadOnlyList<string> ExcludeProvinces,
    string ExcludeProvincesReason,
    IReadOnlyDictionary<string, string> ExcludeCities)
{
    public IReadOnlyList<SampleDecision> Apply(CityRoster roster) =>
        roster.Cities.Select(c => Decide(c)).ToList();

    public SampleDecision Decide(City c)
    {
        string? reason = null;
        if (!Levels.Contains(c.Level))
            reason = $"level: {c.Level} (the yearbook's city tables cover {string.Join(" and ", Levels)} only)";
        else if (c.ValidTo < LastYear)
            reason = $"continuity: abolished/merged during the period (last data year {Y(c.ValidTo)})";
        else if (c.ValidFrom > FirstYear)
            reason = $"continuity: became a prefecture-level city only in {Y(c.ValidFrom)}";
        else if (c.CityFrom > FirstYear)
            reason = $"continuity: converted from 地区 to 地级市 in {Y(c.CityFrom - 1)} " +
                     $"(not a city for all of {Y(FirstYear)}-{Y(LastYear)})";
        else if (ExcludeProvinces.Contains(c.Province))
            reason = $"province: {c.Province} ({ExcludeProvincesReason})";
        else if (ExcludeCities.TryGetValue(c.Code, out var why))
            reason = why;
        return new SampleDecision(c.Code, c.Name, reason is null, reason);
    }

    private static string Y(int year) => year.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses config/sample.json.</summary>
    public static SampleRule FromJson(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray());
            var root = doc.RootElement;
            var rule = root.GetProperty("Rule");
            return new SampleRule(
                root.GetProperty("FirstYear").GetInt32(),
                root.GetProperty("LastYear").GetInt32(),
                rule.GetProperty("Levels").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                rule.GetProperty("ExcludeProvinces").EnumerateArray().Select(e => e.GetString() ?? "").ToList(),
                rule.GetProperty("ExcludeProvincesReason").GetString() ?? "",
                rule.GetProperty("ExcludeCities").EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ConfigValidationException($"sample.json: {e.Message}");
        }
    }
}
