using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Clean;
using NQPF.Stages.Common;
using NQPF.Stages.Index;

namespace NQPF.Pipeline.Tests.Index;

/// <summary>The clean and index stages on the repository's config files and a synthetic ingest/panel, without the runner.</summary>
public sealed class CleanIndexStagesTests
{
    private static readonly string[] ConfigFiles = ["indicators.json", "cities.csv", "city_changes.csv", "exchange_rates.csv"];

    internal static StageContext Context(IReadOnlyDictionary<string, Frame> inputs, params (string Path, byte[] Content)[] extra)
    {
        SourceFile[] sources =
        [
            .. ConfigFiles.Select(f => new SourceFile("config", f, File.ReadAllBytes(RepoPaths.Config(f)))),
            .. extra.Select(e => new SourceFile("config", e.Path, e.Content)),
        ];
        return new(inputs, sources, new Progress<StageProgress>(), NullLogger.Instance) { Config = new ConfigTables(sources, new SheetReader()) };
    }

    /// <summary>Every field of every indicator for every roster unit, 2011–2021, positive and city-specific.</summary>
    internal static Frame SyntheticIngestPanel(int lastYear = 2021, Func<string, long, bool>? missing = null)
    {
        var roster = DefaultRosterLoader();
        var system = IndicatorSystem.FromJson(File.ReadAllBytes(RepoPaths.Config("indicators.json")), "indicators.json");
        var fields = system.Fields.Where(f => f != "cny_per_usd").ToArray();
        var rows = new List<(string, long, string, double)>();
        foreach (var city in roster.Cities)
        {
            for (var year = 2011; year <= lastYear; year++)
            {
                var rng = new Random(city.Code.GetHashCode(StringComparison.Ordinal) ^ year * 31);
                foreach (var f in fields)
                {
                    if (missing?.Invoke(city.Code, year) == true && f == "patents_granted") continue;
                    rows.Add((city.Code, year, f, 10 + 90 * rng.NextDouble() * (1 + 0.03 * (year - 2011))));
                }
            }
        }
        return new Frame(
            new StringColumn("city_code", rows.Select(r => (string?)r.Item1).ToArray()),
            new LongColumn("year", rows.Select(r => r.Item2).ToArray()),
            new StringColumn("field", rows.Select(r => (string?)r.Item3).ToArray()),
            new DoubleColumn("value", rows.Select(r => r.Item4).ToArray()));
    }

    private static CityRoster DefaultRosterLoader() => Files.DefaultRosterTests.LoadDefault();

    [Fact]
    public void CleanThenIndex_DefaultConfig_BalancedPanelOf3025CityYears()
    {
        var missingPatents = (string code, long year) => code == "110000" && year is 2015 or 2016;
        var clean = new CleanStage(new CleanOptions()).Run(
            Context(new Dictionary<string, Frame> { ["ingest/panel"] = SyntheticIngestPanel(missing: missingPatents) }), CancellationToken.None);
        var panel = clean.Tables["panel"];
        Assert.Equal(3025, panel.RowCount);
        Assert.Equal(275, clean.Tables["sample"].Bools("included").Count(b => b));
        Assert.All(Enumerable.Range(0, clean.Tables["sample"].RowCount).Where(i => !clean.Tables["sample"].Bools("included")[i]),
            i => Assert.False(string.IsNullOrEmpty(clean.Tables["sample"].Strings("reason")[i])));
        // Two missing patent counts → two cells each of patents_per_10k and innovation, linearly interpolated.
        Assert.Equal(4, clean.Tables["imputations"].RowCount);
        Assert.All(clean.Tables["imputations"].Strings("city_code"), c => Assert.Equal("110000", c));
        Assert.Contains("3025 city-years", Encoding.UTF8.GetString(clean.Documents.Single().Content), StringComparison.Ordinal);
        // open = fdi_actual · cny_per_usd / gdp · 100 with the 2011 rate 6.4588 from config/exchange_rates.csv.
        Assert.All(panel.Doubles("open"), v => Assert.True(double.IsFinite(v) && v > 0));

        var index = new IndexStage(new IndexOptions()).Run(
            Context(new Dictionary<string, Frame> { ["clean/panel"] = panel }), CancellationToken.None);
        Assert.Equal(3025, index.Tables["index"].RowCount);
        Assert.Equal(17, index.Tables["weights"].RowCount);
        Assert.Equal(1.0, index.Tables["weights"].Doubles("weight").Sum(), 1e-12);
        Assert.Contains("nqpf_objects_of_labour", index.Tables["index"].Columns.Select(c => c.Name));
        Assert.All(index.Tables["index"].Doubles("nqpf"), v => Assert.True(double.IsFinite(v)));
        var descriptives = index.Tables["descriptives"];
        Assert.Equal(3025, descriptives.Longs("n")[Array.IndexOf(descriptives.Strings("variable"), "lnpgdp")]);
    }

    [Fact]
    public void Vintage_HistoryLastYearZero_ComparesUpToThePreviousRunsLastYear()
    {
        // Clean's default LastYear 0 ends the panel at the last year with data (2022 here).
        var panel = new CleanStage(new CleanOptions()).Run(
            Context(new Dictionary<string, Frame> { ["ingest/panel"] = SyntheticIngestPanel(lastYear: 2022) }), CancellationToken.None).Tables["panel"];
        Assert.Equal(3300, panel.RowCount);
        var previous = new IndexStage(new IndexOptions()).Run(Context(new Dictionary<string, Frame> { ["clean/panel"] = panel }), CancellationToken.None);
        Frame VintageWith(IndexOptions options)
        {
            var context = Context(new Dictionary<string, Frame> { ["clean/panel"] = panel }) with
            {
                Previous = new Dictionary<string, Frame> { ["index/index"] = previous.Tables["index"], ["index/weights"] = previous.Tables["weights"] },
                PreviousRunId = "20260101T000000Z-abcdef",
            };
            return new IndexStage(options).Run(context, CancellationToken.None).Tables["vintage"];
        }
        static long N(Frame vintage) => vintage.Longs("n")[Array.IndexOf(vintage.Strings("name"), "nqpf")];

        // The previous run already had 2022: by default its whole history (275 × 12) is compared; a fixed
        // HistoryLastYear of 2021 compares 275 × 11 city-years.
        Assert.Equal(3300, N(VintageWith(new IndexOptions())));
        Assert.Equal(3025, N(VintageWith(new IndexOptions { HistoryLastYear = 2021 })));
    }
}
