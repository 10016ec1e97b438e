using NQPF.Stages.Cohorts;
using static NQPF.Stages.Tests.Cohorts.CohortsFixtures;

namespace NQPF.Stages.Tests.Cohorts;

public class PolicyFileParserTests
{
    private static string[] Row(string listed = "石家庄市", string code = "130100", string level = "prefecture",
        string year = "2014", string complete = "true", string confidence = "high", string source = "MIIT 2014") =>
        [listed, "石家庄市", code, "prefecture_city", level, "第一批", year, "", complete, confidence, source, ""];

    [Fact]
    public void Parse_ValidRows_ReadsEveryField()
    {
        var list = PolicyFileParser.Parse("policies/broadband_china.csv",
            Records(Row(), Row(listed: "永城市", code: "411400", level: "sub_prefecture", year: "2015")));

        Assert.Equal("broadband_china", list.Policy);
        Assert.True(list.Complete);
        Assert.Equal(2, list.Entries.Count);
        var e = list.Entries[1];
        Assert.Equal(("永城市", "411400", PolicyLevel.SubPrefecture, 2015, 3), (e.ListedName, e.CityCode, e.Level, e.Year!.Value, e.Line));
    }

    [Fact]
    public void Parse_EmptyYear_IsNull()
    {
        var list = PolicyFileParser.Parse("policies/innovative_city.csv", Records(Row(year: "")));

        Assert.Null(list.Entries[0].Year);
    }

    [Fact]
    public void Parse_CompleteFlagDiffersBetweenRows_ThrowsNamingLine()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            PolicyFileParser.Parse("policies/smart_city.csv", Records(Row(complete: "false"), Row(complete: "true"))));

        Assert.Contains("policies/smart_city.csv line 3, column complete", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("county", "", "level", "'county' is not prefecture, province or sub_prefecture")]
    [InlineData("prefecture", "2O14", "year", "'2O14' is not a year")]
    public void Parse_BadCell_ThrowsNamingColumn(string level, string year, string column, string expected)
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            PolicyFileParser.Parse("policies/low_carbon.csv", Records(Row(level: level, year: year.Length == 0 ? "2012" : year))));

        Assert.Contains($"line 2, column {column}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CodeNotSixDigits_Throws()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            PolicyFileParser.Parse("policies/low_carbon.csv", Records(Row(code: "1301"))));

        Assert.Contains("'1301' is not a 6-digit code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileNameNotSnakeCase_Throws()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            PolicyFileParser.Parse("policies/Low-Carbon.csv", Records(Row())));

        Assert.Contains("snake_case", ex.Message, StringComparison.Ordinal);
    }
}
