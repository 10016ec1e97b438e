using NQPF.Stages.Common;

namespace NQPF.Stages.Tests.Common;

public class CityRosterTests
{
    private static Sheet Table(params string[] lines) =>
        new("t", lines.Select((l, i) => new SheetRow(i + 1, l.Split(','))).ToList());

    private const string Header =
        "code,name,short_name,province,level,capital,sub_provincial,planned,central,resource_type,former_names," +
        "former_codes,aliases,valid_from,valid_to,city_from,in_sample,exclusion_reason,source,confidence";

    private static CityRoster Roster() => CityRoster.Load(
        Table(Header,
            "110000,北京市,北京,北京市,直辖市,0,0,0,1,,,,北京,2010,2022,2010,1,,s,high",
            "420600,襄阳市,襄阳,湖北省,地级市,0,0,0,0,,襄樊市|襄樊,,襄阳,2010,2022,2010,1,,s,high",
            "520500,毕节市,毕节,贵州省,地级市,0,0,0,0,成长型,毕节地区,522400,毕节,2010,2022,2012,0,continuity,s,high",
            "341600,亳州市,亳州,安徽省,地级市,0,0,0,0,成熟型,,,亳州|毫州|毫州市,2010,2022,2010,1,,s,high",
            "422800,恩施土家族苗族自治州,恩施,湖北省,自治州,0,0,0,0,,,,恩施|恩施州,2010,2022,2010,0,level,s,high",
            "371200,莱芜市,莱芜,山东省,地级市,0,0,0,0,成熟型,,,莱芜,2010,2018,2010,0,continuity,s,high"),
        Table("year,old_code,old_name,new_code,new_name,change_type,old_name_until,new_name_from",
            "2010,420600,襄樊市,420600,襄阳市,rename,2010,2010",
            "2011,522400,毕节地区,520500,毕节市,地区->地级市,2011,2011",
            "2018,371200,莱芜市,370100,济南市,abolished/merged,2018,2018"));

    [Theory]
    [InlineData("110000", null, 2015, "110000", "Code")]
    [InlineData("110100", "北京", 2015, "110000", "Code")]
    [InlineData(null, "北京市", 2015, "110000", "ExactName")]
    [InlineData(null, " 北　京 ", 2015, "110000", "ShortName")]
    [InlineData(null, "北京市*", 2015, "110000", "ExactName")]
    [InlineData(null, "莱芜市(1)", 2016, "371200", "ExactName")]
    [InlineData(null, "襄樊市", 2010, "420600", "FormerName")]
    [InlineData(null, "襄樊", 2010, "420600", "FormerName")]
    [InlineData(null, "毕节地区", 2011, "520500", "FormerName")]
    [InlineData(null, "毕节地区", 2013, "520500", "ShortName")]
    [InlineData("522400", "毕节地区", 2011, "520500", "FormerCode")]
    [InlineData(null, "毫州", 2013, "341600", "Alias")]
    [InlineData(null, "恩施州", 2013, "422800", "Alias")]
    public void Match_PrintedForms_FindUnitAndKind(string? code, string? name, int year, string expected, string kind)
    {
        var m = Roster().Match(code, name, year);
        Assert.NotNull(m);
        Assert.Equal(expected, m.City.Code);
        Assert.Equal(kind, m.Kind.ToString());
    }

    [Fact]
    public void Match_FormerNameAfterItsLastYear_NoMatch()
    {
        Assert.Null(Roster().Match(null, "襄樊市", 2012));
        Assert.Null(Roster().Match("522400", null, 2013));
    }

    [Fact]
    public void Match_UnknownName_Null() => Assert.Null(Roster().Match(null, "不存在市", 2015));

    [Fact]
    public void Load_BadFlag_NamesRowAndColumn()
    {
        var e = Assert.Throws<ConfigValidationException>(() => CityRoster.Load(
            Table(Header, "110000,北京市,北京,北京市,直辖市,yes,0,0,1,,,,北京,2010,2022,2010,1,,s,high"),
            Table("year,old_code,old_name,new_code,new_name,change_type,old_name_until,new_name_from")));
        Assert.Contains("row 2, column capital", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingColumn_NamesColumn()
    {
        var e = Assert.Throws<ConfigValidationException>(() => CityRoster.Load(
            Table("code,name"), Table("year")));
        Assert.Contains("'short_name'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleRule_Decide_GivesFirstFailingRule()
    {
        var rule = new SampleRule(2011, 2021, ["直辖市", "地级市"], ["青海省"], "gaps",
            new Dictionary<string, string> { ["341600"] = "R4 missingness" });
        var d = rule.Apply(Roster()).ToDictionary(x => x.CityCode);
        Assert.True(d["110000"].Included);
        Assert.True(d["420600"].Included);
        Assert.StartsWith("continuity: converted from 地区 to 地级市 in 2011", d["520500"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("level: 自治州", d["422800"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("continuity: abolished/merged during the period (last data year 2018)", d["371200"].Reason,
            StringComparison.Ordinal);
        Assert.Equal("R4 missingness", d["341600"].Reason);
    }
}
