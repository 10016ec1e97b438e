using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Robustness;

/// <summary>
/// The long placebo loop of the robustness stage, checkpointed in chunks by the runner's on-disk memo
/// (data-processed/memo/robustness/&lt;fingerprint&gt;/), on the default (simulated) data through the real host and CLI:
/// a run that dies after some chunks resumes without redoing them, and its draws equal a run that was never interrupted.
/// Draw counts are cut (20 placebo draws in chunks of 5; 20 permutation and bootstrap draws) to keep the test short.
/// </summary>
public sealed class PlaceboResumeTests : IDisposable
{
    private const int ChunksBeforeCrash = 6;

    // 2 treatments × 3 kinds × (20 draws / 5 per chunk).
    private const int Chunks = 2 * 3 * 4;

    private readonly string _processed = Path.Combine(Path.GetTempPath(), "nqpf-placebo-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_processed)) Directory.Delete(_processed, recursive: true);
    }

    private HostSettings Settings(MemoWriteCounter counter) => new()
    {
        ConfigDir = Path.Combine(RepoPaths.Root, "config"),
        RawDir = Path.Combine(RepoPaths.Root, "data-raw"),
        ProcessedDir = _processed,
        Overrides = new Dictionary<string, string?>
        {
            ["Estimate:PermutationDraws"] = "20",
            ["Estimate:BootstrapDraws"] = "20",
            ["Robustness:Placebo:Draws"] = "20",
            ["Robustness:Placebo:ChunkSize"] = "5",
            ["Robustness:Staggered:BootstrapDraws"] = "20",
        },
        ConfigureServices = services =>
        {
            var inner = services.Single(d => d.ServiceType == typeof(IFileStore));
            services.Remove(inner);
            services.AddSingleton<IFileStore>(sp => counter.Wrap((IFileStore)(inner.ImplementationInstance
                ?? inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        },
    };

    private async Task<(int Code, string Error)> CliAsync(MemoWriteCounter counter, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(args, Settings(counter), output, error);
        return (code, error + output.ToString());
    }

    private async Task<Frame> PlaceboDraws(string runId)
    {
        var file = Directory.GetFiles(Path.Combine(_processed, "runs", runId), "placebo_draws.parquet", SearchOption.AllDirectories).Single();
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
    }

    [Fact]
    public async Task Resume_RunDiedDuringPlacebo_ReusesFinishedChunksAndEqualsAnUninterruptedRun()
    {
        var crashing = new MemoWriteCounter(failAfter: ChunksBeforeCrash);
        var (code, log) = await CliAsync(crashing, "run", "--to", "robustness");
        Assert.True(code == 1, $"the injected fault should fail the run (exit {code}): {log}");
        var runId = Directory.GetDirectories(Path.Combine(_processed, "runs")).Select(Path.GetFileName).Single()!;
        var memo = Directory.GetDirectories(Path.Combine(_processed, "memo", "robustness")).Single();
        Assert.Equal(ChunksBeforeCrash, Directory.GetFiles(memo, "*.sha256").Length);

        var resuming = new MemoWriteCounter(failAfter: int.MaxValue);
        (code, log) = await CliAsync(resuming, "resume", runId);
        Assert.True(code == 0, $"resume failed (exit {code}): {log}");
        Assert.Equal(Chunks - ChunksBeforeCrash, resuming.ChunkWrites);
        Assert.False(Directory.Exists(memo), "the memo folder is removed once the stage has succeeded");
        var resumed = await PlaceboDraws(runId);

        var fresh = new MemoWriteCounter(failAfter: int.MaxValue);
        (code, log) = await CliAsync(fresh, "run", "--to", "robustness", "--from", "robustness");
        Assert.True(code == 0, $"rerun failed (exit {code}): {log}");
        Assert.Equal(Chunks, fresh.ChunkWrites);
        var rerunId = Directory.GetDirectories(Path.Combine(_processed, "runs")).Select(Path.GetFileName).Single(id => id != runId)!;
        var uninterrupted = await PlaceboDraws(rerunId);

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

    /// <summary>Counts chunk writes into the memo folder and throws a disk-full IOException after <c>failAfter</c> of them.</summary>
    private sealed class MemoWriteCounter(int failAfter)
    {
        private readonly int _failAfter = failAfter;
        private int _writes;

        public int ChunkWrites => _writes;

        public IFileStore Wrap(IFileStore inner) => new Store(inner, this);

        private sealed class Store(IFileStore inner, MemoWriteCounter owner) : IFileStore
        {
            public Task<FileDigest> WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
            {
                var isChunk = path.Contains(Path.DirectorySeparatorChar + "memo" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && path.EndsWith(".parquet", StringComparison.Ordinal);
                if (isChunk && Interlocked.Increment(ref owner._writes) > owner._failAfter)
                    throw new IOException($"No space left on device (injected) writing {path}");
                return inner.WriteAtomicAsync(path, content, cancellationToken);
            }

            public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) => inner.ReadAllBytesAsync(path, cancellationToken);

            public bool Exists(string path) => inner.Exists(path);

            public void ClearDirectory(string directory) => inner.ClearDirectory(directory);
        }
    }
}
