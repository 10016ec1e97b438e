using System.Globalization;
using System.Text;

namespace NQPF.Stages.Cohorts;

/// <summary>Everything the cohorts stage computes, before it becomes frames.</summary>
internal sealed record CohortsResult(
    IReadOnlyList<int> Years,
    IReadOnlyList<CodedPolicy> Policies,
    IReadOnlyList<CityCohort> Cohorts,
    IReadOnlyList<CityAttributes> Attributes,
    IReadOnlyList<SummaryRow> Summary,
    IReadOnlyList<(string Option, string Value)> Settings)
{
    /// <summary>Concurrent lists that are complete: each becomes a concurrent_&lt;policy&gt; flag.</summary>
    public IReadOnlyList<CodedPolicy> ConcurrentUsed =>
        Policies.Where(p => p.Role == PolicyRole.Concurrent && p.Complete).ToList();

    public IReadOnlyList<PolicyFinding> Findings => Policies.SelectMany(p => p.Findings).ToList();

    public StageResult ToStageResult()
    {
        var tables = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["treatment"] = CohortsFrames.Treatment(Cohorts, Years, ConcurrentUsed),
            ["attributes"] = CohortsFrames.Attributes(Attributes),
            ["summary"] = CohortsFrames.Summary(Summary),
            ["findings"] = CohortsFrames.Findings(Findings),
            ["settings"] = CohortsFrames.Settings(Settings),
        };
        return new StageResult(tables, [new StageDocument("summary.md", Encoding.UTF8.GetBytes(Markdown()))]);
    }

    /// <summary>The settings, the summary and the findings as Markdown tables.</summary>
    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Treatment cohorts").AppendLine();
        sb.AppendLine("## Coding options").AppendLine().AppendLine("| option | value |").AppendLine("|---|---|");
        foreach (var (option, value) in Settings) sb.AppendLine(CultureInfo.InvariantCulture, $"| {option} | {Cell(value)} |");
        sb.AppendLine().AppendLine("## Summary").AppendLine()
            .AppendLine("| measure | policy | group | value | note |").AppendLine("|---|---|---|---:|---|");
        foreach (var r in Summary)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Measure} | {r.Policy} | {r.Group} | {r.Value} | {Cell(r.Note)} |");
        sb.AppendLine().AppendLine("## Entries dropped or recoded").AppendLine()
            .AppendLine("| policy | line | listed name | city | year | action | reason |").AppendLine("|---|---:|---|---|---:|---|---|");
        foreach (var f in Findings)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Policy} | {f.Line} | {Cell(f.ListedName)} | {f.CityCode} | {f.Year} | {f.Action} | {Cell(f.Reason)} |");
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}

/// <summary>
/// The stage's computation on typed inputs (no sources, no frames): codes every policy list for the panel's sample and
/// years, builds each sample city's cohort and attributes, and the summary.
/// </summary>
internal static class CohortCoding
{
    public static CohortsResult Run(
        CohortsOptions options,
        CityDirectory cities,
        PanelView panel,
        IReadOnlyList<PolicyList> lists,
        IReadOnlyList<GrowthTarget> targets)
    {
        var byName = CheckInputs(options, cities, panel, lists);
        int first = panel.Years[0], last = panel.Years[^1];
        var coder = new PolicyCoder(options, cities, panel.Sample, first, last);
        var coded = lists.Select(l => coder.Code(l,
                l.Policy == options.BroadbandPolicy ? PolicyRole.Broadband
                : l.Policy == options.ClusterPolicy ? PolicyRole.Cluster
                : PolicyRole.Concurrent))
            .OrderBy(p => p.Role).ThenBy(p => p.Policy, StringComparer.Ordinal)
            .ToList();
        var bb = coded.Single(p => p.Role == PolicyRole.Broadband);
        var cl = coded.Single(p => p.Role == PolicyRole.Cluster);

        var sample = panel.Sample.Order(StringComparer.Ordinal).ToList();
        var cohorts = sample
            .Select(c => new CityCohort(c, bb.FirstYear.GetValueOrDefault(c), cl.FirstYear.GetValueOrDefault(c)))
            .ToList();

        var populationYear = options.PopulationYear == 0 ? first : options.PopulationYear;
        if (!panel.Years.Contains(populationYear))
            throw new ConfigValidationException(
                $"Cohorts.PopulationYear: {populationYear} is not a panel year ({first}-{last}).");
        var growth = new GrowthTargets(options, targets, first, last);
        var populationElsewhere = new List<string>();
        var attributes = sample
            .Select(c =>
            {
                var population = panel.PopulationNear(c, populationYear, out var fromYear);
                if (fromYear != 0 && fromYear != populationYear) populationElsewhere.Add($"{c} ({fromYear})");
                return CityAttributesBuilder.Build(cities.ByCode(c)!, population, options, growth);
            })
            .ToList();

        var summary = CohortSummary.Build(coded, byName, cohorts, attributes, panel.Years).ToList();
        summary.AddRange(CoverageRows(options, growth, populationYear, populationElsewhere));
        return new CohortsResult(panel.Years, coded, cohorts, attributes, summary, CohortsFrames.SettingRows(options.Resolved()));
    }

    /// <summary>The policy lists by name, after checking that the sample, the lists and the timing overrides fit together.</summary>
    private static Dictionary<string, PolicyList> CheckInputs(CohortsOptions options, CityDirectory cities, PanelView panel, IReadOnlyList<PolicyList> lists)
    {
        var unknownSample = panel.Sample.Where(c => cities.ByCode(c) is null).Order(StringComparer.Ordinal).ToList();
        if (unknownSample.Count > 0)
            throw new DataValidationException(
                $"Input {options.SampleInput}: cities not in the city roster: {string.Join(", ", unknownSample)}.");
        var byName = new Dictionary<string, PolicyList>(StringComparer.Ordinal);
        foreach (var l in lists)
        {
            if (!byName.TryAdd(l.Policy, l))
                throw new ConfigValidationException($"Two policy files are named {l.Policy}: {byName[l.Policy].File} and {l.File}.");
        }
        foreach (var required in new[] { options.BroadbandPolicy, options.ClusterPolicy })
        {
            if (!byName.ContainsKey(required))
                throw new ConfigValidationException(
                    $"Cohorts: policy file policies/{required}.csv is missing (files: {string.Join(", ", lists.Select(l => l.File))}).");
        }
        var unknownOverrides = options.TimingOverrides.Keys.Where(k => !byName.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknownOverrides.Count > 0)
            throw new ConfigValidationException(
                $"Cohorts.TimingOverrides names no policy file: {string.Join(", ", unknownOverrides)} (policies: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}).");
        return byName;
    }

    /// <summary>Summary rows on the growth-target window and on populations taken from another year.</summary>
    private static IEnumerable<SummaryRow> CoverageRows(CohortsOptions options, GrowthTargets growth, int populationYear, List<string> populationElsewhere)
    {
        var (targetFirst, targetLast) = growth.Window;
        var noTargets = growth.YearsWithoutTargets();
        yield return new SummaryRow("target_years", "", $"{targetFirst}-{targetLast}", targetLast - targetFirst + 1 - noTargets.Count,
            noTargets.Count == 0 ? "years of the target window with growth targets: all"
                : $"no growth target in {string.Join(", ", noTargets)}: target_hard and target_intensified rest on the window's other years");
        yield return new SummaryRow("attribute", "", "population_from_other_year", populationElsewhere.Count,
            $"no {options.PopulationField} in {populationYear}; nearest year used: {string.Join(", ", populationElsewhere)}");
    }
}
