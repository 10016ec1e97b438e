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
        Assert.Equal(339, roster.Cities.Count);
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
}
