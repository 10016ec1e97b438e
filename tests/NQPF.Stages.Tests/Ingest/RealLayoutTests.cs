using NQPF.Stages.Ingest;
using NQPF.Tests.Shared;
using static NQPF.Tests.Shared.RealLayoutFixtures;

namespace NQPF.Stages.Tests.Ingest;

/// <summary>The official yearbook layouts and the researchers' per-variable panels (fixtures: <see cref="RealLayoutFixtures"/>).</summary>
public class RealLayoutTests
{
    private const string Edition2014 = "地级市（及以上城市）统计资料（2014年）.xlsx";
    private const string Table2021 = "中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/2-1_人口数.xlsx";

    [Fact]
    public void Run_OfficialEditionTable_ReadsEachScopeInCanonicalUnitsForTheYearBefore()
    {
        var r = new IngestTestKit().Add(Edition2014, OfficialEdition(2014)).Run();
        for (var i = 0; i < Hebei.Length; i++)
        {
            var code = Hebei[i].Code;
            Assert.Equal(Pop(i), IngestTestKit.Value(r, code, 2013, "pop_registered"));
            Assert.Equal(PopDistrict(i), IngestTestKit.Value(r, code, 2013, "pop_registered_district"));
            Assert.Equal(Pop(i) + 20, IngestTestKit.Value(r, code, 2013, "pop_resident"));
            Assert.Equal(EmployeesPersons(i) / 1e4, IngestTestKit.Value(r, code, 2013, "employees_total"), 9);
            Assert.Equal(EmployeesPersons(i) / 2e4, IngestTestKit.Value(r, code, 2013, "employees_total_district"), 9);
            Assert.Equal(Gdp(i), IngestTestKit.Value(r, code, 2013, "gdp"));
            Assert.Equal(GdpDistrict(i), IngestTestKit.Value(r, code, 2013, "gdp_district"));
        }
        Assert.Equal(1300, IngestTestKit.Value(r, "110000", 2013, "pop_registered"));
        // 12 cities × 7 values: nothing from the total, the province row or the 市辖区 column of 年末常住人口.
        Assert.Equal(12 * 7, r.Tables["panel"].RowCount);
    }

