using System.Text.Json.Nodes;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Runner;

/// <summary>The runner in-process: reuse, config change, corrupted checkpoint, failure and resume.</summary>
public sealed class PipelineRunnerTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Run_FirstRun_RunsEveryStageAndWritesCheckpointsInStageFolders()
    {
        var outcome = await _ws.RunAsync();

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(["alpha", "beta", "gamma"], _ws.StageExecutions());
        var runDir = Path.Combine(_ws.ProcessedDir, "runs", outcome.RunId);
        Assert.True(File.Exists(Path.Combine(runDir, "01-alpha", "numbers.parquet")));
        Assert.True(File.Exists(Path.Combine(runDir, "02-beta", "scaled.parquet")));
        // beta declares the columns it reads of alpha/numbers: even_year is not loaded.
        Assert.Contains("input columns: city_code, year, value\n", File.ReadAllText(Path.Combine(runDir, "02-beta", "summary.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runDir, "03-gamma", "total.parquet")));
        var stages = await _ws.StageRunsAsync(outcome.RunId);
        Assert.All(stages, s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.Equal([4L, 4L, 1L], stages.Select(s => s.Rows ?? -1));
        Assert.Empty(_ws.TempFiles());
    }

    [Fact]
    public async Task Run_NothingChanged_ReusesEveryStageAndWritesNoParquet()
    {
        var first = await _ws.RunAsync();
        var before = _ws.ParquetFiles();

        var second = await _ws.RunAsync();

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(["alpha", "beta", "gamma"], _ws.StageExecutions());
        Assert.Equal(before, _ws.ParquetFiles());
        Assert.False(Directory.Exists(Path.Combine(_ws.ProcessedDir, "runs", second.RunId)));
        var stages = await _ws.StageRunsAsync(second.RunId);
        Assert.Equal(3, stages.Count);
        Assert.All(stages, s =>
        {
            Assert.Equal(StageStatus.Reused, s.Status);
            Assert.Equal(first.RunId, s.ReusedFromRun);
        });
    }

    [Fact]
    public async Task Run_StageConfigChanged_RerunsThatStageAndLaterOnly()
    {
        await _ws.RunAsync();
        _ws.Set("Beta", "Factor", 3.0);

        var second = await _ws.RunAsync();

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(["alpha", "beta", "gamma", "beta", "gamma"], _ws.StageExecutions());
        var stages = await _ws.StageRunsAsync(second.RunId);
        Assert.Equal([StageStatus.Reused, StageStatus.Succeeded, StageStatus.Succeeded], stages.Select(s => s.Status));
    }

    [Fact]
    public async Task Run_CorruptedCheckpoint_IsDetectedAndRecomputed()
    {
        var first = await _ws.RunAsync();
        var checkpoint = Path.Combine(_ws.ProcessedDir, "runs", first.RunId, "02-beta", "scaled.parquet");
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(checkpoint, bytes);

        var second = await _ws.RunAsync();

        Assert.True(second.Succeeded, second.Error);
        var stages = await _ws.StageRunsAsync(second.RunId);
        Assert.Equal([StageStatus.Reused, StageStatus.Succeeded, StageStatus.Reused], stages.Select(s => s.Status));
        Assert.Contains("SHA-256", stages[1].Note, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_ws.ProcessedDir, "runs", second.RunId, "02-beta", "scaled.parquet")));
        Assert.Equal(["alpha", "beta", "gamma", "beta"], _ws.StageExecutions());
    }

    [Fact]
    public async Task Run_StageThrows_RunFailedAndResumeCompletesIt()
    {
        var failFlag = _ws.Marker("fail-beta");
        File.WriteAllText(failFlag, "");
        _ws.Set("Beta", "FailIfFileExists", failFlag);

        var failed = await _ws.RunAsync();

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("fail-beta", failed.Error, StringComparison.Ordinal);
        var afterFailure = await _ws.StageRunsAsync(failed.RunId);
        Assert.Equal([StageStatus.Succeeded, StageStatus.Failed], afterFailure.Select(s => s.Status));

        File.Delete(failFlag);
        var resumed = await _ws.ResumeAsync(failed.RunId);

        Assert.True(resumed.Succeeded, resumed.Error);
        Assert.Equal(failed.RunId, resumed.RunId);
        Assert.Equal(["alpha", "beta", "beta", "gamma"], _ws.StageExecutions());
        var stages = await _ws.StageRunsAsync(failed.RunId);
        Assert.Equal(["01-alpha/1:succeeded", "02-beta/1:failed", "02-beta/2:succeeded", "03-gamma/1:succeeded"],
            stages.Select(s => $"{s.Folder}/{s.Attempt}:{s.Status}"));
    }

    [Fact]
    public async Task Run_ForceAndFrom_RecomputeTheRequestedStages()
    {
        await _ws.RunAsync();

        var fromBeta = await _ws.RunAsync(new RunRequest("test", From: "beta"));
        var forced = await _ws.RunAsync(new RunRequest("test", Force: true));
        var toAlpha = await _ws.RunAsync(new RunRequest("test", To: "alpha"));

        Assert.True(fromBeta.Succeeded && forced.Succeeded && toAlpha.Succeeded);
        Assert.Equal([StageStatus.Reused, StageStatus.Succeeded, StageStatus.Succeeded],
            (await _ws.StageRunsAsync(fromBeta.RunId)).Select(s => s.Status));
        Assert.All(await _ws.StageRunsAsync(forced.RunId), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.Equal(["01-alpha"], (await _ws.StageRunsAsync(toAlpha.RunId)).Select(s => s.Folder));
    }

    [Fact]
    public async Task Run_NewRawFile_RerunsStagesThatReadIt()
    {
        await _ws.RunAsync();
        _ws.WriteRaw("2013.csv", "110000,2013,4\n");

        var second = await _ws.RunAsync();

        Assert.Equal([StageStatus.Succeeded, StageStatus.Succeeded, StageStatus.Succeeded],
            (await _ws.StageRunsAsync(second.RunId)).Select(s => s.Status));
        var runs = await _ws.RunsAsync();
        Assert.NotEqual(runs[0].RawFingerprint, runs[1].RawFingerprint);
    }

    // A raw file above Pipeline:MaxSourceBytes is refused by size before the runner reads it into memory (a sparse
    // file: its length is set, no bytes are written), naming the file and the limit; nothing is recorded as run.
    [Fact]
    public async Task Cli_RawFileAboveMaxSourceBytes_RefusedBeforeReadingNamingFileAndLimit()
    {
        _ws.Set("Pipeline", "MaxSourceBytes", 4096);
        using (var big = new FileStream(Path.Combine(_ws.RawDir, "2014.csv"), FileMode.CreateNew))
            big.SetLength(64L * 1024 * 1024);

        var (code, _, error) = await _ws.CliAsync("run");

        Assert.Equal(1, code);
        Assert.Contains("raw:2014.csv", error, StringComparison.Ordinal);
        Assert.Contains("Pipeline:MaxSourceBytes = 4,096", error, StringComparison.Ordinal);
        Assert.Empty(_ws.StageExecutions());
    }

    [Fact]
    public async Task Run_SameOutputFromChangedInput_ReusesDownstreamStage()
    {
        await _ws.RunAsync();
        // A raw file that is not *.csv changes the run's raw fingerprint but not alpha's sources.
        _ws.WriteRaw("notes.txt", "not a source of any stage");

        var second = await _ws.RunAsync();

        Assert.All(await _ws.StageRunsAsync(second.RunId), s => Assert.Equal(StageStatus.Reused, s.Status));
    }

    [Fact]
    public async Task Run_LedgerAfterRuns_PassesIntegrityCheckAndUsesWal()
    {
        await _ws.RunAsync();
        _ws.Set("Gamma", "Factor", JsonValue.Create(5.0));
        await _ws.RunAsync();

        Assert.Equal("ok", _ws.IntegrityCheck());
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_ws.LedgerPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task Run_StageWhoseProducerIsNotRegistered_IsSkippedAndTheRunSucceeds()
    {
        _ws.RegisterStages = r => r.UseOrder("alpha", "beta", "gamma")
            .Add<TestStages.AlphaStage, TestStages.AlphaOptions>("Alpha")
            .Add<TestStages.GammaStage, TestStages.GammaOptions>("Gamma");

        var outcome = await _ws.RunAsync();

        Assert.True(outcome.Succeeded, outcome.Error);
        var stages = await _ws.StageRunsAsync(outcome.RunId);
        Assert.Equal(["01-alpha:succeeded", "03-gamma:skipped"], stages.Select(s => $"{s.Folder}:{s.Status}"));
        Assert.Contains("'beta' is not registered", stages[1].Note, StringComparison.Ordinal);
        Assert.Equal(["alpha"], _ws.StageExecutions());
    }

    [Fact]
    public async Task Cli_StageReadingAnUndeclaredOutput_IsAConfigurationError()
    {
        _ws.RegisterStages = r => r.UseOrder("alpha", "beta", "gamma")
            .Add<TestStages.AlphaStage, TestStages.AlphaOptions>("Alpha")
            .Add<TestStages.BetaStage, TestStages.BetaOptions>("Beta")
            .Add<MisreadingGamma, TestStages.GammaOptions>("Gamma");

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.Equal(2, code);
        Assert.Contains("reads 'beta/nonexistent', but stage 'beta' declares only: scaled", errors, StringComparison.Ordinal);
    }

    private sealed class MisreadingGamma(TestStages.GammaOptions options) : NQPF.Stages.IStage
    {
        public string Name => "gamma";
        public int Version => 1;
        public string ConfigSection => "Gamma";
        public object Settings => options;
        public IReadOnlyList<string> Inputs => ["beta/nonexistent"];
        public IReadOnlyList<string> Outputs => ["total"];
        public IReadOnlyList<string> SourceGlobs => [];

        public NQPF.Stages.StageResult Run(NQPF.Stages.StageContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("never reached: the plan is rejected at start-up");
    }
}
