using System.Text.Json;
using System.Text.Json.Serialization;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Cohorts;

/// <summary>Turns the stage's typed results into the frames it returns.</summary>
internal static class CohortsFrames
{
    /// <summary>
    /// cohorts/treatment, one row per sample city and panel year: city_code, year, bb_first, cl_first, dual_first,
    /// any_first (0 = never), the in-force dummies bb, cl, dual, single, any_pilot, bb_only, cl_only, order, the event
    /// times bb_rel, cl_rel, dual_rel, any_rel (<see cref="CityCohort.NeverRelTime"/> when never), then
    /// concurrent_&lt;policy&gt; for every complete concurrent list and concurrent_any.
    /// </summary>
    public static Frame Treatment(IReadOnlyList<CityCohort> cohorts, IReadOnlyList<int> years, IReadOnlyList<CodedPolicy> concurrent)
    {
        var n = cohorts.Count * years.Count;
        var code = new string?[n];
        var order = new string?[n];
        string[] longNames =
        [
            "year", "bb_first", "cl_first", "dual_first", "any_first", "bb", "cl", "dual", "single", "any_pilot",
            "bb_only", "cl_only", "bb_rel", "cl_rel", "dual_rel", "any_rel",
        ];
        var longs = longNames.ToDictionary(x => x, _ => new long[n], StringComparer.Ordinal);
        var flags = concurrent.Select(_ => new long[n]).ToArray();
        var flagAny = new long[n];
        var i = 0;
        foreach (var c in cohorts)
        {
            foreach (var year in years)
            {
                var s = c.At(year);
                code[i] = c.CityCode;
                order[i] = c.Order;
                longs["year"][i] = year;
                longs["bb_first"][i] = c.BroadbandFirstYear;
                longs["cl_first"][i] = c.ClusterFirstYear;
                longs["dual_first"][i] = c.DualFirst;
                longs["any_first"][i] = c.AnyFirst;
                longs["bb"][i] = B(s.Broadband);
                longs["cl"][i] = B(s.Cluster);
                longs["dual"][i] = B(s.Dual);
                longs["single"][i] = B(s.Single);
                longs["any_pilot"][i] = B(s.Any);
                longs["bb_only"][i] = B(s.BroadbandOnly);
                longs["cl_only"][i] = B(s.ClusterOnly);
                longs["bb_rel"][i] = CityCohort.RelTime(year, c.BroadbandFirstYear);
                longs["cl_rel"][i] = CityCohort.RelTime(year, c.ClusterFirstYear);
                longs["dual_rel"][i] = CityCohort.RelTime(year, c.DualFirst);
                longs["any_rel"][i] = CityCohort.RelTime(year, c.AnyFirst);
                for (var p = 0; p < concurrent.Count; p++)
                {
                    flags[p][i] = B(concurrent[p].InForce(c.CityCode, year));
                    flagAny[i] |= flags[p][i];
                }
                i++;
            }
        }
        var columns = new List<Column> { new StringColumn(Columns.CityCode, code) };
        columns.AddRange(longNames.Take(12).Select(x => new LongColumn(x, longs[x])));
        columns.Add(new StringColumn("order", order));
        columns.AddRange(longNames.Skip(12).Select(x => new LongColumn(x, longs[x])));
        columns.AddRange(concurrent.Select((p, k) => new LongColumn("concurrent_" + p.Policy, flags[k])));
        columns.Add(new LongColumn("concurrent_any", flagAny));
        return new Frame(columns);
    }

    /// <summary>
    /// cohorts/attributes, one row per sample city: city_code, name, province, resource_based, resource_type, central,
    /// population (persons, base year), size_class, large, target_constraint (hard | soft | none), target_hard,
    /// target_soft, target_hard_share, target_years, target_intensified, target_intensified_share, target_compared_years.
    /// </summary>
    public static Frame Attributes(IReadOnlyList<CityAttributes> rows) => new(
        Text(Columns.CityCode, rows, r => r.CityCode),
        Text("name", rows, r => r.Name),
        Text("province", rows, r => r.Province),
        Long("resource_based", rows, r => B(r.ResourceBased)),
        Text("resource_type", rows, r => r.ResourceType),
        Long("central", rows, r => B(r.Central)),
        Double("population", rows, r => r.Population),
        Text("size_class", rows, r => r.SizeClass),
        Long("large", rows, r => B(r.Large)),
        Text("target_constraint", rows, r => r.Target.Constraint),
        Long("target_hard", rows, r => B(r.Target.Hard)),
        Long("target_soft", rows, r => B(r.Target.Soft)),
        Double("target_hard_share", rows, r => r.Target.HardShare),
        Long("target_years", rows, r => (long)r.Target.ClassifiedYears),
        Long("target_intensified", rows, r => B(r.Target.Intensified)),
        Double("target_intensified_share", rows, r => r.Target.IntensifiedShare),
        Long("target_compared_years", rows, r => (long)r.Target.ComparedYears));

    /// <summary>cohorts/summary: measure, policy, group, value, note.</summary>
    public static Frame Summary(IReadOnlyList<SummaryRow> rows) => new(
        Text("measure", rows, r => r.Measure),
        Text("policy", rows, r => r.Policy),
        Text("group", rows, r => r.Group),
        Long("value", rows, r => r.Value),
        Text("note", rows, r => r.Note));

    /// <summary>cohorts/findings: policy, file, line, listed_name, city_code, year (0 = none), action, reason.</summary>
    public static Frame Findings(IReadOnlyList<PolicyFinding> rows) => new(
        Text("policy", rows, r => r.Policy),
        Text("file", rows, r => r.File),
        Long("line", rows, r => (long)r.Line),
        Text("listed_name", rows, r => r.ListedName),
        Text(Columns.CityCode, rows, r => r.CityCode),
        Long(Columns.Year, rows, r => (long)(r.Year ?? 0)),
        Text("action", rows, r => r.Action),
        Text("reason", rows, r => r.Reason));

    /// <summary>cohorts/settings: option, value — every option of the section, as bound (lists and maps as JSON).</summary>
    public static Frame Settings(IReadOnlyList<(string Option, string Value)> rows) => new(
        Text("option", rows, r => r.Option),
        Text("value", rows, r => r.Value));

    /// <summary>Every public property of the options, in declaration order, with enums by name.</summary>
    public static IReadOnlyList<(string Option, string Value)> SettingRows(CohortsOptions options)
    {
        var json = JsonSerializer.SerializeToElement(options, SettingsJson);
        return json.EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()))
            .ToList();
    }

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static long B(bool b) => b ? 1 : 0;
}
