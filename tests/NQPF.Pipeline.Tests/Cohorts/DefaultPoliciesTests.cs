using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Cohorts;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Cohorts;

/// <summary>
/// The cohorts stage on the repository's own config/policies lists and roster, with a synthetic wide panel of the 275
/// in-sample cities 2011–2021. Its summary must equal counts computed here directly from the CSV rows.
/// </summary>
public class DefaultPoliciesTests
{
    private static readonly ReadLimits Limits = new();

    private static List<SourceFile> Sources()
    {
        var files = Directory.GetFiles(RepoPaths.Config("policies"), "*.csv")
            .Select(f => new SourceFile("config", "policies/" + Path.GetFileName(f), File.ReadAllBytes(f)))
            .ToList();
        files.Add(new SourceFile("config", "cities.csv", File.ReadAllBytes(RepoPaths.Config("cities.csv"))));
        files.Add(new SourceFile("config", "city_changes.csv", File.ReadAllBytes(RepoPaths.Config("city_changes.csv"))));
        return files;
    }

    private static List<string> SampleCodes() =>
        [.. Files.DefaultRosterTests.LoadDefault().InSample.Select(c => c.Code).Order(StringComparer.Ordinal)];

    private static StageContext Context()
    {
        var codes = SampleCodes();
        var rows = codes.SelectMany(c => Enumerable.Range(2011, 11).Select(y => (c, y))).ToList();
        var panel = new Frame(
            new StringColumn("city_code", rows.Select(r => (string?)r.c).ToArray()),
            new LongColumn("year", rows.Select(r => (long)r.y).ToArray()),
            new DoubleColumn("nqpf", rows.Select(_ => 0.5).ToArray()));
        var raw = new Frame(
            new StringColumn("city_code", rows.Select(r => (string?)r.c).ToArray()),
            new LongColumn("year", rows.Select(r => (long)r.y).ToArray()),
            new StringColumn("field", rows.Select(_ => (string?)"pop_registered").ToArray()),
            new DoubleColumn("value", rows.Select(_ => 150.0).ToArray()));
        var targets = new Frame(
            new StringColumn("city_code", []), new LongColumn("year", []),
            new DoubleColumn("growth_target", []), new StringColumn("wording", []));
        var sources = Sources();
        return new StageContext(
            new Dictionary<string, Frame>(StringComparer.Ordinal) { ["clean/panel"] = panel, ["ingest/panel"] = raw, ["ingest/targets"] = targets },
            sources, new Progress<StageProgress>(), NullLogger.Instance) { Config = new ConfigTables(sources, new SheetReader()) };
    }

    /// <summary>Policy rows straight from the CSV: (policy, line, city_code, level, year).</summary>
    private static List<(string Policy, int Line, string Code, string Level, int? Year)> Rows()
    {
        var reader = new SheetReader();
        var rows = new List<(string, int, string, string, int?)>();
        foreach (var f in Directory.GetFiles(RepoPaths.Config("policies"), "*.csv"))
        {
            var sheet = reader.Read(Path.GetFileName(f), File.ReadAllBytes(f), Limits).Sheets[0];
            foreach (var r in SheetTable.Records(sheet, f))
            {
                rows.Add((Path.GetFileNameWithoutExtension(f), int.Parse(r["__row"], CultureInfo.InvariantCulture),
                    r["city_code"], r["level"], r["year"].Length == 0 ? null : int.Parse(r["year"], CultureInfo.InvariantCulture)));
            }
        }
        return rows;
    }

    public static TheoryData<bool, bool> Codings => new() { { false, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Codings))]
    public void Run_DefaultLists_SummaryEqualsDirectCounts(bool nextYear, bool excludeSubPrefecture)
    {
        var options = new CohortsOptions
        {
            Timing = nextYear ? TreatmentTiming.NextYear : TreatmentTiming.Announcement,
            SubPrefectureEntries = excludeSubPrefecture ? EntryCoding.Exclude : EntryCoding.Include,
        };
        var stage = new CohortsStage(options);

        var result = stage.Run(Context(), CancellationToken.None);

        var sample = SampleCodes().ToHashSet(StringComparer.Ordinal);
        var summary = result.Tables["summary"];
        var measured = Enumerable.Range(0, summary.RowCount)
            .Where(i => summary.Strings("measure")[i] is "cities_by_cohort" or "cities")
            .ToDictionary(i => (summary.Strings("measure")[i]!, summary.Strings("policy")[i]!, summary.Strings("group")[i]!),
                i => summary.Longs("value")[i]);
        var expected = new Dictionary<(string, string, string), long>();
        foreach (var policy in Rows().GroupBy(r => r.Policy))
        {
            var counted = policy.Where(r => sample.Contains(r.Code) && !(excludeSubPrefecture && r.Level == "sub_prefecture")).ToList();
            var first = counted.Where(r => r.Year is not null).GroupBy(r => r.Code)
                .ToDictionary(g => g.Key, g => g.Min(r => r.Year!.Value) + (nextYear ? 1 : 0));
            var unknown = counted.Where(r => r.Year is null).Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
            expected[("cities", policy.Key, "all")] = first.Keys.Union(unknown).Count();
            foreach (var g in first.GroupBy(kv => kv.Value))
                expected[("cities_by_cohort", policy.Key, g.Key.ToString(CultureInfo.InvariantCulture))] = g.Count();
            if (unknown.Count > 0) expected[("cities_by_cohort", policy.Key, "year_unknown")] = unknown.Count;
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key), measured.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Run_DefaultLists_EveryListedCityTreatedOrReported()
    {
        var result = new CohortsStage(new CohortsOptions()).Run(Context(), CancellationToken.None);

        var t = result.Tables["treatment"];
        var first = Enumerable.Range(0, t.RowCount).Where(i => t.Longs("year")[i] == 2011)
            .ToDictionary(i => t.Strings("city_code")[i]!, i => (Broadband: t.Longs("bb_first")[i], Cluster: t.Longs("cl_first")[i]));
        var f = result.Tables["findings"];
        var reported = Enumerable.Range(0, f.RowCount).Select(i => (f.Strings("policy")[i]!, f.Longs("line")[i])).ToHashSet();
        foreach (var r in Rows().Where(r => r.Policy is "broadband_china" or "innovative_clusters"))
        {
            var treated = first.TryGetValue(r.Code, out var g) && (r.Policy == "broadband_china" ? g.Broadband : g.Cluster) is > 0 and var y && y <= r.Year;
            Assert.True(treated || reported.Contains((r.Policy, r.Line)), $"{r.Policy} line {r.Line} ({r.Code}) is neither treated nor reported");
        }
        Assert.Equal(275 * 11, t.RowCount);
    }
}
