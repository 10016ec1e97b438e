using NQPF.Stages.Ingest;

namespace NQPF.Stages.Tests.Ingest;

public class IngestStageTests
{
    private const string Header = "城市,地区生产总值(万元),年末户籍人口(万人),专利授权数(件),建成区绿化覆盖率(%)";

    [Fact]
    public void Run_TitleUnitRowAndFootnote_ReadsValuesInCanonicalUnits()
    {
        var kit = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Rows(
            "2015年 城市统计年鉴,,,,",
            ",,,,",
            "城市,地区生产总值,年末户籍人口,专利授权数,建成区绿化覆盖率",
            ",亿元,万人,件,%",
            "北京市,23014.59,1345.2,94031,48.4",
            "石家庄,5440.6,1028.8,—,42",
            "注：数据来源于模拟。,,,,",
            "资料来源：测试,,,,"));
        var r = kit.Run();
        Assert.Equal(230145900, IngestTestKit.Value(r, "110000", 2015, "gdp"), 6);
        Assert.Equal(54406000, IngestTestKit.Value(r, "130100", 2015, "gdp"), 6);
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "130100", 2015, "patents_granted")));
        var kinds = IngestTestKit.Findings(r).Select(f => f.Kind).ToList();
        Assert.Contains(FindingKind.UnitRow, kinds);
        Assert.Contains(FindingKind.Rescaled, kinds);
        Assert.Contains(FindingKind.Footnote, kinds);
        var report = r.Tables["report"];
        Assert.Equal(2, report.Longs("data_rows")[0]);
        Assert.Equal(1, report.Longs("missing_cells")[0]);
    }

    /// <summary>Files are read side by side; each is counted in the progress as its read finishes, before the merge.</summary>
    [Fact]
    public void Run_ThreeFiles_ProgressCountsEachFileAsItIsRead()
    {
        string[] files = ["csy_2014.csv", "csy_2015.csv", "csy_2016.csv"];
        var kit = new IngestTestKit();
        foreach (var file in files) kit.Add(file, IngestTestKit.Rows(Header, "唐山,6000000,750,3000,40"));
        var reports = new List<StageProgress>();
        kit.Run(progress: new Collect(reports));
        Assert.Equal(new StageProgress(0, 3, "reading"), reports[0]);
        Assert.Equal(new StageProgress(3, 3, "done"), reports[^1]);
        var reads = reports.Skip(1).SkipLast(1).ToList();
        Assert.Equal([1, 2, 3], reads.Select(r => r.Done));
        Assert.Equal(files, reads.Select(r => r.What).Order(StringComparer.Ordinal));
        Assert.All(reads, r => Assert.Equal(3, r.Total));
    }

    private sealed class Collect(List<StageProgress> reports) : IProgress<StageProgress>
    {
        public void Report(StageProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }

    /// <summary>
    /// A value given twice in one file: the same number is dropped with a finding naming where it was first; a different
    /// number stops the run naming both cells (header in row 1, so the data rows are 2 and 3; gdp is column B).
    /// </summary>
    [Fact]
    public void Run_ValueRepeatedInOneFile_SameIsDroppedDifferentStopsNamingBothCells()
    {
        var same = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Rows(Header, "唐山,6000000,750,3000,40", "唐山,6000000,,,"));
        var dropped = IngestTestKit.Findings(same.Run()).Single(f => f.Kind == FindingKind.DuplicateDropped);
        Assert.Equal((3L, "B"), (dropped.Row, dropped.Column));
        Assert.StartsWith("gdp repeats csy_2015.csv, sheet '", dropped.Detail, StringComparison.Ordinal);
        Assert.EndsWith("', row 2, column B with the same value; dropped", dropped.Detail, StringComparison.Ordinal);

        var different = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Rows(Header, "唐山,6000000,750,3000,40", "唐山,6100000,,,"));
        var error = Assert.Throws<DataValidationException>(() => different.Run());
        Assert.Matches(@"^csy_2015\.csv, sheet '[^']*', row 3, column B: 130200 唐山市? 2015 gdp = 6100000 conflicts with 6000000 at csy_2015\.csv, sheet '[^']*', row 2, column B ", error.Message);
    }

    [Fact]
    public void Run_GroupScopeRow_GivesDistrictFields()
    {
        var kit = new IngestTestKit().Add("csy_2014.csv", IngestTestKit.Rows(
            ",全市,,,,市辖区,",
            "城市,地区生产总值(万元),年末户籍人口(万人),专利授权数(件),建成区绿化覆盖率(%),地区生产总值(万元),年末户籍人口(万人)",
            "唐山,6000000,750,3000,40,2500000,300"));
        var r = kit.Run();
        Assert.Equal(6000000, IngestTestKit.Value(r, "130200", 2014, "gdp"));
        Assert.Equal(2500000, IngestTestKit.Value(r, "130200", 2014, "gdp_district"));
        Assert.Equal(300, IngestTestKit.Value(r, "130200", 2014, "pop_registered_district"));
    }

    [Fact]
    public void Run_ScopeSheetAndInlineScope_GiveDistrictFields()
    {
        var kit = new IngestTestKit().Add("csy_2016.xlsx",
            IngestTestKit.Sheet("全市", Header, "唐山,6000000,750,3000,40"),
            IngestTestKit.Sheet("市辖区", "城市,地区生产总值(万元),年末户籍人口(万人),市辖区行政区域土地面积(平方公里)", "唐山,2500000,300,3800"));
        var r = kit.Run();
        Assert.Equal(2500000, IngestTestKit.Value(r, "130200", 2016, "gdp_district"));
        Assert.Equal(3800, IngestTestKit.Value(r, "130200", 2016, "land_area_district"));
        Assert.Equal(6000000, IngestTestKit.Value(r, "130200", 2016, "gdp"));
    }

    [Fact]
    public void Run_AliasFormerNameOutOfSampleAndProvinceRows_AreReported()
    {
        var kit = new IngestTestKit().Add("csy_2011.csv", IngestTestKit.Rows(
            Header,
            "河北省,,,,",
            "石家庄市,4000000,990,2000,40",
            "毫州,900000,600,300,38",
            "毕节地区,700000,800,100,30",
            "不存在市,1,1,1,1"));
        var r = kit.Run();
        var f = IngestTestKit.Findings(r);
        Assert.Contains(f, x => x.Kind == FindingKind.AliasMatched && x.Detail.Contains("341600", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.FormerNameMatched && x.Detail.Contains("520500", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.OutOfSample && x.Detail.StartsWith("520500", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.ProvinceRow && x.Row == 2);
        Assert.Contains(f, x => x.Kind == FindingKind.UnknownCity && x.Row == 6 && x.Detail.Contains("不存在市", StringComparison.Ordinal));
        Assert.Equal(900000, IngestTestKit.Value(r, "341600", 2011, "gdp"));
    }

    [Fact]
    public void Run_IdenticalDuplicateRow_DroppedWithFinding()
    {
        var kit = new IngestTestKit().Add("csy_2012.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40", "唐山市,6000000,750,3000,40"));
        var r = kit.Run();
        Assert.Equal(4, IngestTestKit.Findings(r).Count(x => x.Kind == FindingKind.DuplicateDropped));
        Assert.Equal(4, r.Tables["panel"].RowCount);
    }

    [Fact]
    public void Run_ConflictingDuplicate_FailsNamingBothCells()
    {
        var kit = new IngestTestKit().Add("csy_2012.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40", "唐山,6000001,750,3000,40"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Contains("csy_2012.csv, sheet 'Sheet1', row 3, column B", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 2, column B", e.Message, StringComparison.Ordinal);
        Assert.Contains("130200 唐山市 2012 gdp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TextInNumericCell_FindingByDefaultErrorByPolicy()
    {
        IngestTestKit Kit() => new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows(Header, "唐山市,约600万,750,3000,40"));
        var f = IngestTestKit.Findings(Kit().Run());
        Assert.Contains(f, x => x.Kind == FindingKind.Unparseable && x.Row == 2 && x.Column == "B" && x.Detail.Contains("'约600万'", StringComparison.Ordinal));
        var e = Assert.Throws<DataValidationException>(() => Kit().Run(new IngestOptions { OnUnparseableCell = CellPolicy.Error }));
        Assert.Equal("csy_2013.csv, sheet 'Sheet1', row 2, column B (唐山市, gdp): '约600万' is not a number.", e.Message);
    }

    [Fact]
    public void Run_OutOfRangeValue_FindingAndCellMissing()
    {
        var r = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows(Header, "唐山市,6000000,-750,3000,40")).Run();
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.OutOfRange && x.Column == "C");
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "130200", 2013, "pop_registered")));
    }

    [Fact]
    public void Run_YearInTwoFiles_BothRead()
    {
        var r = new IngestTestKit()
            .Add("csy_2013.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40"))
            .Add("yearbook-2013-copy.csv", IngestTestKit.Rows(Header, "石家庄市,5000000,990,2000,40")).Run();
        Assert.Equal(6000000, IngestTestKit.Value(r, "130200", 2013, "gdp"));
        Assert.Equal(5000000, IngestTestKit.Value(r, "130100", 2013, "gdp"));
    }

    [Fact]
    public void Run_NoRecognisableHeader_FailsNamingFileAndSheets()
    {
        var kit = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows("a,b,c", "1,2,3"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.StartsWith("csy_2013.csv: no recognisable header", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Sheet1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownUnit_FailsNamingColumn()
    {
        var kit = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows("城市,地区生产总值(万美元),年末户籍人口(万人),专利授权数(件)", "唐山市,1,750,3000"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.StartsWith("csy_2013.csv, sheet 'Sheet1', row 1, column B: header '地区生产总值(万美元)' is field 'gdp' but its unit '万美元'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoYearAnywhere_Fails()
    {
        var kit = new IngestTestKit().Add("yearbook.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Equal("yearbook.csv: cannot tell the year: no 年份 column and no single year (e.g. 2015) in the file name.", e.Message);
    }

    [Fact]
    public void Run_YearColumnDisagreesWithFileName_Fails()
    {
        var kit = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows("年份," + Header, "2014,唐山市,6000000,750,3000,40"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Equal("csy_2013.csv, sheet 'Sheet1', row 2: year 2014 disagrees with the year 2013 in the file name.", e.Message);
    }

    [Fact]
    public void Run_GrowthTargetFile_ReadsCityAndProvinceTargets()
    {
        var kit = new IngestTestKit()
            .Add("csy_2013.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40"))
            .Add("growth_targets.csv", IngestTestKit.Rows(
                "地区,行政区划代码,级别,年份,经济增长目标(%),目标表述",
                "河北省,130000,省,2013,8.0,8%左右",
                "唐山市,130200,市,2013,9.0,确保9%以上",
                "北京市,110000,省,2020,—,不设具体目标"));
        var t = kit.Run().Tables["targets"];
        Assert.Equal(new[] { "130000", "130200", "110000" }, t.Strings("city_code").Select(s => s!).ToArray());
        Assert.Equal(new[] { "province", "city", "province" }, t.Strings("level").Select(s => s!).ToArray());
        Assert.Equal(9.0, t.Doubles("growth_target")[1]);
        Assert.True(double.IsNaN(t.Doubles("growth_target")[2]));
        Assert.Equal("确保9%以上", t.Strings("wording")[1]);
    }

    [Fact]
    public void Run_NonDataFileInRawFolder_IgnoredWithFinding()
    {
        var kit = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows(Header, "唐山市,6000000,750,3000,40")).Add("README.md", IngestTestKit.Rows("x"));
        var f = IngestTestKit.Findings(kit.Run());
        Assert.Contains(f, x => x.Kind == FindingKind.IgnoredFile);
    }
}
