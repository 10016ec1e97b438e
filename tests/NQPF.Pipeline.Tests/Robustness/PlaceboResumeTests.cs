using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Storage;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Robustness;

/// <summary>
/// The robustness stage on the default (simulated) data through the real host, CLI and checkpoints, run three times:
/// a run that dies (a disk-full fault from a storage write hook) after <see cref="ChunksBeforeCrash"/> placebo chunks were memoised
/// (data-processed/memo/robustness/&lt;fingerprint&gt;/), its <c>resume</c>, and an uninterrupted <c>run --from robustness</c>.
/// Draw counts are cut (20 placebo draws in chunks of 5; 20 permutation and bootstrap draws) to keep it short.
/// </summary>
public sealed class RobustnessRunFixture : IAsyncLifetime
{
    public const int ChunksBeforeCrash = 6;

    /// <summary>2 treatments × 3 kinds × (20 draws / 5 per chunk).</summary>
    public const int Chunks = 2 * 3 * 4;

    public string Processed { get; } = Path.Combine(Path.GetTempPath(), "nqpf-robust-" + Guid.NewGuid().ToString("N")[..10]);

    public (int Code, string Log, int ChunkWrites, int MemoFiles) Crashed { get; private set; }

    public (int Code, string Log, int ChunkWrites, bool MemoLeft) Resumed { get; private set; }

    public (int Code, string Log, int ChunkWrites) Fresh { get; private set; }

    public string ResumedRunId { get; private set; } = "";

    public string FreshRunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var crashing = new MemoWriteCounter(failAfter: ChunksBeforeCrash);
        var (code, log) = await CliAsync(crashing, "run", "--to", "robustness");
        ResumedRunId = RunIds().Single();
        var memo = Directory.GetDirectories(Path.Combine(Processed, "memo", "robustness")).Single();
        Crashed = (code, log, crashing.ChunkWrites, Directory.GetFiles(memo, "*.sha256").Length);

        var resuming = new MemoWriteCounter(failAfter: int.MaxValue);
        (code, log) = await CliAsync(resuming, "resume", ResumedRunId);
        Resumed = (code, log, resuming.ChunkWrites, Directory.Exists(memo));

        var fresh = new MemoWriteCounter(failAfter: int.MaxValue);
        (code, log) = await CliAsync(fresh, "run", "--to", "robustness", "--from", "robustness");
        FreshRunId = RunIds().Single(id => id != ResumedRunId);
        Fresh = (code, log, fresh.ChunkWrites);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Processed)) Directory.Delete(Processed, recursive: true);
        return Task.CompletedTask;
    }

    public string StageDir(string runId) => Path.Combine(Processed, "runs", runId, "06-robustness");

    public async Task<Frame> Table(string runId, string name)
    {
        var file = Path.Combine(StageDir(runId), name + ".parquet");
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
    }

    private string[] RunIds() => [.. Directory.GetDirectories(Path.Combine(Processed, "runs")).Select(d => Path.GetFileName(d))];

    private HostSettings Settings(MemoWriteCounter counter) => DefaultDataRun.Settings(Processed, new Dictionary<string, string?>
    {
        ["Estimate:PermutationDraws"] = "20",
        ["Estimate:BootstrapDraws"] = "20",
        ["Robustness:Placebo:Draws"] = "20",
        ["Robustness:Placebo:ChunkSize"] = "5",
        ["Robustness:Staggered:BootstrapDraws"] = "20",
    }) with
    {
        ConfigureServices = services => services.AddSingleton<IFileWriteHook>(counter),
    };

    private async Task<(int Code, string Log)> CliAsync(MemoWriteCounter counter, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(args, Settings(counter), output, error);
        return (code, error + output.ToString());
    }

    /// <summary>
    /// Counts chunk writes into the memo folder (a storage write hook, at the start of each write) and fails every one
    /// after the first <c>failAfter</c> with a disk-full error, which the store does not retry.
    /// </summary>
    private sealed class MemoWriteCounter(int failAfter) : IFileWriteHook
    {
        private readonly int _failAfter = failAfter;
        private int _writes;

        public int ChunkWrites => _writes;

        public ValueTask OnWriteAsync(WritePhase phase, string path, string tempPath, CancellationToken cancellationToken)
        {
            var isChunk = phase == WritePhase.Creating
                && path.Contains(Path.DirectorySeparatorChar + "memo" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && path.EndsWith(".parquet", StringComparison.Ordinal);
            return isChunk && Interlocked.Increment(ref _writes) > _failAfter
                ? ValueTask.FromException(IoFaults.DiskFull(path))
                : ValueTask.CompletedTask;
        }
    }
}

