using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Runner;

/// <summary>
/// The CLI as a real process: SIGKILL mid-stage then resume, two and three concurrent writers, and the watch worker
/// (including a file still being copied). The child process is the test assembly's CLI with the test stages (TestStageHost).
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Resume_AfterSigkillInTheMiddleOfAStage_CompletesAndNeverReadsPartialFiles()
    {
        var (started, hang) = _ws.HoldStage("Beta");

        string runId;
        using (var first = PipelineProcess.Start(_ws, "run"))
        {
            await Eventually.TrueAsync(() => File.Exists(started), "beta to start", context: () => first.Transcript);
            await first.KillAsync();
            var runs = await _ws.RunsAsync();
            runId = Assert.Single(runs).Id;
            Assert.Equal(RunStatus.Running, runs[0].Status);
            var (_, listing, _) = await _ws.CliAsync("runs", "--json");
            Assert.Contains("\"stale\": true", listing, StringComparison.Ordinal);
        }
        // What a kill during a checkpoint write leaves behind: a temporary file and a truncated file under the final name.
        var betaDir = Path.Combine(_ws.ProcessedDir, "runs", runId, "02-beta");
        Directory.CreateDirectory(betaDir);
        File.WriteAllBytes(Path.Combine(betaDir, ".scaled.parquet.tmp-0badf00d"), [0x50, 0x41, 0x52]);
        File.WriteAllBytes(Path.Combine(betaDir, "scaled.parquet"), [0x50, 0x41, 0x52, 0x31]);
        File.Delete(hang);

        using var resume = PipelineProcess.Start(_ws, "resume", runId);
        var exitCode = await resume.WaitAsync();

        Assert.True(exitCode == 0, resume.Transcript);
        Assert.Contains("interrupted", resume.Errors, StringComparison.Ordinal);
        var stages = await _ws.StageRunsAsync(runId);
        Assert.Equal(["01-alpha/1:succeeded", "02-beta/1:failed", "02-beta/2:succeeded", "03-gamma/1:succeeded"],
            stages.Select(s => $"{s.Folder}/{s.Attempt}:{s.Status}"));
        Assert.Contains("interrupted", stages[1].Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, (await _ws.RunsAsync())[0].Status);
        Assert.Empty(_ws.TempFiles());
        Assert.Equal(["alpha", "beta", "beta", "gamma"], _ws.StageExecutions());
        // The rewritten checkpoint is the one the ledger vouches for; a later run reuses it.
        var again = await _ws.RunAsync();
        Assert.All(await _ws.StageRunsAsync(again.RunId), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_TwoConcurrentProcesses_OneSucceedsTheOtherRefusesClearly()
    {
        var (started, hang) = _ws.HoldStage("Alpha");

        using var winner = PipelineProcess.Start(_ws, "run");
        await Eventually.TrueAsync(() => File.Exists(started), "the first run to start", context: () => winner.Transcript);
        using var loser = PipelineProcess.Start(_ws, "run", "--Pipeline:LockTimeoutSeconds=1");
        var loserExit = await loser.WaitAsync();
        File.Delete(hang);
        var winnerExit = await winner.WaitAsync();

        Assert.True(winnerExit == 0, winner.Transcript);
        Assert.True(loserExit == 1, loser.Transcript);
        Assert.Contains("Another pipeline process is writing", loser.Errors, StringComparison.Ordinal);
        Assert.Contains($"pid={winner.Id}", loser.Errors, StringComparison.Ordinal);
        var run = Assert.Single(await _ws.RunsAsync());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_SecondProcessWithinTimeout_WaitsThenReusesEverything()
    {
        var (started, hang) = _ws.HoldStage("Alpha");

        using var first = PipelineProcess.Start(_ws, "run");
        await Eventually.TrueAsync(() => File.Exists(started), "the first run to start", context: () => first.Transcript);
        using var second = PipelineProcess.Start(_ws, "run");
        await second.WaitForLogAsync("Waiting up to");
        File.Delete(hang);

        Assert.True(await first.WaitAsync() == 0, first.Transcript);
        Assert.True(await second.WaitAsync() == 0, second.Transcript);
        var runs = await _ws.RunsAsync();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(await _ws.StageRunsAsync(runs[0].Id), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_ThreeConcurrentProcesses_OneWinsOneWaitsAndReusesOneRefusesClearly()
    {
        var (started, hang) = _ws.HoldStage("Alpha");

        using var winner = PipelineProcess.Start(_ws, "run");
        await Eventually.TrueAsync(() => File.Exists(started), "the first run to start", context: () => winner.Transcript);
        using var waiter = PipelineProcess.Start(_ws, "run");
        using var refuser = PipelineProcess.Start(_ws, "run", "--Pipeline:LockTimeoutSeconds=1");
        var refuserExit = await refuser.WaitAsync();
        await waiter.WaitForLogAsync("Waiting up to");
        File.Delete(hang);

        Assert.True(await winner.WaitAsync() == 0, winner.Transcript);
        Assert.True(await waiter.WaitAsync() == 0, waiter.Transcript);
        Assert.True(refuserExit == 1, refuser.Transcript);
        Assert.Contains($"Another pipeline process is writing to '{_ws.ProcessedDir}' (pid=", refuser.Errors, StringComparison.Ordinal);
        var runs = await _ws.RunsAsync();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(await _ws.StageRunsAsync(runs[0].Id), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.Equal(["alpha", "beta", "gamma"], _ws.StageExecutions());
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_ThreeProcessesStartedTogetherOnAnEmptyFolder_OneComputesAndTwoWaitAndReuse()
    {
        using var a = PipelineProcess.Start(_ws, "run");
        using var b = PipelineProcess.Start(_ws, "run");
        using var c = PipelineProcess.Start(_ws, "run");

        foreach (var process in new[] { a, b, c })
            Assert.True(await process.WaitAsync() == 0, process.Transcript);
        var runs = await _ws.RunsAsync();
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(["alpha", "beta", "gamma"], _ws.StageExecutions());
        Assert.All(await _ws.StageRunsAsync(runs[0].Id), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.All(await _ws.StageRunsAsync(runs[1].Id), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Watch_FileStillBeingCopied_IsIngestedOnlyWhenCompleteAndClosed()
    {
        await _ws.RunAsync();
        using var watch = PipelineProcess.Start(_ws, "watch");
        await watch.WaitForLogAsync("No run (watch): raw data and configuration unchanged");
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{110000 + i % 300},2014,{i * 0.25}\n"))));
        var target = Path.Combine(_ws.RawDir, "2014.csv");

        // A slow copy that keeps the file open: chunks faster than Watch:StableSeconds (0.5 s), then a pause well over
        // it with the file still open (only the open-file check can tell), then the rest. Chunk ends split lines, so a
        // run on a partial file would fail in alpha's parser.
        var chunk = content.Length / 8;
        await using (var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            for (var offset = 0; offset < content.Length; offset += chunk)
            {
                await copy.WriteAsync(content.AsMemory(offset, Math.Min(chunk, content.Length - offset)));
                await copy.FlushAsync();
                if (offset == 4 * chunk)
                    await watch.WaitForLogAsync("2014.csv still open in another process");
                await Task.Delay(150);
            }
        }
        await Eventually.TrueAsync(async () =>
        {
            var runs = await _ws.RunsAsync();
            return runs.Count == 2 && runs[0].Status != RunStatus.Running;
        }, "the watch run to finish", context: () => watch.Transcript);
        watch.Terminate();

        Assert.True(await watch.WaitAsync() == 0, watch.Transcript);
        var all = await _ws.RunsAsync();
        Assert.Equal(2, all.Count);
        Assert.Equal(RunStatus.Succeeded, all[0].Status);
        using var host = _ws.BuildHost();
        var raw = (await host.Services.GetRequiredService<LedgerRepository>().RawFilesOfAsync(all[0].Id, CancellationToken.None))
            .Single(f => f.Path == "2014.csv");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), raw.Sha256);
        Assert.Equal(content.Length, raw.Size);
        Assert.Equal(4 + 40_000, (await _ws.FinalArtifactsAsync(all[0].Id))["01-alpha/numbers"].Rows);
    }

    [Fact]
    public async Task Watch_NewFileThenTouch_StartsExactlyOneRunAndExitsZeroOnSigterm()
    {
        await _ws.RunAsync();
        const string unchanged = "No run (watch): raw data and configuration unchanged";

        using var watch = PipelineProcess.Start(_ws, "watch");
        await watch.WaitForLogAsync(unchanged);

        var staging = Path.Combine(_ws.Root, "2013.csv");
        File.WriteAllText(staging, "110000,2013,4\n120000,2013,5\n");
        File.Move(staging, Path.Combine(_ws.RawDir, "2013.csv"));
        await Eventually.TrueAsync(async () =>
        {
            var runs = await _ws.RunsAsync();
            return runs.Count == 2 && runs[0].Status != RunStatus.Running;
        }, "the watch run to finish", context: () => watch.Transcript);
        var checksBeforeTouch = PipelineProcess.Occurrences(watch.Errors, unchanged);

        File.SetLastWriteTimeUtc(Path.Combine(_ws.RawDir, "2011.csv"), DateTime.UtcNow.AddMinutes(1));
        await watch.WaitForLogAsync(unchanged, checksBeforeTouch + 1);
        watch.Terminate();
        var exitCode = await watch.WaitAsync();

        Assert.True(exitCode == 0, watch.Transcript);
        var all = await _ws.RunsAsync();
        Assert.Equal(2, all.Count);
        Assert.Equal(RunStatus.Succeeded, all[0].Status);
        Assert.Equal("watch", all[0].Trigger);
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Run_Sigterm_ExitsCancelledAndResumeCompletesTheRun()
    {
        var (started, hang) = _ws.HoldStage("Beta");

        using var run = PipelineProcess.Start(_ws, "run");
        await Eventually.TrueAsync(() => File.Exists(started), "beta to start", context: () => run.Transcript);
        run.Terminate();
        var exitCode = await run.WaitAsync();

        Assert.True(exitCode == 130, run.Transcript);
        var cancelled = Assert.Single(await _ws.RunsAsync());
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(["succeeded", "failed"], (await _ws.StageRunsAsync(cancelled.Id)).Select(s => s.Status));
        File.Delete(hang);
        var resumed = await _ws.ResumeAsync(cancelled.Id);
        Assert.True(resumed.Succeeded, resumed.Error);
        Assert.True(File.Exists(_ws.LedgerPath + ".bak"));
    }
}
