using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Storage;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Checkpoints;

/// <summary>The on-disk chunk memo that lets a long stage (placebo draws) resume without redoing finished chunks.</summary>
public sealed class FileStageMemoTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private FileStageMemo Memo() => new(
        new LocalFileStore(new TransientFaults(Options.Create(new PipelineOptions()), NullLogger<TransientFaults>.Instance)),
        FileStageMemo.DirectoryFor(_ws.ProcessedDir, "robustness", "abc123"));

    private static Frame Chunk() => new(new LongColumn("draw", [0, 1, 2]), new DoubleColumn("estimate", [0.1, -0.2, double.NaN]));

    [Fact]
    public void TryLoad_AfterSave_ReturnsTheSameFrameInANewInstance()
    {
        Memo().Save("placebo/bb/unit/0", Chunk());

        var loaded = Memo().TryLoad("placebo/bb/unit/0");

        Assert.NotNull(loaded);
        Assert.Equal([0L, 1L, 2L], loaded.Longs("draw"));
        Assert.Equal([0.1, -0.2, double.NaN], loaded.Doubles("estimate"));
        Assert.Null(Memo().TryLoad("placebo/bb/unit/1"));
    }

    [Fact]
    public void TryLoad_ChunkBytesChanged_ReturnsNullSoTheChunkIsRecomputed()
    {
        Memo().Save("chunk", Chunk());
        var file = Directory.GetFiles(FileStageMemo.DirectoryFor(_ws.ProcessedDir, "robustness", "abc123"), "*.parquet").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        Assert.Null(Memo().TryLoad("chunk"));
    }

    [Fact]
    public void Save_KeyWithPathSeparators_StaysInsideTheMemoFolder()
    {
        Memo().Save("../../escape", Chunk());

        var folder = FileStageMemo.DirectoryFor(_ws.ProcessedDir, "robustness", "abc123");
        Assert.Equal(2, Directory.GetFiles(folder).Length);
        Assert.Empty(Directory.GetFiles(_ws.ProcessedDir, "*.parquet", SearchOption.TopDirectoryOnly));
        Assert.NotNull(Memo().TryLoad("../../escape"));
    }
}