public sealed class PlaceboResumeTests(RobustnessRunFixture run) : IClassFixture<RobustnessRunFixture>
{
    [Fact]
    public async Task Resume_RunDiedDuringPlacebo_ReusesFinishedChunksAndEqualsAnUninterruptedRun()
    {
        Assert.True(run.Crashed.Code == 1, $"the injected fault should fail the run (exit {run.Crashed.Code}): {run.Crashed.Log}");
        Assert.Equal(RobustnessRunFixture.ChunksBeforeCrash, run.Crashed.MemoFiles);
        Assert.True(run.Resumed.Code == 0, $"resume failed (exit {run.Resumed.Code}): {run.Resumed.Log}");
        Assert.Equal(RobustnessRunFixture.Chunks - RobustnessRunFixture.ChunksBeforeCrash, run.Resumed.ChunkWrites);
        Assert.False(run.Resumed.MemoLeft, "the memo folder is removed once the stage has succeeded");
        Assert.True(run.Fresh.Code == 0, $"rerun failed (exit {run.Fresh.Code}): {run.Fresh.Log}");
        Assert.Equal(RobustnessRunFixture.Chunks, run.Fresh.ChunkWrites);

        var resumed = await run.Table(run.ResumedRunId, "placebo_draws");
        var uninterrupted = await run.Table(run.FreshRunId, "placebo_draws");
        Assert.Equal(2 * 3 * 20, resumed.RowCount);
        Assert.Equal(uninterrupted.Columns.Select(c => c.Name), resumed.Columns.Select(c => c.Name));
        foreach (var column in uninterrupted.Columns)
        {
            switch (column)
            {
                case DoubleColumn d: Assert.Equal(d.Values, resumed.Doubles(d.Name)); break;
                case LongColumn l: Assert.Equal(l.Values, resumed.Longs(l.Name)); break;
                case StringColumn t: Assert.Equal(t.Values, resumed.Strings(t.Name)); break;
                default: Assert.Fail($"unexpected column type of {column.Name}"); break;
            }
        }
    }

    // On the default data: every table is written, and the real estimate lies far in the
    // tail of the unit placebo (the simulation plants bb 0.0248 and cl 0.0421; placebo draws centre on 0).
    [Fact]
    public async Task Run_DefaultData_WritesEveryTableWithTheRealEstimateInThePlaceboTail()
    {
        Assert.True(run.Fresh.Code == 0, $"run failed (exit {run.Fresh.Code}): {run.Fresh.Log}");
        var dir = run.StageDir(run.FreshRunId);
        string[] tables = ["event_study", "pretrend", "alternatives", "placebo_draws", "placebo_summary", "psm_did", "psm_balance",
            "psm_scores", "staggered_event", "staggered_summary", "bacon", "sensitivity", "sensitivity_breakdown"];
        foreach (var table in tables)
            Assert.True((await run.Table(run.FreshRunId, table)).RowCount > 0, table);
        // Figures are the report's (one figure model), drawn from these tables; the stage writes none of its own.
        Assert.False(Directory.Exists(Path.Combine(dir, "figures")), dir);

        var summary = await run.Table(run.FreshRunId, "placebo_summary");
        foreach (var i in Enumerable.Range(0, summary.RowCount).Where(i => summary.Strings("kind")[i] == "unit"))
        {
            var z = (summary.Doubles("real_estimate")[i] - summary.Doubles("mean")[i]) / summary.Doubles("sd")[i];
            Assert.True(summary.Longs("as_extreme")[i] == 0 && z > 4,
                $"{summary.Strings("treatment")[i]}: real {summary.Doubles("real_estimate")[i]}, placebo mean {summary.Doubles("mean")[i]}, sd {summary.Doubles("sd")[i]}");
        }
        var psm = await run.Table(run.FreshRunId, "psm_did");
        Assert.All(psm.Doubles("estimate"), e => Assert.True(double.IsFinite(e) && e > 0, $"PSM-DID estimate {e}"));
    }
}
