using NQPF.Stages.Cohorts;
using static NQPF.Stages.Tests.Cohorts.CohortsFixtures;

namespace NQPF.Stages.Tests.Cohorts;

public class PolicyCoderTests
{
    private static PolicyCoder Coder(CohortsOptions? options = null, int first = 2011, int last = 2021) =>
        new(options ?? new CohortsOptions(), Directory(), Sample, first, last);

    /// <summary>Broadband China as listed: 商丘 itself in 2016 and via 永城 in 2015; 重庆 only via districts.</summary>
    private static PolicyList Broadband() => List("broadband_china", true,
        Entry("", "石家庄市", "130100", 2014),
        Entry("", "永城市", "411400", 2015, PolicyLevel.SubPrefecture, entityType: "county_level_city"),
        Entry("", "商丘市", "411400", 2016),
        Entry("", "重庆市江津区", "500000", 2015, PolicyLevel.SubPrefecture, entityType: "municipal_district"),
        Entry("", "北碚区", "500000", 2016, PolicyLevel.SubPrefecture, entityType: "municipal_district"),
        Entry("", "延边朝鲜族自治州", "222400", 2014),
        Entry("", "阿拉尔市", null, 2014, PolicyLevel.SubPrefecture, entityType: "county_level_city"));

    [Fact]
    public void Code_SubPrefectureInclude_EarliestEntryCounts()
    {
        var coded = Coder().Code(Broadband(), PolicyRole.Broadband);

        Assert.Equal(2015, coded.FirstYear["411400"]);
        Assert.Equal("永城市", coded.FirstEntry["411400"].ListedName);
        Assert.Equal(2015, coded.FirstYear["500000"]);
        Assert.Equal(2014, coded.FirstYear["130100"]);
        Assert.Equal(3, coded.FirstYear.Count);
    }

    [Fact]
    public void Code_SubPrefectureExclude_PrefectureEntriesOnlyAndDropsReported()
    {
        var coded = Coder(new CohortsOptions { SubPrefectureEntries = EntryCoding.Exclude }).Code(Broadband(), PolicyRole.Broadband);

        Assert.Equal(2016, coded.FirstYear["411400"]);
        Assert.False(coded.FirstYear.ContainsKey("500000"));
        var dropped = coded.Findings.Where(f => f.Reason.Contains("SubPrefectureEntries = Exclude", StringComparison.Ordinal))
            .Select(f => f.ListedName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["北碚区", "永城市", "重庆市江津区"], dropped);
    }

    [Fact]
    public void Code_UnitsOutsideSampleOrWithoutPrefecture_DroppedAndReported()
    {
        var coded = Coder().Code(Broadband(), PolicyRole.Broadband);

        var findings = coded.Findings.ToDictionary(f => f.ListedName, f => f);
        Assert.Equal("dropped", findings["延边朝鲜族自治州"].Action);
        Assert.Contains("not in the sample", findings["延边朝鲜族自治州"].Reason, StringComparison.Ordinal);
        Assert.Contains("no prefecture-level parent", findings["阿拉尔市"].Reason, StringComparison.Ordinal);
        Assert.Equal(2, coded.Findings.Count);
    }

