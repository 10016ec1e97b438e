using System.Security.Cryptography;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Simulation;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Simulation;

/// <summary>
/// <c>simulate --scale 2</c>: the synthetic units come with their own configuration beside the data, the stages
/// accept them (every unit is matched by ingest and coded by cohorts with its model city's pilot years), and the real
/// roster is left as it was.
/// </summary>
public sealed class ScaledRosterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nqpf-scale-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SimulateScale_TwiceTheRoster_EveryUnitThroughCohortsWithItsModelsPilotYears()
    {
        var config = Path.Combine(RepoPaths.Root, "config");
        var realRoster = SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(config, "cities.csv")));
        var raw = Path.Combine(_root, "raw");
        var result = SimulationRun.Run(new SimulateOptions(raw, SimulateOptions.DefaultSeed, 2011, 2021, config, Scale: 2));

        Assert.Equal(raw + "-config", result.ConfigDirectory);
        Assert.Equal(Path.Combine(raw + "-config", "truth"), result.TruthDirectory);
        Assert.Equal(realRoster, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(config, "cities.csv"))));
        var settings = new HostSettings
        {
            ConfigDir = result.ConfigDirectory, RawDir = raw, ProcessedDir = Path.Combine(_root, "processed"),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["run", "--to", "cohorts"], settings, output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());

        var copies = File.ReadLines(Path.Combine(result.ConfigDirectory, "cities.csv")).Where(l => l.Contains(ScaledRoster.Marker, StringComparison.Ordinal))
            .Select(l => l.Split(',')).Select(f => (Code: f[0], Model: f[^2].Split(' ')[3])).ToList();
        Assert.Equal(275, copies.Count);
        Assert.Equal(275, copies.Select(c => c.Model).Distinct().Count());
        var ingested = (await ReadAsync("01-ingest", "panel.parquet")).Strings("city_code").ToHashSet();
        Assert.All(copies, c => Assert.Contains(c.Code, ingested));
        Assert.All(copies, c => Assert.Contains(c.Model, ingested));

        // Clean may drop a unit whose simulated series has a gap longer than Clean:MaxGap (the DGP's missingness); every
        // copy that is kept has the pilot years of its model city.
        var treatment = await ReadAsync("04-cohorts", "treatment.parquet");
        var firstYears = treatment.Strings("city_code").Zip(treatment.Longs("bb_first"), treatment.Longs("cl_first"))
            .DistinctBy(r => r.First).ToDictionary(r => r.First!, r => (Bb: r.Second, Cl: r.Third));
        var pairs = copies.Where(c => firstYears.ContainsKey(c.Code) && firstYears.ContainsKey(c.Model)).ToList();
        Assert.True(pairs.Count >= 270, $"{pairs.Count} of 275 copies and their models kept");
        Assert.All(pairs, c => Assert.Equal(firstYears[c.Model], firstYears[c.Code]));
        Assert.Contains(pairs, c => firstYears[c.Code].Bb > 0);
        Assert.Contains(pairs, c => firstYears[c.Code].Cl > 0);
    }

    private async Task<Frame> ReadAsync(string stage, string name)
    {
        var run = Directory.GetDirectories(Path.Combine(_root, "processed", "runs")).Single();
        var file = Path.Combine(run, stage, name);
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
    }
}
