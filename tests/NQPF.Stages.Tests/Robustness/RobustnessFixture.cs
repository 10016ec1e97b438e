using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Econometrics.Placebo;
using NQPF.Stages.Common;
using NQPF.Stages.Robustness;

namespace NQPF.Stages.Tests.Robustness;

/// <summary>
/// A simulated study panel shaped like the real stage inputs: 40 cities (4 provinces, city 0 a municipality, cities
/// 1–4 capitals) × 2011–2018; bb cohorts 2014–2016 on 12 cities, cl cohorts 2013/2015 on 8; nqpf = α_i + λ_t +
/// 0.5·bb + 0.3·x1 − 0.2·x2 + ε; concurrent "smart_city" on 6 cities.
/// </summary>
internal static class RobustnessFixture
{
    public const int Cities = 40;
    public static readonly long[] Years = [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018];

    public static string Code(int u) => (110000 + u * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Dictionary<string, Frame> Inputs(double effect = 0.5)
    {
        var rng = new DrawRandom(77, -1);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var bb = new long[Cities];
        var cl = new long[Cities];
        for (var u = 0; u < 12; u++) bb[u * 3 + 1] = 2014 + u % 3;
        for (var u = 0; u < 8; u++) cl[u * 5] = u % 2 == 0 ? 2013 : 2015;
        var n = Cities * Years.Length;
        var city = new string?[n];
        var year = new long[n];
        var bbFirst = new long[n];
        var clFirst = new long[n];
        var smart = new long[n];
        var y = new double[n];
        var alt = new double[n];
        var x1 = new double[n];
        var x2 = new double[n];
        var alpha = Enumerable.Range(0, Cities).Select(_ => Normal()).ToArray();
        for (var u = 0; u < Cities; u++)
        {
            for (var t = 0; t < Years.Length; t++)
            {
                var i = u * Years.Length + t;
                city[i] = Code(u);
                year[i] = Years[t];
                bbFirst[i] = bb[u];
                clFirst[i] = cl[u];
                smart[i] = u % 7 == 3 && t >= 3 ? 1 : 0;
                x1[i] = Normal() + 0.3 * alpha[u];
                x2[i] = Normal();
                var d = bb[u] > 0 && Years[t] >= bb[u] ? 1.0 : 0.0;
                y[i] = alpha[u] + 0.1 * t + effect * d + 0.3 * x1[i] - 0.2 * x2[i] + 0.5 * Normal();
                alt[i] = 0.8 * y[i] + 0.1 * Normal();
            }
        }
        return new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["cohorts/treatment"] = new Frame(new StringColumn("city_code", city), new LongColumn("year", year),
                new LongColumn("bb_first", bbFirst), new LongColumn("cl_first", clFirst),
                new LongColumn("concurrent_smart_city", smart), new LongColumn("concurrent_any", smart)),
            ["index/index"] = new Frame(new StringColumn("city_code", city), new LongColumn("year", year),
                new DoubleColumn("nqpf", y), new DoubleColumn("nqpf_topsis", alt)),
            ["clean/panel"] = new Frame(new StringColumn("city_code", city), new LongColumn("year", year),
                new DoubleColumn("x1", x1), new DoubleColumn("x2", x2)),
            ["cohorts/attributes"] = new Frame(
                new StringColumn("city_code", Enumerable.Range(0, Cities).Select(u => (string?)Code(u)).ToArray()),
                new StringColumn("province", Enumerable.Range(0, Cities).Select(u => (string?)("P" + (u % 4).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray())),
        };
    }

    /// <summary>cities.csv as a sheet: city 0 a municipality, cities 1–4 capitals.</summary>
    /// <summary>The roster's cities.csv: unit 0 a municipality, units 1–4 provincial capitals, the rest prefecture cities.</summary>
    public static Sheet CitiesSheet()
    {
        var rows = new List<SheetRow> { new(1, [.. RosterColumns]) };
        for (var u = 0; u < Cities; u++)
        {
            rows.Add(new SheetRow(u + 2, [Code(u), "city" + u.ToString(CultureInfo.InvariantCulture), "c" + u.ToString(CultureInfo.InvariantCulture),
                "province", u == 0 ? "直辖市" : "地级市", u is >= 1 and <= 4 ? "1" : "0", "0", "0", "0", "", "", "", "2010", "2022", "1", "", "test", "high"]));
        }
        return new Sheet(ConfigTables.CitiesFile, rows);
    }

    private static readonly string[] RosterColumns =
    [
        "code", "name", "short_name", "province", "level", "capital", "sub_provincial", "planned", "central", "resource_type",
        "former_names", "aliases", "valid_from", "valid_to", "in_sample", "exclusion_reason", "source", "confidence",
    ];

    public static Sheet NoCityChanges() => new(ConfigTables.CityChangesFile,
        [new SheetRow(1, ["year", "old_code", "old_name", "new_code", "new_name", "change_type", "old_name_until", "new_name_from"])]);

    public static RobustnessOptions Options(int draws = 30) => new()
    {
        Controls = ["x1", "x2"],
        Placebo = new PlaceboSettings { Draws = draws, ChunkSize = 12, Seed = 5 },
        Alternatives = new AlternativeSettings { AlternativeOutcomes = ["nqpf_topsis", "nqpf_pca"] },
        EventStudy = new EventStudySettings { Leads = 3, Lags = 3 },
    };

    public static StageContext Context(IStageMemo? memo = null)
    {
        SourceFile[] sources = [new("config", ConfigTables.CitiesFile, [1]), new("config", ConfigTables.CityChangesFile, [2])];
        var reader = new FixedSheetReader(new Dictionary<string, Sheet>
        {
            [ConfigTables.CitiesFile] = CitiesSheet(), [ConfigTables.CityChangesFile] = NoCityChanges(),
        });
        return new(Inputs(), sources, new Progress<StageProgress>(), NullLogger.Instance)
        {
            Memo = memo ?? NoStageMemo.Instance,
            Config = new ConfigTables(sources, reader),
        };
    }

    public static RobustnessStage Stage(RobustnessOptions? options = null) =>
        new(options ?? Options());
}

/// <summary>Returns the fixed sheet of a file name whatever the bytes.</summary>
internal sealed class FixedSheetReader(IReadOnlyDictionary<string, Sheet> sheets) : ISheetReader
{
    public Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits) => new(fileName, "csv", "utf-8", [sheets[fileName]]);
}

/// <summary>Renders a figure as its title (the ScottPlot renderer is tested in the pipeline tests).</summary>
internal sealed class RecordingRenderer : IFigureRenderer
{
    public List<Figure> Figures { get; } = [];

    public byte[] Png(Figure figure)
    {
        Figures.Add(figure);
        return System.Text.Encoding.UTF8.GetBytes("png:" + figure.Title);
    }

    public byte[] Svg(Figure figure) => System.Text.Encoding.UTF8.GetBytes("svg:" + figure.Title);
}

/// <summary>A memo in memory that counts saves.</summary>
internal sealed class InMemoryMemo : IStageMemo
{
    private readonly Dictionary<string, Frame> _frames = new(StringComparer.Ordinal);

    public int Saves { get; private set; }

    public int Count => _frames.Count;

    public Frame? TryLoad(string key) => _frames.GetValueOrDefault(key);

    public void Save(string key, Frame frame)
    {
        Saves++;
        _frames[key] = frame;
    }

    public void Forget(string key) => _frames.Remove(key);

    public IReadOnlyList<string> Keys => [.. _frames.Keys];
}
