using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Clean;
using NQPF.Stages.Index;
using Xunit.Abstractions;

namespace NQPF.Pipeline.Tests.Index;

/// <summary>Options of <see cref="LongCsvIngestStage"/> (none that change the numbers).</summary>
public sealed record LongCsvIngestOptions
{
    public string Pattern { get; init; } = "*.csv";
}

/// <summary>Test-only ingest: raw files already in the long layout city_code,year,field,value.</summary>
internal sealed class LongCsvIngestStage(LongCsvIngestOptions options) : IStage
{
    public string Name => "ingest";
    public int Version => 1;
    public string ConfigSection => "Ingest";
    public object Settings => options;
    public IReadOnlyList<string> Inputs => [];
    public IReadOnlyList<string> Outputs => ["panel"];
    public IReadOnlyList<string> SourceGlobs => ["raw:" + options.Pattern];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var rows = context.Sources.Where(s => s.Root == "raw").OrderBy(s => s.RelativePath, StringComparer.Ordinal)
            .SelectMany(s => Encoding.UTF8.GetString(s.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            .Select(line => line.Split(',')).ToArray();
        return new StageResult(new Dictionary<string, Frame>
        {
            ["panel"] = new Frame(
                new StringColumn("city_code", rows.Select(r => (string?)r[0]).ToArray()),
                new LongColumn("year", rows.Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)).ToArray()),
                new StringColumn("field", rows.Select(r => (string?)r[2]).ToArray()),
                new DoubleColumn("value", rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray())),
        });
    }
}

