using NQPF.Stages.Common;
using NQPF.Stages.Tests.Robustness;

namespace NQPF.Stages.Tests.Common;

public sealed class ConfigTablesTests
{
    [Fact]
    public void Roster_TwoStagesOfOneRun_ParsedOnceAndShared()
    {
        var reader = new CountingReader(RosterSheets());
        var cache = new ConfigTableCache();

        var first = new ConfigTables(Sources([1]), reader, cache).Roster;
        var second = new ConfigTables(Sources([1]), reader, cache).Roster;

        Assert.Same(first, second);
        Assert.Equal(2, reader.Reads);
        Assert.Equal(RobustnessFixture.Cities, first.Cities.Count);
    }

    [Fact]
    public void Roster_FileEditedBetweenStages_ParsedAgain()
    {
        var reader = new CountingReader(RosterSheets());
        var cache = new ConfigTableCache();

        var first = new ConfigTables(Sources([1]), reader, cache).Roster;
        var second = new ConfigTables(Sources([9]), reader, cache).Roster;

        Assert.NotSame(first, second);
        Assert.Equal(4, reader.Reads);
    }

    [Fact]
    public void Roster_CityChangesFileAbsent_ConfigErrorNamingTheFile()
    {
        var tables = new ConfigTables([new SourceFile("config", ConfigTables.CitiesFile, [1])], new CountingReader(RosterSheets()));

        var e = Assert.Throws<ConfigValidationException>(() => tables.Roster);

        Assert.Equal("config/city_changes.csv was not found in the config folder.", e.Message);
    }

    private static SourceFile[] Sources(byte[] cities) =>
        [new("config", ConfigTables.CitiesFile, cities), new("config", ConfigTables.CityChangesFile, [2])];

    private static Dictionary<string, Sheet> RosterSheets() => new()
    {
        [ConfigTables.CitiesFile] = RobustnessFixture.CitiesSheet(),
        [ConfigTables.CityChangesFile] = RobustnessFixture.NoCityChanges(),
    };

    private sealed class CountingReader(IReadOnlyDictionary<string, Sheet> sheets) : ISheetReader
    {
        public int Reads { get; private set; }

        public Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits)
        {
            Reads++;
            return new(fileName, "csv", "utf-8", [sheets[fileName]]);
        }
    }
}
