using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>The ingest stage on the committed simulated data-raw (the official edition layout): every planted quirk is
/// handled and reported.</summary>
public class DefaultDataIngestTests : IClassFixture<DefaultDataIngestTests.Fixture>
{
    public sealed class Fixture
    {
        public StageResult Result { get; } = IngestHarness.Run(Path.Combine(RepoPaths.Root, "data-raw"));
    }

    private readonly StageResult _r;

    public DefaultDataIngestTests(Fixture f) => _r = f.Result;

    private string?[] Report(string column) => _r.Tables["report"].Strings(column);

    private int Row(string file) => Array.IndexOf(Report("file"), file);

    /// <summary>The official edition workbook of data year <paramref name="year"/> (edition year + 1).</summary>
    private static string Edition(int year) => $"地级市（及以上城市）统计资料（{year + 1}年）.xlsx";

    private const string Table2020 = "中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/2-1_人口状况.xlsx";

    [Fact]
    public void Ingest_DefaultData_ReportsEveryQuirkHandled()
    {
        var report = _r.Tables["report"];
        Assert.Equal(2013, report.Longs("year")[Row(Edition(2013))]);
        Assert.Equal(2020, report.Longs("year")[Row(Table2020)]);
        Assert.Contains("gdp: 亿元 → 万元 × 10000", Report("rescaled")[Row(Edition(2015))], StringComparison.Ordinal);
        Assert.Contains("'毫州' → 341600 亳州市", Report("names_matched_by_alias")[Row(Edition(2018))], StringComparison.Ordinal);
        Assert.Contains("'毕节地区' → 520500 毕节市", Report("names_matched_by_alias")[Row(Edition(2011))], StringComparison.Ordinal);
        Assert.True(report.Longs("names_matched_without_suffix")[Row(Edition(2016))] > 250);
        Assert.Contains("三沙市", Report("out_of_sample_units")[Row(Edition(2012))], StringComparison.Ordinal);
        Assert.Contains("莱芜市", Report("out_of_sample_units")[Row(Edition(2018))], StringComparison.Ordinal);
        Assert.DoesNotContain("莱芜市", Report("out_of_sample_units")[Row(Edition(2019))], StringComparison.Ordinal);
        Assert.True(report.Longs("duplicates_dropped")[Row(Edition(2016))] > 0);
        Assert.True(report.Longs("duplicates_dropped")[Row(Edition(2021))] > 0);
        Assert.True(report.Longs("province_rows")[Row(Edition(2012))] > 20);
        Assert.Contains("…", Report("missing_markers")[Row(Edition(2014))], StringComparison.Ordinal);
        Assert.All(report.Longs("in_sample_cities"), n => Assert.Equal(275, n));
        Assert.All(report.Longs("unknown_cities"), n => Assert.Equal(0, n));
        Assert.All(report.Longs("unparseable_cells"), n => Assert.Equal(0, n));
        var kinds = _r.Tables["findings"].Strings("kind");
        foreach (var k in new[] { "year_source", "section_row", "scope_row", "scope_not_read", "total_row", "province_row", "title_rows",
                     "footnote_rows", "ignored_file", "unit_rescaled" })
            Assert.Contains(k, kinds);
    }

    [Fact]
    public void Ingest_DefaultData_GdpForEveryInSampleCityYear()
    {
        var p = _r.Tables["panel"];
        var codes = p.Strings("city_code");
        var fields = p.Strings("field");
        var years = p.Longs("year");
        var sample = DefaultRosterTestsAccess.InSample();
        var cityYears = Enumerable.Range(0, p.RowCount).Where(i => sample.Contains(codes[i]!))
            .Select(i => (codes[i], years[i])).Distinct().Count();
        Assert.Equal(275 * 11, cityYears);
        // GDP is missing only in the few cells where a missing marker was planted (0.6 % of cells).
        var gdp = Enumerable.Range(0, p.RowCount).Count(i => fields[i] == "gdp" && sample.Contains(codes[i]!));
        Assert.InRange(gdp, 275 * 11 - 40, 275 * 11);
        var t = _r.Tables["targets"];
        Assert.Equal(Enumerable.Range(2011, 11).Select(y => (long)y), t.Longs("year").Distinct().Order());
    }
}

internal static class DefaultRosterTestsAccess
{
    public static HashSet<string> InSample() =>
        Files.DefaultRosterTests.LoadDefault().InSample.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
}