/// <summary>
/// The index vintage through the runner: appending a 2022 file moves the 2011–2021 index in global mode (and the index
/// stage's vintage table says by how much), while fixed-base mode (the first run's weights exported as JSON) leaves
/// 2011–2021 exactly unchanged.
/// </summary>
public sealed class VintageRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nqpf-vintage-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly JsonObject _settings = new()
    {
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        ["Pipeline"] = new JsonObject { ["LockTimeoutSeconds"] = 60 },
        ["Watch"] = new JsonObject { ["Schedule"] = "" },
        ["Clean"] = new JsonObject { ["LastYear"] = 2021 },
        ["Index"] = new JsonObject(),
    };

    private void Setup()
    {
        Directory.CreateDirectory(Path.Combine(_root, "config"));
        Directory.CreateDirectory(Path.Combine(_root, "raw"));
        foreach (var f in new[] { "indicators.json", "cities.csv", "city_changes.csv", "exchange_rates.csv" })
            File.Copy(RepoPaths.Config(f), Path.Combine(_root, "config", f));
        Save();
        var panel = CleanIndexStagesTests.SyntheticIngestPanel(lastYear: 2022);
        for (var year = 2011; year <= 2021; year++) WriteYear(panel, year);
        _panel2022 = panel;
    }

    private Frame _panel2022 = new();

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private void Save() => File.WriteAllText(Path.Combine(_root, "config", "appsettings.json"), _settings.ToJsonString());

    private void WriteYear(Frame panel, int year)
    {
        var text = new StringBuilder("city_code,year,field,value\n");
        for (var i = 0; i < panel.RowCount; i++)
        {
            if (panel.Longs("year")[i] != year) continue;
            text.Append(CultureInfo.InvariantCulture,
                $"{panel.Strings("city_code")[i]},{year},{panel.Strings("field")[i]},{panel.Doubles("value")[i].ToString("R", CultureInfo.InvariantCulture)}\n");
        }
        File.WriteAllText(Path.Combine(_root, "raw", $"{year}.csv"), text.ToString());
    }

    private HostSettings Host() => new()
    {
        ConfigDir = Path.Combine(_root, "config"),
        RawDir = Path.Combine(_root, "raw"),
        ProcessedDir = Path.Combine(_root, "processed"),
        RegisterStages = registry =>
        {
            registry.Add<LongCsvIngestStage, LongCsvIngestOptions>("Ingest");
            registry.Add<CleanStage, CleanOptions>("Clean");
            registry.Add<IndexStage, IndexOptions>("Index");
        },
    };

    private async Task<string> RunAsync()
    {
        using var host = PipelineHost.Build(Host());
        PipelineHost.Validate(host.Services);
        var outcome = await host.Services.GetRequiredService<PipelineRunner>().RunAsync(new RunRequest("test"), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome.RunId;
    }

    private async Task<Frame> TableAsync(string runId, string name)
    {
        var path = Directory.EnumerateFiles(Path.Combine(_root, "processed", "runs"), name + ".parquet", SearchOption.AllDirectories)
            .Single(p => p.Contains(runId, StringComparison.Ordinal) && p.Contains("03-index", StringComparison.Ordinal));
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(path), path, CancellationToken.None);
    }

    private static double MaxHistoryDiff(Frame a, Frame b, string column)
    {
        var key = Enumerable.Range(0, a.RowCount).Where(i => a.Longs("year")[i] <= 2021)
            .ToDictionary(i => (a.Strings("city_code")[i], a.Longs("year")[i]), i => a.Doubles(column)[i]);
        var rows = Enumerable.Range(0, b.RowCount).Where(i => b.Longs("year")[i] <= 2021).ToArray();
        Assert.Equal(key.Count, rows.Length);
        return rows.Max(i => Math.Abs(b.Doubles(column)[i] - key[(b.Strings("city_code")[i], b.Longs("year")[i])]));
    }

    [Fact]
    public async Task NewYear_GlobalMovesHistoryAndReportsIt_FixedBaseKeepsHistory()
    {
        Setup();
        var first = await RunAsync();
        var index1 = await TableAsync(first, "index");
        Assert.Equal(3025, index1.RowCount);
        Assert.Equal(0, (await TableAsync(first, "vintage")).RowCount);

        // A 2022 yearbook arrives; the panel is extended to 2022 with global normalisation.
        WriteYear(_panel2022, 2022);
        _settings["Clean"]!["LastYear"] = 2022;
        Save();
        var second = await RunAsync();
        var index2 = await TableAsync(second, "index");
        Assert.Equal(3300, index2.RowCount);
        var moved = MaxHistoryDiff(index1, index2, "nqpf");
        Assert.True(moved > 1e-6, $"global mode should move history, max |Δ| = {moved}");
        var vintage = await TableAsync(second, "vintage");
        var row = Array.IndexOf(vintage.Strings("name"), "nqpf");
        Assert.Equal(3025, vintage.Longs("n")[row]);
        Assert.Equal(moved, vintage.Doubles("max_abs_diff")[row], 1e-15);
        Assert.True(vintage.Longs("moved")[row] > 3000);
        output.WriteLine($"global: nqpf 2011-2021 max |Δ| {moved:R}, mean |Δ| {vintage.Doubles("mean_abs_diff")[row]:R}, moved {vintage.Longs("moved")[row]}");
        var report = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(_root, "processed", "runs", second), "vintage.md", SearchOption.AllDirectories).Single());
        Assert.Contains("| index | nqpf | 3025 |", report, StringComparison.Ordinal);

        // Fixed base: the first run's weights, exported as JSON, freeze bounds and weights.
        var weights1 = await TableAsync(first, "weights");
        Directory.CreateDirectory(Path.Combine(_root, "config", "vintages"));
        File.WriteAllBytes(Path.Combine(_root, "config", "vintages", "base.json"), FrameExport.ToJson(weights1));
        _settings["Index"]!["BaseWeightsFile"] = "vintages/base.json";
        Save();
        var third = await RunAsync();
        var index3 = await TableAsync(third, "index");
        Assert.Equal(3300, index3.RowCount);
        Assert.Equal(0.0, MaxHistoryDiff(index1, index3, "nqpf"));
        Assert.Equal(0.0, MaxHistoryDiff(index1, index3, "nqpf_topsis"));
        Assert.Equal(0.0, MaxHistoryDiff(index1, index3, "nqpf_pca"));
        Assert.Equal(weights1.Doubles("weight"), (await TableAsync(third, "weights")).Doubles("weight"));
    }
}
