using NQPF.Pipeline.Files;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Files;

public class DefaultRosterTests
{
    private static readonly ReadLimits Limits = new();

    internal static CityRoster LoadDefault()
    {
        var reader = new SheetReader();
        var cities = reader.Read("cities.csv", File.ReadAllBytes(RepoPaths.Config("cities.csv")), Limits);
        var changes = reader.Read("city_changes.csv", File.ReadAllBytes(RepoPaths.Config("city_changes.csv")), Limits);
        return CityRoster.Load(cities.Sheets[0], changes.Sheets[0]);
    }

    [Fact]
    public void DefaultRoster_InSample_Is275Cities()
    {
        var roster = LoadDefault();
        Assert.Equal(340, roster.Cities.Count);
        Assert.Equal(275, roster.InSample.Count());
        Assert.All(roster.Cities.Where(c => !c.InSample), c => Assert.False(string.IsNullOrEmpty(c.ExclusionReason)));
    }

    [Fact]
    public void DefaultSampleRule_Apply_EqualsCitiesCsvColumns()
    {
        var roster = LoadDefault();
        var rule = SampleRule.FromJson(File.ReadAllBytes(RepoPaths.Config("sample.json")));
        foreach (var d in rule.Apply(roster))
        {
            var c = roster.Get(d.CityCode);
            Assert.True(c.InSample == d.Included, $"{c.Code} {c.Name}: cities.csv in_sample={c.InSample}, rule={d.Included}");
            Assert.Equal(c.ExclusionReason, d.Reason);
        }
    }

    [Fact]
    public void DefaultRoster_EveryNameInEveryYear_MatchesItsOwnUnit()
    {
        var roster = LoadDefault();
        for (var year = 2010; year <= 2022; year++)
        {
            foreach (var c in roster.Cities.Where(c => c.ValidIn(year)))
            {
                foreach (var printed in new[] { c.Name, c.ShortName }.Concat(c.Aliases))
                {
                    var m = roster.Match(null, printed, year);
                    Assert.True(m?.City.Code == c.Code, $"'{printed}' in {year} matched {m?.City.Code}, expected {c.Code}");
                }
            }
        }
    }

    [Theory]
    [InlineData("襄樊市", 2010, "420600")]
    [InlineData("毕节地区", 2011, "520500")]
    [InlineData("海东地区", 2012, "630200")]
    [InlineData("莱芜", 2018, "371200")]
    [InlineData("三沙市", 2015, "460300")]
    [InlineData("毫州", 2015, "341600")]
    public void DefaultRoster_RenamedAndOutOfSampleUnits_Match(string printed, int year, string code) =>
        Assert.Equal(code, LoadDefault().Match(null, printed, year)?.City.Code);

    [Theory]
    [InlineData("Beijing", "110000")]
    [InlineData("SHIJIAZHUANG", "130100")]
    [InlineData("Hohhot", "150100")]
    [InlineData("Huhehaote", "150100")]
    [InlineData("Xi'an", "610100")]
    [InlineData("Xi’an", "610100")]
    [InlineData("xian", "610100")]
    [InlineData("Lu'an", "341500")]
    [InlineData("Liu An", "341500")]
    [InlineData("Urumqi", "650100")]
    [InlineData("Harbin City", "230100")]
    [InlineData("Chongqing", "500000")]
    [InlineData("Xiamen", "350200")]
    [InlineData("Bengbu", "340300")]
    [InlineData("Changsha", "430100")]
    [InlineData("Lvliang", "141100")]
    [InlineData("Lüliang", "141100")]
    [InlineData("Da Hinggan Ling", "232700")]
    [InlineData("Ili Prefecture", "654000")]
    public void DefaultRoster_EnglishNames_MatchIgnoringCaseSpacesHyphensApostrophes(string printed, string code)
    {
        var match = LoadDefault().Match(null, printed, 2019);
        Assert.NotNull(match);
        Assert.Equal((code, CityMatchKind.English), (match.City.Code, match.Kind));
    }

    [Fact]
    public void DefaultRoster_SharedEnglishSpelling_NamesBothUnitsAndMatchesNeither()
    {
        var roster = LoadDefault();
        Assert.Equal(new[] { "321200", "331000" }, roster.English("Taizhou", 2019).Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.Null(roster.Match(null, "Taizhou", 2019));
        Assert.Empty(roster.English("Springfield", 2019));
    }

    [Fact]
    public void DefaultRoster_EveryUnit_HasAnEnglishNameThatMatchesOnlyItselfOrASharedSpelling()
    {
        var roster = LoadDefault();
        foreach (var c in roster.Cities)
        {
            Assert.True(c.EnglishNames is { Count: > 0 }, $"{c.Code} {c.Name} has no English name");
            Assert.Contains(c, roster.English(c.EnglishNames[0], c.ValidTo));
            Assert.All(c.EnglishNames[0], ch => Assert.True(char.IsAsciiLetter(ch) || ch is '\'' or ' ', $"{c.Name}: '{c.EnglishNames[0]}'"));
        }
    }

    [Theory]
    [InlineData("吉安地区", 2000, "360800", "FormerName")]
    [InlineData("伊克昭盟", 2000, "150600", "FormerName")]
    [InlineData("思茅地区", 2002, "530800", "FormerName")]
    [InlineData("淮阴市", 2000, "320800", "FormerName")]
    [InlineData("柳州地区", 2001, "451300", "FormerName")]
    [InlineData("柳州", 2001, "450200", "ShortName")]
    [InlineData("伊犁地区", 2000, "654100", "ExactName")]
    [InlineData("伊犁哈萨克自治州", 2000, "654000", "ExactName")]
    [InlineData("伊犁", 2015, "654000", "ShortName")]
    [InlineData("伊犁州", 2015, "654000", "Alias")]
    public void DefaultRoster_NamesOf2000To2009_MatchTheirUnitAndYiliPrefectureIsNotYiliAutonomousPrefecture(string printed, int year, string code, string kind)
    {
        var match = LoadDefault().Match(null, printed, year);
        Assert.NotNull(match);
        Assert.Equal((code, kind), (match.City.Code, match.Kind.ToString()));
    }

    [Fact]
    public void DefaultRoster_ValidityFromLegalRoster_CoversEveryYear2000To2023ForContinuingUnits()
    {
        var roster = LoadDefault();
        var continuing = roster.Cities.Where(c => c.ValidFrom <= 2000 && c.ValidTo >= 2023).ToList();
        Assert.Equal(333, continuing.Count);
        Assert.Equal((2002, 2024), (roster.Get("451400").ValidFrom, roster.Get("451400").ValidTo));
        Assert.Equal((2003, 2004), (roster.Get("640500").ValidFrom, roster.Get("640500").CityFrom));
        Assert.Equal((2000, 2018), (roster.Get("371200").ValidFrom, roster.Get("371200").ValidTo));
        Assert.Equal((2000, 2000), (roster.Get("654100").ValidFrom, roster.Get("654100").ValidTo));
        Assert.False(roster.Get("654100").InSample);
    }
}
