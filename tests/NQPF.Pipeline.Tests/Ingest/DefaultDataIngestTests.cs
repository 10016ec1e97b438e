using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>The ingest stage on the committed simulated data-raw: every planted quirk is handled and reported.</summary>
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

    [Fact]
    public void Ingest_DefaultData_ReportsEveryQuirkHandled()
    {
        var report = _r.Tables["report"];
        Assert.Equal("gb18030", Report("encoding")[Row("csy_2012.csv")]);
        Assert.Equal("utf-8-bom", Report("encoding")[Row("csy_2013.csv")]);
        Assert.Contains("gdp: 亿元 → 万元 × 10000", Report("rescaled")[Row("csy_2015.csv")], StringComparison.Ordinal);
        Assert.Contains("'毫州' → 341600 亳州市", Report("names_matched_by_alias")[Row("csy_2018.xlsx")], StringComparison.Ordinal);
        Assert.Contains("'毕节地区' → 520500 毕节市", Report("names_matched_by_alias")[Row("csy_2011.xlsx")], StringComparison.Ordinal);
        Assert.True(report.Longs("names_matched_without_suffix")[Row("csy_2016.xlsx")] > 250);
        Assert.Contains("三沙市", Report("out_of_sample_units")[Row("csy_2012.csv")], StringComparison.Ordinal);
        Assert.Contains("莱芜市", Report("out_of_sample_units")[Row("csy_2018.xlsx")], StringComparison.Ordinal);
        Assert.DoesNotContain("莱芜市", Report("out_of_sample_units")[Row("csy_2019.csv")], StringComparison.Ordinal);
        Assert.True(report.Longs("duplicates_dropped")[Row("csy_2016.xlsx")] > 0);
        Assert.True(report.Longs("duplicates_dropped")[Row("csy_2021.csv")] > 0);
        Assert.True(report.Longs("thousands_separator_cells")[Row("csy_2013.csv")] > 1000);
        Assert.True(report.Longs("province_rows")[Row("csy_2012.csv")] > 20);
        Assert.Contains("…", Report("missing_markers")[Row("csy_2014.xlsx")], StringComparison.Ordinal);
        Assert.All(report.Longs("in_sample_cities"), n => Assert.Equal(275, n));
        Assert.All(report.Longs("unknown_cities"), n => Assert.Equal(0, n));
        Assert.All(report.Longs("unparseable_cells"), n => Assert.Equal(0, n));
        var kinds = _r.Tables["findings"].Strings("kind");
        foreach (var k in new[] { "unit_row", "scope_row", "title_rows", "footnote_rows", "ignored_file", "unit_rescaled" })
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
