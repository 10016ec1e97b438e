using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Storage;

/// <summary>
/// I/O faults injected through the storage layer (an <see cref="IFileWriteHook"/> inside
/// <see cref="LocalFileStore"/>'s atomic write) and a real OS lock. Disk full and permission denied are not transient:
/// one attempt, a clear error naming the file, the run failed, nothing half-written left. A locked file is transient:
/// retried with bounded exponential backoff (Pipeline:Retry), and a lock that clears in time lets the run succeed.
/// </summary>
public sealed partial class StorageFaultTests : IDisposable
{
    private const int MaxAttempts = 3;
    private const int MaxDelayMs = 100;
    private readonly Workspace _ws = new();

    public StorageFaultTests()
    {
        ((JsonObject)_ws.Settings["Pipeline"]!)["Retry"] = new JsonObject
        {
            ["MaxAttempts"] = MaxAttempts, ["BaseDelayMs"] = 20, ["MaxDelayMs"] = MaxDelayMs,
        };
        _ws.SaveSettings();
    }

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("disk-full", "scaled.parquet", "PartWritten", 1, "the disk is full")]
    [InlineData("permission-denied", "scaled.parquet", "Creating", 1, "permission denied")]
    // summary.md is written after scaled.parquet, so the stage folder already holds a complete but unrecorded checkpoint.
    [InlineData("locked", "summary.md", "BeforeRename", MaxAttempts + 1, "the file is locked by another process")]
    public async Task Run_PersistentStorageFault_FailsNamingTheFileAndLeavesNothingHalfWritten(
        string fault, string file, string phase, int expectedAttempts, string cause)
    {
        var hook = new FaultInjectingHook(file, Enum.Parse<WritePhase>(phase), IoFaults.ByName(fault));
        _ws.Configure = hook.Register;

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.True(code == 1, errors);
        Assert.Equal(expectedAttempts, hook.Attempts);
        var run = Assert.Single(await _ws.RunsAsync());
        Assert.Equal(RunStatus.Failed, run.Status);
        var betaDir = Path.Combine(_ws.ProcessedDir, "runs", run.Id, "02-beta");
        var expected = $"Could not write '{Path.Combine(betaDir, file)}': {cause}";
        Assert.True(errors.Contains(expected, StringComparison.Ordinal), errors);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        var stages = await _ws.StageRunsAsync(run.Id);
        Assert.Equal(["01-alpha:succeeded", "02-beta:failed"], stages.Select(s => $"{s.Folder}:{s.Status}"));
        Assert.Contains(expected, stages[1].Error, StringComparison.Ordinal);
        await AssertNothingHalfWrittenAsync(run.Id, betaDir);

        _ws.Configure = null;
        var resumed = await _ws.ResumeAsync(run.Id);
        Assert.True(resumed.Succeeded, resumed.Error);
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_LockThatClearsWithinTheRetries_SucceedsAfterBoundedBackoff()
    {
        var hook = new FaultInjectingHook("scaled.parquet", WritePhase.BeforeRename, IoFaults.Locked, times: MaxAttempts - 1);
        var log = new LogCapture();
        _ws.Configure = services =>
        {
            hook.Register(services);
            log.Register(services);
        };

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.True(code == 0, errors);
        Assert.Equal(MaxAttempts, hook.Attempts);
        // Exponential backoff capped at Pipeline:Retry:MaxDelayMs: the delays the retry strategy chose, as it logs them
        // (the wall-clock gaps between attempts also hold each attempt's work, which a loaded machine stretches).
        var delays = RetryDelay().Matches(log.Text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(MaxAttempts - 1, delays.Count);
        Assert.All(delays, delay => Assert.InRange(delay, 0, MaxDelayMs));
        var run = Assert.Single(await _ws.RunsAsync());
        Assert.Equal(["01-alpha/1:succeeded", "02-beta/1:succeeded", "03-gamma/1:succeeded"],
            (await _ws.StageRunsAsync(run.Id)).Select(s => $"{s.Folder}/{s.Attempt}:{s.Status}"));
        await AssertNothingHalfWrittenAsync(run.Id, null);
    }

    [Fact]
    public async Task Run_RawFileLockedByAnotherHandle_RetriedUntilReleased()
    {
        ((JsonObject)_ws.Settings["Pipeline"]!)["Retry"] = new JsonObject { ["MaxAttempts"] = 10, ["BaseDelayMs"] = 50, ["MaxDelayMs"] = 200 };
        _ws.SaveSettings();
        var raw = Path.Combine(_ws.RawDir, "2011.csv");
        var clock = Stopwatch.StartNew();
        var holder = new FileStream(raw, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        // A real lock (flock on Linux, a share-none handle on Windows): readers fail with a transient sharing violation.
        var refused = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(raw));
        Assert.True(TransientFaults.IsTransient(refused), $"HResult {refused.HResult}: {refused.Message}");
        var release = Task.Run(async () =>
        {
            await Task.Delay(400);
            await holder.DisposeAsync();
        });

        var outcome = await _ws.RunAsync();
        await release;

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.True(clock.ElapsedMilliseconds >= 400);
        var recorded = (await _ws.FinalArtifactsAsync(outcome.RunId))["01-alpha/numbers"];
        Assert.Equal(4, recorded.Rows);
    }

    /// <summary>No temporary file, nothing in the failed stage's folder, every artifact row in the ledger pointing at a present file that verifies.</summary>
    private async Task AssertNothingHalfWrittenAsync(string runId, string? failedStageDir)
    {
        Assert.Empty(_ws.TempFiles());
        if (failedStageDir is not null && Directory.Exists(failedStageDir))
            Assert.Empty(Directory.GetFiles(failedStageDir, "*", SearchOption.AllDirectories));
        Assert.NotEmpty(await _ws.FinalArtifactsAsync(runId));
        using var connection = new SqliteConnection($"Data Source={_ws.LedgerPath};Mode=ReadOnly;Pooling=False");
        foreach (var (path, sha256) in connection.Query<(string, string)>("SELECT path, sha256 FROM artifacts;"))
        {
            var full = Path.Combine(_ws.ProcessedDir, path);
            Assert.True(File.Exists(full), path);
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))));
        }
    }

    [GeneratedRegex(@"retrying in (\d+) ms")]
    private static partial Regex RetryDelay();
}
