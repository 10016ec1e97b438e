using System.Security.Cryptography;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Simulation;

namespace NQPF.Pipeline.Tests.Simulation;

/// <summary>
/// The three file layouts of one seed (classic per-year files, the official edition tables with the 2020+ per-table
/// workbooks in edition folders, per-variable long workbooks) hold the same values: each run through
/// <c>run --to clean</c> gives a byte-identical clean/panel.
/// </summary>
public sealed class SimulateLayoutTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nqpf-layouts-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private async Task<(string Hash, IReadOnlyList<string> Files)> CleanPanelAsync(SimLayout layout)
    {
        var dir = Path.Combine(_root, layout.ToString());
        var result = SimulationRun.Run(new SimulateOptions(Path.Combine(dir, "raw"), SimulateOptions.DefaultSeed, 2018, 2021,
            Path.Combine(RepoPaths.Root, "config"), Path.Combine(dir, "truth"), layout));
        var settings = new HostSettings { ConfigDir = Path.Combine(RepoPaths.Root, "config"), RawDir = Path.Combine(dir, "raw"), ProcessedDir = Path.Combine(dir, "processed"),
            Overrides = new Dictionary<string, string?> { ["Clean:FirstYear"] = "2018" } };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["run", "--to", "clean"], settings, output, error);
        Assert.True(code == ExitCodes.Ok, $"{layout}: {error}");
        var run = Directory.GetDirectories(Path.Combine(dir, "processed", "runs")).Single();
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(run, "02-clean", "panel.parquet"))));
        return (hash, result.Files.Select(f => Path.GetRelativePath(Path.Combine(dir, "raw"), f).Replace('\\', '/')).ToList());
    }

    [Fact]
    public async Task Simulate_ThreeLayoutsOfOneSeed_ByteIdenticalCleanPanel()
    {
        var classic = await CleanPanelAsync(SimLayout.Classic);
        var official = await CleanPanelAsync(SimLayout.Official);
        var database = await CleanPanelAsync(SimLayout.Database);
        Assert.Equal(classic.Hash, official.Hash);
        Assert.Equal(classic.Hash, database.Hash);
        Assert.Contains("地级市（及以上城市）统计资料（2019年）.xlsx", official.Files);
        Assert.Contains("中国城市统计年鉴2021（excel）/二、地级以上城市统计资料/2-1_人口状况.xlsx", official.Files);
        Assert.Contains("地区生产总值(市辖区).xlsx", database.Files);
    }
}