    [Fact]
    public void Code_OutsideSampleError_ThrowsNamingCity()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            Coder(new CohortsOptions { OutsideSample = OutsideSampleHandling.Error }).Code(Broadband(), PolicyRole.Broadband));

        Assert.Contains("延边朝鲜族自治州 (222400) is not in the sample", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_TimingNextYear_ShiftsEveryCityByOne()
    {
        var coded = Coder(new CohortsOptions { Timing = TreatmentTiming.NextYear }).Code(Broadband(), PolicyRole.Broadband);

        Assert.Equal(TreatmentTiming.NextYear, coded.Timing);
        Assert.Equal([2015, 2016, 2016], coded.FirstYear.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));
    }

    [Fact]
    public void Code_TimingOverride_AppliesToThatPolicyOnly()
    {
        var options = new CohortsOptions { TimingOverrides = new(StringComparer.Ordinal) { ["innovative_clusters"] = TreatmentTiming.NextYear } };
        var clusters = List("innovative_clusters", true, Entry("", "保定新能源与智能电网装备创新型产业集群", "130600", 2013));

        Assert.Equal(2014, Coder(options).Code(clusters, PolicyRole.Cluster).FirstYear["130600"]);
        Assert.Equal(2014, Coder(options).Code(Broadband(), PolicyRole.Broadband).FirstYear["130100"]);
    }

    [Fact]
    public void Code_UnknownCityCode_ThrowsWithNearestNames()
    {
        var list = List("broadband_china", true, Entry("", "保定市", "130601", 2014, prefecture: "保定市"));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Broadband));

        Assert.Contains("policies/broadband_china.csv line 2 ('保定市'): unknown city: city_code 130601", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nearest known names to '保定市': 保定市 (130600)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_UnknownCityName_ThrowsWithNearestNames()
    {
        var list = List("low_carbon", true, Entry("", "保丁市", null, 2012, prefecture: "保丁市"));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Concurrent));

        Assert.Contains("unknown city '保丁市'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nearest known names: 保定市 (130600)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_FormerCode_ThrowsPointingToCurrentCode()
    {
        var list = List("low_carbon", true, Entry("", "毕节地区", "522400", 2012, prefecture: "毕节地区"));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Concurrent));

        Assert.Contains("former code of 毕节市 (520500)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_NameByAliasWithoutCode_Resolves()
    {
        var list = List("low_carbon", true, Entry("", "毕节", null, 2017, prefecture: "毕节地区"));

        Assert.Equal(2017, Coder().Code(list, PolicyRole.Concurrent).FirstYear["520500"]);
    }

    [Fact]
    public void Code_CodeAndNameDisagree_Throws()
    {
        var list = List("broadband_china", true, Entry("", "保定市", "130100", 2014, prefecture: "保定市"));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Broadband));

        Assert.Contains("city_code 130100 is 石家庄市 in the city roster, but prefecture_name is '保定市'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_CityListedTwiceWithDifferentYears_ThrowsNamingBothLines()
    {
        var list = List("innovative_clusters", true,
            Entry("", "保定新能源", "130600", 2013),
            Entry("", "本溪制药", "210500", 2013),
            Entry("", "保定市", "130600", 2017));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Cluster));

        Assert.Contains("保定市 (130600) is listed twice at prefecture level with different years", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 2 '保定新能源' year 2013; line 4 '保定市' year 2017", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_SameCityTwiceSameYear_Accepted()
    {
        var list = List("broadband_china", true, Entry("", "苏州市", "320500", 2014),
            Entry("", "昆山市", "320500", 2014, PolicyLevel.SubPrefecture), Entry("", "苏州市", "320500", 2014));

        Assert.Equal(2014, Coder().Code(list, PolicyRole.Broadband).FirstYear["320500"]);
    }

    [Fact]
    public void Code_YearAfterPanel_ThrowsNamingPanel()
    {
        var list = List("innovative_clusters", true, Entry("", "天津", "110000", 2023));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Cluster));

        Assert.Contains("coded first year 2023 (listed 2023, timing Announcement) is after the panel's last year 2021", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_YearBeforePanelForEvaluatedPolicy_Throws()
    {
        var list = List("innovative_clusters", true, Entry("", "保定", "130600", 2013));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder(first: 2014).Code(list, PolicyRole.Cluster));

        Assert.Contains("is before the panel's first year 2014", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_YearOutsidePanelRecode_AfterNeverBeforeFirstYear()
    {
        var options = new CohortsOptions { YearOutsidePanel = YearOutsidePanelHandling.Recode };
        var list = List("innovative_clusters", true, Entry("", "保定", "130600", 2013), Entry("", "北京", "110000", 2023));

        var coded = Coder(options, first: 2014).Code(list, PolicyRole.Cluster);

        Assert.Equal(2014, coded.FirstYear["130600"]);
        Assert.False(coded.FirstYear.ContainsKey("110000"));
        Assert.Equal(["recoded", "dropped"], coded.Findings.Select(f => f.Action));
    }

    [Fact]
    public void Code_ConcurrentBeforePanel_InForceThroughout()
    {
        var list = List("innovative_city", true, Entry("", "深圳", "130600", 2008));

        var coded = Coder().Code(list, PolicyRole.Concurrent);

        Assert.True(coded.InForce("130600", 2011));
        Assert.Empty(coded.Findings);
    }

    [Fact]
    public void Code_MissingYearEvaluated_Throws()
    {
        var list = List("broadband_china", true, Entry("", "石家庄", "130100", null));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Broadband));

        Assert.Contains("the year is missing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnknownYearHandling.InForceThroughout, true, 0)]
    [InlineData(UnknownYearHandling.Ignore, false, 1)]
    public void Code_UnknownYearConcurrent_FollowsOption(UnknownYearHandling handling, bool inForce, int findings)
    {
        var list = List("innovative_city", true, Entry("", "石家庄", "130100", null));

        var coded = Coder(new CohortsOptions { UnknownYear = handling }).Code(list, PolicyRole.Concurrent);

        Assert.Equal(inForce, coded.InForce("130100", 2011));
        Assert.Equal(findings, coded.Findings.Count);
    }

    [Fact]
    public void Code_ProvinceEntriesExclude_OnlyCityListingCounts()
    {
        var list = List("low_carbon", true,
            Entry("", "河北省", "130100", 2010, PolicyLevel.Province),
            Entry("", "河北省", "130600", 2010, PolicyLevel.Province),
            Entry("", "石家庄市", "130100", 2012));

        var include = Coder().Code(list, PolicyRole.Concurrent);
        var exclude = Coder(new CohortsOptions { ProvinceEntries = EntryCoding.Exclude }).Code(list, PolicyRole.Concurrent);

        Assert.Equal((2010, 2010), (include.FirstYear["130100"], include.FirstYear["130600"]));
        Assert.Equal(2012, exclude.FirstYear["130100"]);
        Assert.False(exclude.FirstYear.ContainsKey("130600"));
    }

    [Fact]
    public void Code_SeveralProblems_ReportedTogether()
    {
        var list = List("broadband_china", true,
            Entry("", "保丁市", null, 2014, prefecture: "保丁市"),
            Entry("", "石家庄", "130100", 2014),
            Entry("", "石家庄", "130100", 2015));

        var ex = Assert.Throws<ConfigValidationException>(() => Coder().Code(list, PolicyRole.Broadband));

        Assert.Contains("has 2 problem(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown city '保丁市'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("石家庄市 (130100) is listed twice", ex.Message, StringComparison.Ordinal);
    }
}
