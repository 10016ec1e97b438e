using System.Reflection;
using System.Text.Json.Serialization;
using NQPF.Stages.Cohorts;
using static NQPF.Stages.Tests.Cohorts.CohortsFixtures;

namespace NQPF.Stages.Tests.Cohorts;

public class CohortCodingTests
{
    private static PolicyList[] Lists() =>
    [
        List("broadband_china", true,
            Entry("", "石家庄市", "130100", 2014), Entry("", "苏州市", "320500", 2014), Entry("", "株洲市", "430200", 2014),
            Entry("", "永城市", "411400", 2015, PolicyLevel.SubPrefecture), Entry("", "商丘市", "411400", 2016),
            Entry("", "延边朝鲜族自治州", "222400", 2014)),
        List("innovative_clusters", true,
            Entry("", "株洲轨道交通", "430200", 2013), Entry("", "保定新能源", "130600", 2013),
            Entry("", "石家庄", "130100", 2014), Entry("", "苏州", "320500", 2017)),
        List("low_carbon", true, Entry("", "河北省", "130100", 2010, PolicyLevel.Province), Entry("", "保定市", "130600", 2010, PolicyLevel.Province)),
        List("smart_city", false, Entry("", "北京市东城区", "110000", 2012, PolicyLevel.SubPrefecture)),
    ];

    private static CohortsResult Run(CohortsOptions? options = null, IReadOnlyList<GrowthTarget>? targets = null) =>
        CohortCoding.Run(options ?? new CohortsOptions(), Directory(), Panel(), Lists(), targets ?? []);

    private static long Summary(CohortsResult r, string measure, string policy, string group = "") =>
        r.Summary.Single(s => s.Measure == measure && s.Policy == policy && s.Group == group).Value;

    [Fact]
    public void Run_SmallLists_CohortsAndOrders()
    {
        var r = Run();

        var byCity = r.Cohorts.ToDictionary(c => c.CityCode);
        Assert.Equal((2014, 2014, "same_year"), (byCity["130100"].BroadbandFirstYear, byCity["130100"].ClusterFirstYear, byCity["130100"].Order));
        Assert.Equal((2014, 2017, "broadband_first"), (byCity["320500"].BroadbandFirstYear, byCity["320500"].ClusterFirstYear, byCity["320500"].Order));
        Assert.Equal((2014, 2013, "cluster_first"), (byCity["430200"].BroadbandFirstYear, byCity["430200"].ClusterFirstYear, byCity["430200"].Order));
        Assert.Equal((0, 2013, "none"), (byCity["130600"].BroadbandFirstYear, byCity["130600"].ClusterFirstYear, byCity["130600"].Order));
        Assert.Equal(2015, byCity["411400"].BroadbandFirstYear);
        Assert.Equal(Sample.Count, r.Cohorts.Count);
    }

    [Fact]
    public void Run_TreatmentFrame_DummiesEventTimesAndFlags()
    {
        var t = Run().ToStageResult().Tables["treatment"];

        Assert.Equal(Sample.Count * 11, t.RowCount);
        var row = Enumerable.Range(0, t.RowCount).Single(i => t.Strings("city_code")[i] == "430200" && t.Longs("year")[i] == 2013);
        Assert.Equal([2014, 2013, 0, 1, 0, 1, 1, 0, 1], new[] { "bb_first", "cl_first", "bb", "cl", "dual", "single", "any_pilot", "bb_only", "cl_only" }.Select(c => t.Longs(c)[row]));
        Assert.Equal("cluster_first", t.Strings("order")[row]);
        Assert.Equal((-1L, 0L, -1L, 0L), (t.Longs("bb_rel")[row], t.Longs("cl_rel")[row], t.Longs("dual_rel")[row], t.Longs("any_rel")[row]));
        var never = Enumerable.Range(0, t.RowCount).First(i => t.Strings("city_code")[i] == "140200");
        Assert.Equal((0L, 0L, -1000L, -1000L), (t.Longs("bb_first")[never], t.Longs("cl_first")[never], t.Longs("bb_rel")[never], t.Longs("cl_rel")[never]));
        Assert.True(t.Has("concurrent_low_carbon"));
        Assert.False(t.Has("concurrent_smart_city"));
        Assert.Equal(1, t.Longs("concurrent_low_carbon")[Enumerable.Range(0, t.RowCount).First(i => t.Strings("city_code")[i] == "130600")]);
        Assert.Equal(t.Longs("concurrent_low_carbon"), t.Longs("concurrent_any"));
    }

