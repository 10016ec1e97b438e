using System.Globalization;

namespace NQPF.Stages.Cohorts;

/// <summary>One row of cohorts/summary: a count (<see cref="Value"/>) of <see cref="Measure"/> for a policy and group.</summary>
internal sealed record SummaryRow(string Measure, string Policy, string Group, long Value, string Note);

/// <summary>
/// Counts for cohorts/summary, all computed from the coded policies and the cohort table: cities per policy and cohort,
/// dual cities by order, treated city-years, never-treated cities, cities treated in the first sample year (with how
/// each estimator handles them), findings, concurrent policies used, and attribute counts.
/// </summary>
internal static class CohortSummary
{
    /// <summary>What the staggered estimators do with a cohort that has no untreated year in the panel.</summary>
    public const string FirstYearHandling =
        "no pre-period. TWFE (city + year FE): kept, but the dummy is constant within the city and absorbed by its FE, " +
        "so the city identifies nothing and has no leads in an event study; Callaway-Sant'Anna (did::att_gt): dropped " +
        "(units already treated in the first period); Sun-Abraham (fixest::sunab): always-treated cohorts are excluded; " +
        "imputation (Borusyak-Jaravel-Spiess): no untreated year to estimate the city FE, so its treated years are dropped.";

    public static IReadOnlyList<SummaryRow> Build(
        IReadOnlyList<CodedPolicy> policies,
        IReadOnlyDictionary<string, PolicyList> lists,
        IReadOnlyList<CityCohort> cohorts,
        IReadOnlyList<CityAttributes> attributes,
        IReadOnlyList<int> years)
    {
        var rows = new List<SummaryRow>();
        int first = years[0], last = years[^1];
        rows.Add(new("sample_cities", "", "", cohorts.Count, ""));
        rows.Add(new("panel_years", "", $"{first}-{last}", years.Count, ""));

        foreach (var p in policies)
            rows.AddRange(PolicyRows(p, lists[p.Policy]));

        foreach (var g in cohorts.Where(c => c.DualFirst > 0).GroupBy(c => c.Order).OrderBy(g => g.Key, StringComparer.Ordinal))
            rows.Add(new("dual_cities_by_order", "dual", g.Key, g.Count(), ""));

        rows.AddRange(DummyRows(cohorts, years));
        rows.AddRange(AttributeRows(attributes));
        return rows;
    }

    private static IEnumerable<SummaryRow> PolicyRows(CodedPolicy p, PolicyList list)
    {
        var used = p.Role != PolicyRole.Concurrent || p.Complete;
        yield return new("entries", p.Policy, Role(p.Role), list.Entries.Count,
            (p.Complete ? "complete list" : "PARTIAL list") +
            (p.Role == PolicyRole.Concurrent ? used ? $"; flag concurrent_{p.Policy}" : "; not used to flag or exclude until complete" : ""));
        yield return new("cities", p.Policy, "all", p.Cities.Count(), $"sample cities treated within the panel (timing {p.Timing})");
        foreach (var g in p.FirstYear.GroupBy(kv => kv.Value).OrderBy(g => g.Key))
            yield return new("cities_by_cohort", p.Policy, g.Key.ToString(CultureInfo.InvariantCulture), g.Count(), "");
        if (p.YearUnknown.Count > 0)
            yield return new("cities_by_cohort", p.Policy, "year_unknown", p.YearUnknown.Count, "in force throughout (UnknownYear = InForceThroughout)");
        var viaSub = p.FirstEntry.Where(kv => kv.Value.Level == PolicyLevel.SubPrefecture).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        yield return new("cities_via_sub_prefecture_entry", p.Policy, "", viaSub.Count,
            string.Join("; ", viaSub.Select(kv => $"{kv.Key} from {p.FirstYear[kv.Key]} via {kv.Value.ListedName}")));
        foreach (var g in p.Findings.GroupBy(f => f.Action).OrderBy(g => g.Key, StringComparer.Ordinal))
            yield return new("findings", p.Policy, g.Key, g.Count(), "entries, see cohorts/findings");
    }

    private static IEnumerable<SummaryRow> DummyRows(IReadOnlyList<CityCohort> cohorts, IReadOnlyList<int> years)
    {
        var first = years[0];
        var dummies = new (string Name, Func<TreatmentStatus, bool> On, Func<CityCohort, int>? First)[]
        {
            ("bb", s => s.Broadband, c => c.BroadbandFirstYear),
            ("cl", s => s.Cluster, c => c.ClusterFirstYear),
            ("dual", s => s.Dual, c => c.DualFirst),
            ("any_pilot", s => s.Any, c => c.AnyFirst),
            ("bb_only", s => s.BroadbandOnly, null),
            ("cl_only", s => s.ClusterOnly, null),
            ("single", s => s.Single, null),
        };
        foreach (var (name, on, firstOf) in dummies)
        {
            yield return new("treated_city_years", name, "", cohorts.Sum(c => years.Count(y => on(c.At(y)))), "city-years with the dummy = 1");
            if (firstOf is null) continue;
            yield return new("ever_treated", name, "", cohorts.Count(c => firstOf(c) > 0), "");
            yield return new("never_treated", name, "", cohorts.Count(c => firstOf(c) == 0), "first year 0 within the panel");
            yield return new("treated_in_first_sample_year", name, first.ToString(CultureInfo.InvariantCulture),
                cohorts.Count(c => firstOf(c) == first), FirstYearHandling);
        }
    }

    private static IEnumerable<SummaryRow> AttributeRows(IReadOnlyList<CityAttributes> attributes)
    {
        yield return new("attribute", "", "resource_based", attributes.Count(a => a.ResourceBased), "");
        foreach (var g in attributes.Where(a => a.ResourceType is not null).GroupBy(a => a.ResourceType!).OrderBy(g => g.Key, StringComparer.Ordinal))
            yield return new("attribute", "", "resource_type=" + g.Key, g.Count(), "");
        yield return new("attribute", "", "central", attributes.Count(a => a.Central), "");
        foreach (var g in attributes.GroupBy(a => a.SizeClass).OrderBy(g => g.Key, StringComparer.Ordinal))
            yield return new("attribute", "", "size_class=" + g.Key, g.Count(), "");
        yield return new("attribute", "", "large", attributes.Count(a => a.Large), "");
        foreach (var g in attributes.GroupBy(a => a.Target.Constraint).OrderBy(g => g.Key, StringComparer.Ordinal))
            yield return new("attribute", "", "target_constraint=" + g.Key, g.Count(), "");
        yield return new("attribute", "", "target_intensified", attributes.Count(a => a.Target.Intensified), "");
        yield return new("attribute", "", "target_not_compared", attributes.Count(a => a.Target.ComparedYears == 0),
            "no year with both a city and a province target (municipalities are their own province)");
    }

    private static string Role(PolicyRole role) => role switch
    {
        PolicyRole.Broadband => "evaluated: bb",
        PolicyRole.Cluster => "evaluated: cl",
        _ => "concurrent",
    };
}
