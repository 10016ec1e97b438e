using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Runner;

/// <summary>
/// SIGKILL of the real executable at many points — inside each test stage, and inside checkpoint writes
/// (part of the bytes in the temporary file, everything written but not renamed, renamed but not yet in the ledger),
/// paused there by the <see cref="TestStages.PausingWriteHook"/> the test plugin registers — then <c>resume</c>: the run
/// completes, its artifacts have the SHA-256 of an uninterrupted run's, and every checkpoint it read matched the
/// ledger's SHA-256 for that path (so no partial file was ever read).
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, ArtifactRecord>>> Uninterrupted = new(async () =>
    {
        using var ws = new Workspace();
        var outcome = await ws.RunAsync();
        Assert.True(outcome.Succeeded, outcome.Error);
        return await ws.FinalArtifactsAsync(outcome.RunId);
    });

    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("Alpha", "", "")]
    [InlineData("Beta", "", "")]
    [InlineData("Gamma", "", "")]
    [InlineData("Alpha", "numbers.parquet", "PartWritten")]
    [InlineData("Beta", "scaled.parquet", "PartWritten")]
    [InlineData("Gamma", "total.parquet", "PartWritten")]
    [InlineData("Alpha", "numbers.parquet", "BeforeRename")]
    [InlineData("Beta", "scaled.parquet", "BeforeRename")]
    [InlineData("Gamma", "total.parquet", "BeforeRename")]
    // Renamed on a stage's last file: every output is complete under its final name, the ledger row is not written yet.
    [InlineData("Alpha", "numbers.parquet", "Renamed")]
    [InlineData("Beta", "summary.md", "Renamed")]
    [InlineData("Gamma", "total.parquet", "Renamed")]
    public async Task Resume_AfterSigkillAtAKillPoint_EqualsAnUninterruptedRunAndReadsOnlyVerifiedCheckpoints(
        string section, string file, string phase)
    {
        var reference = await Uninterrupted.Value;
        var folder = reference.Keys.Single(k => k.EndsWith("-" + section.ToLowerInvariant() + "/" + Output(section), StringComparison.Ordinal))
            .Split('/')[0];
        string marker, hang;
        if (file.Length == 0)
        {
            (marker, hang) = _ws.HoldStage(section);
        }
        else
        {
            (marker, hang) = (_ws.Marker("write-paused"), _ws.Marker("write-hang"));
            File.WriteAllText(hang, "");
            _ws.Settings[TestStages.PausingWriteHook.Section] = new JsonObject
            {
                ["File"] = file, ["Phase"] = phase, ["Marker"] = marker, ["HangWhileFileExists"] = hang,
            };
            _ws.SaveSettings();
        }

        string runId;
        using (var run = PipelineProcess.Start(_ws, "run"))
        {
            await Eventually.TrueAsync(() => File.Exists(marker) && File.ReadAllText(marker).Length > 0, "the kill point", context: () => run.Transcript);
            runId = Assert.Single(await _ws.RunsAsync()).Id;
            if (file.Length > 0)
                AssertWriteState(Enum.Parse<WritePhase>(phase), File.ReadAllLines(marker), reference[folder + "/" + file.Replace(".parquet", "", StringComparison.Ordinal)]);
            await run.KillAsync();
        }
        File.Delete(hang);
        var reads = new ConcurrentQueue<(string Path, string Sha256)>();
        _ws.Configure = RecordingFileStore.Register(reads);

        var resumed = await _ws.ResumeAsync(runId);

        Assert.True(resumed.Succeeded, resumed.Error);
        var stages = await _ws.StageRunsAsync(runId);
        var killed = stages.First(s => s.Folder == folder);
        Assert.Equal(StageStatus.Failed, killed.Status);
        Assert.StartsWith("interrupted", killed.Error, StringComparison.Ordinal);
        Assert.Equal(StageStatus.Succeeded, stages.Last(s => s.Folder == folder).Status);
        var artifacts = await _ws.FinalArtifactsAsync(runId);
        Assert.Equal(reference.ToDictionary(a => a.Key, a => a.Value.Sha256), artifacts.ToDictionary(a => a.Key, a => a.Value.Sha256));
        AssertOnlyVerifiedCheckpointsRead(reads, artifacts.Values);
        Assert.Empty(_ws.TempFiles());
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    private static string Output(string section) => section switch
    {
        "Alpha" => "numbers",
        "Beta" => "scaled",
        _ => "total",
    };

    /// <summary>What is on disk at the moment of the kill: the hook wrote the temporary path, then the final path.</summary>
    private static void AssertWriteState(WritePhase phase, string[] paths, ArtifactRecord complete)
    {
        var (temp, final) = (paths[0], paths[1]);
        Assert.Contains(LocalFileStore.TempMarker, temp, StringComparison.Ordinal);
        switch (phase)
        {
            case WritePhase.PartWritten:
                Assert.InRange(new FileInfo(temp).Length, 1, complete.Bytes - 1);
                Assert.False(File.Exists(final));
                break;
            case WritePhase.BeforeRename:
                Assert.Equal(complete.Bytes, new FileInfo(temp).Length);
                Assert.False(File.Exists(final));
                break;
            default:
                Assert.False(File.Exists(temp));
                Assert.True(File.Exists(final));
                break;
        }
    }

    /// <summary>Every checkpoint read had the SHA-256 the ledger records for its path; no temporary file was read.</summary>
    private void AssertOnlyVerifiedCheckpointsRead(IEnumerable<(string Path, string Sha256)> reads, IEnumerable<ArtifactRecord> artifacts)
    {
        var recorded = artifacts.ToDictionary(a => Path.GetFullPath(Path.Combine(_ws.ProcessedDir, a.Path)), a => a.Sha256);
        var checkpointReads = reads.Where(r => r.Path.StartsWith(_ws.ProcessedDir, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(checkpointReads);
        Assert.All(checkpointReads, read =>
        {
            Assert.DoesNotContain(LocalFileStore.TempMarker, read.Path, StringComparison.Ordinal);
            Assert.True(recorded.TryGetValue(read.Path, out var sha), $"{read.Path} is not a recorded artifact");
            Assert.Equal(sha, read.Sha256);
        });
    }
}