    [Fact]
    public void Run_OfficialEditionTable_ReportsEveryRowAndColumnItDidNotRead()
    {
        var f = IngestTestKit.Findings(new IngestTestKit().Add(Edition2014, OfficialEdition(2014)).Run());
        Assert.Contains(f, x => x.Kind == FindingKind.YearSource && x.Detail.Contains("2014 edition: data year 2013", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.TotalRow && x.Row == 6);
        Assert.Contains(f, x => x.Kind == FindingKind.ProvinceRow && x.Row == 8 && x.Detail.Contains("province totals", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.ScopeNotRead && x.Column == "E" && x.Detail.Contains("pop_resident", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.SectionRow && x.Row == 2);
        Assert.Contains(f, x => x.Kind == FindingKind.ScopeRow && x.Row == 5);
        Assert.Contains(f, x => x.Kind == FindingKind.Footnote && x.Row == 21 && x.Detail.StartsWith("2 footnote", StringComparison.Ordinal));
        Assert.DoesNotContain(f, x => x.Kind is FindingKind.UnknownCity or FindingKind.UnmappedHeader);
    }

    [Fact]
    public void Run_PerTableWorkbookInEditionFolder_YearFromFolderWithFinding()
    {
        var r = new IngestTestKit().Add(Table2021, PerTableWorkbook()).Run();
        Assert.Equal(Pop(0) + 5, IngestTestKit.Value(r, "130100", 2020, "pop_registered"));
        Assert.Equal(PopDistrict(3) + 5, IngestTestKit.Value(r, "130400", 2020, "pop_registered_district"));
        Assert.Equal(1400, IngestTestKit.Value(r, "110000", 2020, "pop_registered"));
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.YearSource
            && x.Detail.Contains("folder name '中国城市统计年鉴2021（excel）' names the 2021 edition, read as data year 2020", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_EditionsAndPanelsTogether_EachYearOnceWithPrecedenceAndDisagreements()
    {
        var panel = FdiPanel("万美元", 1, 2012, 2020);
        var r = new IngestTestKit().Add(Edition2014, OfficialEdition(2014)).Add(Table2021, PerTableWorkbook())
            .Add("外商直接投资2000-2022.xlsx", panel).Add("fdi_copy.csv", FdiPanel("万美元", 1, 2013, 2013)).Run();
        Assert.Equal(Pop(2), IngestTestKit.Value(r, "130300", 2013, "pop_registered"));
        Assert.Equal(Pop(2) + 5, IngestTestKit.Value(r, "130300", 2020, "pop_registered"));
        Assert.Equal(Fdi(5, 2016), IngestTestKit.Value(r, "130600", 2016, "fdi_actual"));
        var f = IngestTestKit.Findings(r);
        Assert.Contains(f, x => x.Kind == FindingKind.SourceOverlap && x.Detail.StartsWith("11 value(s) also in", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_TwoFilesDisagree_KeepsThePrecedentAndListsTheDifference()
    {
        var older = IngestTestKit.Sheet("Sheet1", '|', "year|城市|地区生产总值(万元)", "2013|唐山市|6000000", "2013|石家庄市|5000000");
        var newer = IngestTestKit.Sheet("Sheet1", '|', "城市|地区生产总值(万元)|年末户籍人口(万人)|专利授权数(件)", "唐山市|6100000|750|3000", "石家庄市|5000000|990|2000");
        var r = new IngestTestKit().Add("gdp_panel.csv", older).Add("csy_2013.csv", newer).Run();
        Assert.Equal(6100000, IngestTestKit.Value(r, "130200", 2013, "gdp"));
        var f = IngestTestKit.Findings(r);
        var d = Assert.Single(f, x => x.Kind == FindingKind.SourceDisagreement);
        Assert.Equal("130200 2013 gdp = 6000000 here but 6100000 in csy_2013.csv (sheet 'Sheet1', row 2), which is kept", d.Detail);
        Assert.Contains(f, x => x.Kind == FindingKind.SourceOverlap && x.Detail.StartsWith("2 value(s) also in gdp_panel.csv", StringComparison.Ordinal)
            && x.Detail.Contains("1 differ", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_LongPanelWithUnitColumn_ReadsYearsAndRealNames()
    {
        var r = new IngestTestKit().Add("外商直接投资.xlsx", FdiPanel("万美元", 1, 2011, 2013)).Run();
        for (var i = 0; i < Hebei.Length; i++)
            Assert.Equal(Fdi(i, 2012), IngestTestKit.Value(r, Hebei[i].Code, 2012, "fdi_actual"));
        var f = IngestTestKit.Findings(r);
        Assert.Equal(3, f.Count(x => x.Kind == FindingKind.ProvinceRow));
        Assert.Equal(3, f.Count(x => x.Kind == FindingKind.UnknownCity && x.Detail.Contains("辛集市", StringComparison.Ordinal)));
        Assert.Contains(f, x => x.Kind == FindingKind.AliasMatched && x.Detail.Contains("'河北秦皇岛' → 130300 秦皇岛市", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.Footnote);
    }

    [Fact]
    public void Run_PanelInMillionUsdLabelledTenThousand_StopsNamingTheLikelyUnit()
    {
        var kit = new IngestTestKit().Add("外商直接投资.xlsx", FdiPanel("万美元", 100, 2011, 2011));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Contains("外商直接投资.xlsx, sheet 'Sheet1', column C: fdi_actual: values look 100× too small for 万美元", e.Message, StringComparison.Ordinal);
        Assert.Contains("is the unit 百万美元?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ScaleMismatchWithConvert_ConvertsAndRecordsIt()
    {
        var r = new IngestTestKit().Add("外商直接投资.xlsx", FdiPanel("万美元", 100, 2011, 2011)).Run(new IngestOptions { OnScaleMismatch = ScalePolicy.Convert });
        Assert.Equal(Fdi(4, 2011), IngestTestKit.Value(r, "130500", 2011, "fdi_actual"), 6);
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.ScaleConverted && x.Detail.StartsWith("fdi_actual: converted ×100", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_UnitColumnInMillionUsd_ConvertedByPrefix()
    {
        var r = new IngestTestKit().Add("外商直接投资.xlsx", FdiPanel("百万美元", 100, 2011, 2011)).Run();
        Assert.Equal(Fdi(7, 2011), IngestTestKit.Value(r, "130800", 2011, "fdi_actual"), 6);
    }

    [Fact]
    public void Run_SharesAsFractions_StopsAskingWhetherTheyAreFractions()
    {
        var lines = new List<string> { "城市|第二产业占GDP比重(%)|第三产业占GDP比重(%)|年末户籍人口(万人)" };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|0.4{i % 10}|0.3{i % 10}|{Pop(i)}"));
        var kit = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Sheet("Sheet1", '|', [.. lines]));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Contains("secondary_share: values look 100× too small for %", e.Message, StringComparison.Ordinal);
        Assert.Contains("are they fractions (0.31 for 31%)?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_YiYuanPrintedAsWanYuan_StopsNamingYiYuan()
    {
        var lines = new List<string> { "城市|地区生产总值(万元)|年末户籍人口(万人)|专利授权数(件)" };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|{Gdp(i) / 1e4}|{Pop(i)}|{1000 + i}"));
        var kit = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Sheet("Sheet1", '|', [.. lines]));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Contains("gdp: values look 10000× too small for 万元 (unit from header); is the unit 亿元?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownHeader_MessageListsCellsNearestFieldAndAliasLine()
    {
        var kit = new IngestTestKit().Add("fdi.csv", IngestTestKit.Sheet("Sheet1", '|', "year|地级市|实际利用外资额|单位", "2013|唐山市|5|万美元"));
        var e = Assert.Throws<DataValidationException>(() => kit.Run());
        Assert.Contains("Header cells seen in row 1: 'year' | '地级市' | '实际利用外资额' | '单位'.", e.Message, StringComparison.Ordinal);
        Assert.Contains("add \"实际利用外资额\" to the Aliases of \"fdi_actual\" in config/fields.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SeveralBadFiles_ReportsEveryOneThenSkipsThemWhenAsked()
    {
        IngestTestKit Kit() => new IngestTestKit()
            .Add("csy_2013.csv", IngestTestKit.Rows("城市,地区生产总值(万元),年末户籍人口(万人),专利授权数(件)", "唐山市,6000000,750,3000"))
            .Add("a-2014.csv", IngestTestKit.Rows("a,b,c", "1,2,3"))
            .Add("b-2015.csv", IngestTestKit.Rows("城市,地区生产总值(万美元),年末户籍人口(万人),专利授权数(件)", "唐山市,1,750,3000"));
        var e = Assert.Throws<DataValidationException>(() => Kit().Run());
        Assert.StartsWith("2 files could not be ingested", e.Message, StringComparison.Ordinal);
        Assert.Contains("(1) a-2014.csv: no recognisable header", e.Message, StringComparison.Ordinal);
        Assert.Contains("(2) b-2015.csv, sheet 'Sheet1', row 1, column B", e.Message, StringComparison.Ordinal);
        var r = Kit().Run(new IngestOptions { OnBadFile = BadFilePolicy.Skip });
        Assert.Equal(6000000, IngestTestKit.Value(r, "130200", 2013, "gdp"));
        Assert.Equal(2, IngestTestKit.Findings(r).Count(x => x.Kind == FindingKind.BadFileSkipped));
        Assert.Contains("## Files skipped (Ingest:OnBadFile=Skip)", System.Text.Encoding.UTF8.GetString(r.Documents[0].Content), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownCodeWithKnownName_NotMatchedByName()
    {
        var r = new IngestTestKit().Add("csy_2013.csv", IngestTestKit.Rows(
            "城市,行政区划代码,地区生产总值(万元),年末户籍人口(万人),专利授权数(件)", "唐山市,130200,6000000,750,3000", "石家庄市,130181,5000000,990,2000")).Run();
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "130100", 2013, "gdp")));
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.UnknownCity && x.Detail.Contains("code '130181' is no unit", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WideTableNamedByFile_ReadsEachYearColumnInTheFilesUnit()
    {
        var r = new IngestTestKit().Add("地区生产总值(亿元).xlsx", WideGdp()).Run();
        Assert.Equal(Gdp(3), IngestTestKit.Value(r, "130400", 2011, "gdp"), 6);
        Assert.Equal(Gdp(3) + 2e6, IngestTestKit.Value(r, "130400", 2013, "gdp"), 6);
        Assert.Equal(33, r.Tables["panel"].RowCount);
    }

    [Fact]
    public void Run_CsmarThreeHeaderRows_ReadsUnitsAndCodes()
    {
        var r = new IngestTestKit().Add("CSMAR_城市经济.xlsx", Csmar()).Run();
        Assert.Equal(Gdp(5), IngestTestKit.Value(r, "130600", 2013, "gdp"), 6);
        Assert.Equal(Pop(5), IngestTestKit.Value(r, "130600", 1995, "pop_registered"));
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.UnitRow && x.Row == 3);
    }

    [Fact]
    public void Run_Edition2021ThreeHeaderLevels_TitleInA2()
    {
        var r = new IngestTestKit().Add("地级市（及以上城市）统计资料（2021年）.xlsx", Edition2021()).Run();
        Assert.Equal(Pop(6), IngestTestKit.Value(r, "130700", 2020, "pop_registered"));
        Assert.Equal(PopDistrict(6), IngestTestKit.Value(r, "130700", 2020, "pop_registered_district"));
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.UnmappedHeader && x.Detail.Contains("城镇常住人口", StringComparison.Ordinal));
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.YearSource && x.Detail.Contains("(row 2) is the 2021 edition", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Manifest_GivesHeaderRowYearColumnsAndPrecedence()
    {
        var sheet = IngestTestKit.Sheet("Sheet1", '|', "说明：城市面板", "城市|GDP总量|人口", "唐山市|600|750", "石家庄市|500|990");
        var r = new IngestTestKit()
            .Add("a/gdp.csv", sheet)
            .Add("csy_2013.csv", IngestTestKit.Rows("城市,地区生产总值(万元),年末户籍人口(万人),专利授权数(件)", "唐山市,6100000,751,3000"))
            .Manifest("""{"Files": [{"Path": "a/*.csv", "HeaderRow": 2, "Year": 2013, "Precedence": 1,""" +
                      """ "Columns": {"B": {"Field": "gdp", "Unit": "亿元"}, "C": {"Field": "pop_registered"}}}]}""")
            .Run();
        Assert.Equal(6000000, IngestTestKit.Value(r, "130200", 2013, "gdp"), 6);
        Assert.Equal(750, IngestTestKit.Value(r, "130200", 2013, "pop_registered"));
        Assert.Equal(3000, IngestTestKit.Value(r, "130200", 2013, "patents_granted"));
        var f = IngestTestKit.Findings(r);
        Assert.Contains(f, x => x.Kind == FindingKind.YearSource && x.Detail == "data year 2013 from sources.json");
        Assert.Contains(f, x => x.Kind == FindingKind.SourceDisagreement && x.Detail.Contains("6100000 here but 6000000 in a/gdp.csv", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ManifestKeyColumns_ReadAHeaderWithUnknownKeyNames()
    {
        var sheet = IngestTestKit.Sheet("Sheet1", '|', "时间|名称|外资", "2013|唐山市|5000", "2014|唐山市|5100");
        var r = new IngestTestKit().Add("fdi.csv", sheet)
            .Manifest("""{"Files": [{"Path": "fdi.csv", "HeaderRow": 1, "CityColumn": "B", "YearColumn": "a", "Columns": {"C": {"Field": "fdi_actual"}}}]}""")
            .Run();
        Assert.Equal(5000, IngestTestKit.Value(r, "130200", 2013, "fdi_actual"));
        Assert.Equal(5100, IngestTestKit.Value(r, "130200", 2014, "fdi_actual"));
    }

    [Fact]
    public void Run_ManifestScale_MultipliesTheColumnAndSaysSo()
    {
        // Shares given as fractions (0.31 for 31%): sources.json's Scale 100 reads them as percent.
        var lines = new List<string> { "城市|第三产业占比" };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|{(0.30 + 0.01 * i).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        var r = new IngestTestKit().Add("tertiary.csv", IngestTestKit.Sheet("Sheet1", '|', [.. lines]))
            .Manifest("""{"Files": [{"Path": "tertiary.csv", "HeaderRow": 1, "Year": 2015, "Columns": {"B": {"Field": "tertiary_share", "Scale": 100}}}]}""")
            .Run();
        Assert.Equal(32, IngestTestKit.Value(r, "130300", 2015, "tertiary_share"), 9);
        Assert.Contains(IngestTestKit.Findings(r), x => x.Kind == FindingKind.Rescaled && x.Column == "B"
            && x.Detail.Contains("tertiary_share", StringComparison.Ordinal) && x.Detail.EndsWith("× 100", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ManifestScaleNotPositive_FailsNamingTheField()
    {
        var kit = new IngestTestKit().Add("tertiary.csv", IngestTestKit.Sheet("Sheet1", '|', "城市|第三产业占比", "唐山市|0.31"))
            .Manifest("""{"Files": [{"Path": "tertiary.csv", "HeaderRow": 1, "Year": 2015, "Columns": {"B": {"Field": "tertiary_share", "Scale": -1}}}]}""");

        var error = Assert.Throws<DataValidationException>(() => kit.Run());

        Assert.Contains("tertiary_share", error.Message, StringComparison.Ordinal);
        Assert.Contains("scale -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnitAsUnderscoreSuffix_ReadInThatUnit()
    {
        var lines = new List<string> { "城市|地区生产总值_亿元|年末户籍人口_万人|专利授权数_件" };
        lines.AddRange(Hebei.Select((c, i) => $"{c.Name}|{Gdp(i) / 1e4}|{Pop(i)}|{1000 + i}"));
        var r = new IngestTestKit().Add("csy_2015.csv", IngestTestKit.Sheet("Sheet1", '|', [.. lines])).Run();
        Assert.Equal(Gdp(2), IngestTestKit.Value(r, "130300", 2015, "gdp"), 6);
        Assert.Equal(1002, IngestTestKit.Value(r, "130300", 2015, "patents_granted"));
    }

    [Fact]
    public void Run_ChineseAndEnglishNameColumns_OneRescuesTheOtherAndDisagreementSkipsTheRow()
    {
        var r = new IngestTestKit().Add(Table2021, PerTableWorkbookWithNameProblems()).Run();
        var f = IngestTestKit.Findings(r);
        // 石家庒 (typo) is read by its English name; 秦皇岛 by its Chinese name; BAO-DING matches 保定 silently.
        Assert.Equal(Pop(0) + 5, IngestTestKit.Value(r, "130100", 2020, "pop_registered"));
        Assert.Equal(Pop(2) + 5, IngestTestKit.Value(r, "130300", 2020, "pop_registered"));
        Assert.Equal(Pop(5) + 5, IngestTestKit.Value(r, "130600", 2020, "pop_registered"));
        Assert.Contains(f, x => x.Kind == FindingKind.NamePairOneMatched && x.Row == 5
            && x.Detail.Contains("A '石家庒市', B 'Shijiazhuang': the Chinese name matches no unit; the English name is 130100 石家庄市", StringComparison.Ordinal));
        Assert.Contains(f, x => x.Kind == FindingKind.NamePairOneMatched && x.Row == 7
            && x.Detail.Contains("the Chinese name is 130300 秦皇岛市; the English name matches no unit", StringComparison.Ordinal));
        // 唐山市 | Handan: neither is guessed; 邯郸's own row still gives 邯郸's value.
        Assert.Contains(f, x => x.Kind == FindingKind.NamesDisagree && x.Row == 6
            && x.Detail.Contains("the Chinese name is 130200 唐山市 but the English name is 130400 邯郸市; row skipped", StringComparison.Ordinal));
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "130200", 2020, "pop_registered")));
        Assert.Equal(Pop(3) + 5, IngestTestKit.Value(r, "130400", 2020, "pop_registered"));
        Assert.Equal(2, f.Count(x => x.Kind == FindingKind.NamePairOneMatched));
        Assert.DoesNotContain(f, x => x.Kind == FindingKind.UnknownCity);
    }

    [Fact]
    public void Run_EnglishNamesOnly_MatchedAndASharedSpellingReportedNotGuessed()
    {
        var r = new IngestTestKit().Add("gdp_en.xlsx", EnglishOnlyPanel()).Run();
        for (var i = 0; i < EnglishCities.Length; i++)
            Assert.Equal(Gdp(i), IngestTestKit.Value(r, EnglishCities[i].Code, 2018, "gdp"), 6);
        var unknown = IngestTestKit.Findings(r).Where(x => x.Kind == FindingKind.UnknownCity).ToList();
        Assert.Equal(2, unknown.Count);
        Assert.All(unknown, x => Assert.Contains("shared by 321200 泰州市, 331000 台州市", x.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_CountyLevelRows_SkippedWithFindingNeverMatchedToAPrefecture()
    {
        var r = new IngestTestKit().WithCounties().Add("gdp_panel.csv", IngestTestKit.Rows(
            "年份,城市,行政区划代码,地区生产总值(万元)",
            "2013,唐山市,,6000000", "2013,辛集市,,3000000", "2013,阿勒泰市,,900000", "2013,,130181,3100000",
            "2010,巢湖市,,4000000", "2013,巢湖市,,4100000", "2013,阿勒泰,,2500000")).Run();
        var county = IngestTestKit.Findings(r).Where(x => x.Kind == FindingKind.CountyLevelRow).ToList();
        Assert.Equal(new long[] { 3, 4, 5, 7 }, county.Select(x => x.Row).Order());
        Assert.Contains(county, x => x.Detail == "'阿勒泰市' is the county-level unit 654301 阿勒泰市 (prefecture 654300 阿勒泰地区) in 2013; row skipped (not a prefecture-level city)");
        Assert.Contains(county, x => x.Detail.StartsWith("'130181' is the county-level unit 130181 辛集市 (prefecture 130100 石家庄市)", StringComparison.Ordinal));
        // 巢湖市 is the prefecture in 2010 and a county-level city of 合肥 from 2011; 阿勒泰 alone is still the 地区.
        Assert.Equal(4000000, IngestTestKit.Value(r, "341400", 2010, "gdp"));
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "341400", 2013, "gdp")));
        Assert.Equal(2500000, IngestTestKit.Value(r, "654300", 2013, "gdp"));
        Assert.True(double.IsNaN(IngestTestKit.Value(r, "130100", 2013, "gdp")));
        Assert.DoesNotContain(IngestTestKit.Findings(r), x => x.Kind == FindingKind.UnknownCity);
    }

    [Theory]
    [InlineData(true, "sheet 'NOTE' cell B3 ('单位：亿元')")]
    [InlineData(false, "sheet 'Sheet1' cell A124 ('注：单位：亿元；数据来源：城市统计年鉴。')")]
    public void Run_UnitOnlyInANote_AppliedToTheUnitlessColumnWithFinding(bool noteSheet, string where)
    {
        var r = new IngestTestKit().Add("gdp_panel.xlsx", PanelWithUnitInNote(noteSheet)).Run();
        for (var i = 0; i < Hebei.Length; i++)
        {
            Assert.Equal(GdpYi(i, 2015) * 1e4, IngestTestKit.Value(r, Hebei[i].Code, 2015, "gdp"), 6);
            Assert.Equal(30 + i + 2.0, IngestTestKit.Value(r, Hebei[i].Code, 2015, "green_coverage"), 9);
        }
        var f = IngestTestKit.Findings(r);
        var note = Assert.Single(f, x => x.Kind == FindingKind.UnitFromNote);
        Assert.Equal($"gdp: no unit printed in the header; unit 亿元 read from {where}, × 10000 to 万元", note.Detail);
        Assert.Equal("C", note.Column);
        Assert.DoesNotContain(f, x => x.Kind == FindingKind.UnknownCity);
    }

    [Fact]
    public void Run_UnitlessColumnWithoutNote_StopsOnTheScaleCheckInsteadOfGuessing()
    {
        var sheets = PanelWithUnitInNote(noteSheet: true);
        var ex = Assert.Throws<DataValidationException>(() => new IngestTestKit().Add("gdp_panel.xlsx", sheets[0]).Run());
        Assert.Contains("column C", ex.Message, StringComparison.Ordinal);
    }
}
