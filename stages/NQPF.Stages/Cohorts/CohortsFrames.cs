using System.Text.Json;
using System.Text.Json.Serialization;

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
                longs["bb_first"][i] = c.BbFirst;
                longs["cl_first"][i] = c.ClFirst;
                longs["dual_first"][i] = c.DualFirst;
                longs["any_first"][i] = c.AnyFirst;
                longs["bb"][i] = B(s.Bb);
                longs["cl"][i] = B(s.Cl);
                longs["dual"][i] = B(s.Dual);
                longs["single"][i] = B(s.Single);
                longs["any_pilot"][i] = B(s.Any);
                longs["bb_only"][i] = B(s.BbOnly);
                longs["cl_only"][i] = B(s.ClOnly);
                longs["bb_rel"][i] = CityCohort.RelTime(year, c.BbFirst);
                longs["cl_rel"][i] = CityCohort.RelTime(year, c.ClFirst);
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
        new StringColumn(Columns.CityCode, rows.Select(r => (string?)r.CityCode).ToArray()),
        new StringColumn("name", rows.Select(r => (string?)r.Name).ToArray()),
        new StringColumn("province", rows.Select(r => (string?)r.Province).ToArray()),
        new LongColumn("resource_based", rows.Select(r => B(r.ResourceBased)).ToArray()),
        new StringColumn("resource_type", rows.Select(r => r.ResourceType).ToArray()),
        new LongColumn("central", rows.Select(r => B(r.Central)).ToArray()),
        new DoubleColumn("population", rows.Select(r => r.Population).ToArray()),
        new StringColumn("size_class", rows.Select(r => (string?)r.SizeClass).ToArray()),
        new LongColumn("large", rows.Select(r => B(r.Large)).ToArray()),
        new StringColumn("target_constraint", rows.Select(r => (string?)r.Target.Constraint).ToArray()),
        new LongColumn("target_hard", rows.Select(r => B(r.Target.Hard)).ToArray()),
        new LongColumn("target_soft", rows.Select(r => B(r.Target.Soft)).ToArray()),
        new DoubleColumn("target_hard_share", rows.Select(r => r.Target.HardShare).ToArray()),
        new LongColumn("target_years", rows.Select(r => (long)r.Target.ClassifiedYears).ToArray()),
        new LongColumn("target_intensified", rows.Select(r => B(r.Target.Intensified)).ToArray()),
        new DoubleColumn("target_intensified_share", rows.Select(r => r.Target.IntensifiedShare).ToArray()),
        new LongColumn("target_compared_years", rows.Select(r => (long)r.Target.ComparedYears).ToArray()));

    /// <summary>cohorts/summary: measure, policy, group, value, note.</summary>
    public static Frame Summary(IReadOnlyList<SummaryRow> rows) => new(
        new StringColumn("measure", rows.Select(r => (string?)r.Measure).ToArray()),
        new StringColumn("policy", rows.Select(r => (string?)r.Policy).ToArray()),
        new StringColumn("group", rows.Select(r => (string?)r.Group).ToArray()),
        new LongColumn("value", rows.Select(r => r.Value).ToArray()),
        new StringColumn("note", rows.Select(r => (string?)r.Note).ToArray()));

    /// <summary>cohorts/findings: policy, file, line, listed_name, city_code, year (0 = none), action, reason.</summary>
    public static Frame Findings(IReadOnlyList<PolicyFinding> rows) => new(
        new StringColumn("policy", rows.Select(r => (string?)r.Policy).ToArray()),
        new StringColumn("file", rows.Select(r => (string?)r.File).ToArray()),
        new LongColumn("line", rows.Select(r => (long)r.Line).ToArray()),
        new StringColumn("listed_name", rows.Select(r => (string?)r.ListedName).ToArray()),
        new StringColumn(Columns.CityCode, rows.Select(r => r.CityCode).ToArray()),
        new LongColumn(Columns.Year, rows.Select(r => (long)(r.Year ?? 0)).ToArray()),
        new StringColumn("action", rows.Select(r => (string?)r.Action).ToArray()),
        new StringColumn("reason", rows.Select(r => (string?)r.Reason).ToArray()));

    /// <summary>cohorts/settings: option, value — every option of the section, as bound (lists and maps as JSON).</summary>
    public static Frame Settings(IReadOnlyList<(string Option, string Value)> rows) => new(
        new StringColumn("option", rows.Select(r => (string?)r.Option).ToArray()),
        new StringColumn("value", rows.Select(r => (string?)r.Value).ToArray()));

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
