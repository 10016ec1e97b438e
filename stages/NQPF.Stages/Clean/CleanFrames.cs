using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Clean;

/// <summary>The clean stage's tables beside the panel, from its typed results.</summary>
internal static class CleanFrames
{
    /// <summary>clean/imputations: city_code, year, variable, method — every imputed cell.</summary>
    public static Frame Imputations(List<(string City, long Year, string Variable, string Method)> rows)
    {
        var sorted = rows.OrderBy(r => r.City, StringComparer.Ordinal).ThenBy(r => r.Variable, StringComparer.Ordinal).ThenBy(r => r.Year).ToArray();
        return new Frame(
            Text(Columns.CityCode, sorted, r => r.City),
            Long(Columns.Year, sorted, r => r.Year),
            Text("variable", sorted, r => r.Variable),
            Text("method", sorted, r => r.Method));
    }

    /// <summary>clean/sample: city_code, name, included, reason — every roster unit and why it is in or out.</summary>
    public static Frame Sample(IReadOnlyList<SampleUnit> units, Dictionary<string, (bool Included, string? Reason)> decisions)
    {
        var sorted = units.OrderBy(u => u.CityCode, StringComparer.Ordinal).ToArray();
        return new Frame(
            Text(Columns.CityCode, sorted, u => u.CityCode),
            Text("name", sorted, u => u.Name),
            Bool("included", sorted, u => decisions[u.CityCode].Included),
            Text("reason", sorted, u => decisions[u.CityCode].Reason));
    }

    /// <summary>clean/gaps: city_code, variable, first_year, last_year, no_data — gaps longer than MaxGap.</summary>
    public static Frame Gaps(List<LongGap> gaps) => new(
        Text(Columns.CityCode, gaps, g => g.CityCode),
        Text("variable", gaps, g => g.Variable),
        Long("first_year", gaps, g => g.FirstYear),
        Long("last_year", gaps, g => g.LastYear),
        Bool("no_data", gaps, g => g.NoData));
}