    [Fact]
    public void Run_Summary_CountsMatchCohorts()
    {
        var r = Run();

        Assert.Equal(4, Summary(r, "cities", "broadband_china", "all"));
        Assert.Equal(3, Summary(r, "cities_by_cohort", "broadband_china", "2014"));
        Assert.Equal(1, Summary(r, "cities_by_cohort", "broadband_china", "2015"));
        Assert.Equal(2, Summary(r, "cities_by_cohort", "innovative_clusters", "2013"));
        Assert.Equal(1, Summary(r, "cities_via_sub_prefecture_entry", "broadband_china"));
        Assert.Equal(1, Summary(r, "findings", "broadband_china", "dropped"));
        Assert.Equal(1, Summary(r, "dual_cities_by_order", "dual", "same_year"));
        Assert.Equal(1, Summary(r, "dual_cities_by_order", "dual", "broadband_first"));
        Assert.Equal(1, Summary(r, "dual_cities_by_order", "dual", "cluster_first"));
        // bb: 3 cities × 8 years (2014–2021) + 商丘 × 7 years (2015–2021)
        Assert.Equal(3 * 8 + 7, Summary(r, "treated_city_years", "bb"));
        Assert.Equal(Sample.Count - 5, Summary(r, "never_treated", "any_pilot"));
        Assert.Equal(0, Summary(r, "treated_in_first_sample_year", "cl", "2011"));
    }

    [Fact]
    public void Run_PanelStartsIn2013_ClusterCohortTreatedInFirstYearCounted()
    {
        var r = CohortCoding.Run(new CohortsOptions(), Directory(), Panel(first: 2013), Lists(), []);

        Assert.Equal(2, Summary(r, "treated_in_first_sample_year", "cl", "2013"));
        Assert.Contains("Callaway-Sant'Anna", r.Summary.First(s => s.Measure == "treated_in_first_sample_year").Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PartialConcurrentList_ReportedNotUsed()
    {
        var r = Run();

        var entry = r.Summary.Single(s => s.Measure == "entries" && s.Policy == "smart_city");
        Assert.Contains("PARTIAL list; not used to flag or exclude until complete", entry.Note, StringComparison.Ordinal);
        Assert.Equal(["low_carbon"], r.ConcurrentUsed.Select(p => p.Policy));
    }

    [Fact]
    public void Run_Settings_EveryOptionPrinted()
    {
        var r = Run(new CohortsOptions { Timing = TreatmentTiming.NextYear });

        var names = typeof(CohortsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(names, r.Settings.Select(s => s.Option).Order(StringComparer.Ordinal));
        Assert.Equal("NextYear", r.Settings.Single(s => s.Option == "Timing").Value);
        Assert.Contains("[\"确保\",", r.Settings.Single(s => s.Option == "HardWords").Value, StringComparison.Ordinal);
        Assert.Contains("| Timing | NextYear |", r.Markdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AttributesFromRosterPopulationAndTargets()
    {
        var targets = new GrowthTarget[] { new("130100", 2011, 10, "确保10%"), new("130000", 2011, 9, "9%左右") };

        var a = Run(targets: targets).Attributes.ToDictionary(x => x.CityCode);

        Assert.True(a["130100"].Target.Hard);
        Assert.True(a["130100"].Target.Intensified);
        Assert.True(a["210500"].ResourceBased);
        Assert.Equal("none", a["210500"].Target.Constraint);
    }

    [Fact]
    public void Run_TargetsMissingForTheLastYear_SummaryNamesTheYear()
    {
        // A 2022 yearbook arrived (panel 2011–2022) but the targets file still ends in 2021.
        var targets = Enumerable.Range(2011, 11).Select(y => new GrowthTarget("130100", y, 8, "8%左右")).ToList();

        var r = CohortCoding.Run(new CohortsOptions(), Directory(), Panel(last: 2022), Lists(), targets);
        var row = r.Summary.Single(s => s.Measure == "target_years");

        Assert.Equal("2011-2022", row.Group);
        Assert.Equal(11, row.Value);
        Assert.StartsWith("no growth target in 2022:", row.Note, StringComparison.Ordinal);
        Assert.Equal("years of the target window with growth targets: all",
            Run(targets: targets).Summary.Single(s => s.Measure == "target_years").Note);
    }

    [Fact]
    public void Run_TimingOverrideForUnknownPolicy_Throws()
    {
        var options = new CohortsOptions { TimingOverrides = new(StringComparer.Ordinal) { ["broadband"] = TreatmentTiming.NextYear } };

        var ex = Assert.Throws<ConfigValidationException>(() => Run(options));

        Assert.Contains("TimingOverrides names no policy file: broadband", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BroadbandFileMissing_Throws()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            CohortCoding.Run(new CohortsOptions(), Directory(), Panel(), Lists().Skip(1).ToList(), []));

        Assert.Contains("policy file policies/broadband_china.csv is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PopulationYearOutsidePanel_Throws()
    {
        var ex = Assert.Throws<ConfigValidationException>(() => Run(new CohortsOptions { PopulationYear = 2009 }));

        Assert.Contains("PopulationYear: 2009 is not a panel year (2011-2021)", ex.Message, StringComparison.Ordinal);
    }
}
