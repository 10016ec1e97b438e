using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Storage;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Storage;

/// <summary>Atomic writes, transient-fault retries, the writer lock, config discovery.</summary>
public sealed class StorageTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static TransientFaults Retry(int attempts = 3) => new(
        Options.Create(new PipelineOptions { Retry = new RetryOptions { MaxAttempts = attempts, BaseDelayMs = 1, MaxDelayMs = 5 } }),
        NullLogger<TransientFaults>.Instance);

    [Fact]
    public async Task WriteAtomic_NewFile_WritesContentAndReturnsItsSha256()
    {
        var store = new LocalFileStore(Retry());
        var path = Path.Combine(_ws.Root, "out", "a.bin");

        var digest = await store.WriteAtomicAsync(path, "abc"u8.ToArray(), CancellationToken.None);

        Assert.Equal("abc", File.ReadAllText(path));
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", digest.Sha256);
        Assert.Equal(3, digest.Bytes);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task WriteAtomic_RenameFails_LeavesNoTemporaryFileAndKeepsTarget()
    {
        var store = new LocalFileStore(Retry());
        var target = Path.Combine(_ws.Root, "occupied");
        Directory.CreateDirectory(target);

        var error = await Assert.ThrowsAsync<StorageException>(() => store.WriteAtomicAsync(target, "x"u8.ToArray(), CancellationToken.None));

        Assert.StartsWith($"Could not write '{target}'", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(_ws.Root, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Retry_TransientFaultsThenSuccess_Retries()
    {
        var calls = 0;

        var result = await Retry().ExecuteAsync(_ =>
        {
            calls++;
            return calls < 3 ? throw new TransientIOException("locked") : Task.FromResult(42);
        }, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Retry_PersistentTransientFault_GivesUpAfterTheBound()
    {
        var calls = 0;

        await Assert.ThrowsAsync<TransientIOException>(async () => await Retry(attempts: 2).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new TransientIOException("still locked");
        }, CancellationToken.None));

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Retry_DataError_IsNotRetried()
    {
        var calls = 0;

        await Assert.ThrowsAsync<DataValidationException>(async () => await Retry().ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new DataValidationException("row 3: text in a numeric column");
        }, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(5, true)]   // SQLITE_BUSY
    [InlineData(6, true)]   // SQLITE_LOCKED
    [InlineData(11, false)] // SQLITE_CORRUPT
    [InlineData(19, false)] // SQLITE_CONSTRAINT
    public void IsTransient_SqliteErrors_OnlyBusyAndLocked(int code, bool expected) =>
        Assert.Equal(expected, TransientFaults.IsTransient(new SqliteException("x", code)));

    [Fact]
    public void IsTransient_IoErrors_NotFoundAndDiskFullAreNot()
    {
        Assert.False(TransientFaults.IsTransient(new FileNotFoundException("gone")));
        Assert.False(TransientFaults.IsTransient(new UnauthorizedAccessException("denied")));
        Assert.False(TransientFaults.IsTransient(new IOException("No space left on device", 28)));
        Assert.True(TransientFaults.IsTransient(new IOException("Resource temporarily unavailable", 11)));
    }

    [Fact]
    public async Task WriterLock_HeldByAnother_RefusesAfterTimeoutNamingTheHolder()
    {
        using var host = _ws.BuildHost();
        var paths = (PipelinePaths)host.Services.GetService(typeof(PipelinePaths))!;
        var quick = Options.Create(new PipelineOptions { LockTimeoutSeconds = 0.3 });
        var first = new WriterLock(paths, quick, TimeProvider.System, NullLogger<WriterLock>.Instance);
        var second = new WriterLock(paths, quick, TimeProvider.System, NullLogger<WriterLock>.Instance);

        using (await first.AcquireAsync("first", CancellationToken.None))
        {
            var refusal = await Assert.ThrowsAsync<WriterLockUnavailableException>(() => second.AcquireAsync("second", CancellationToken.None));
            Assert.Contains($"pid={Environment.ProcessId}", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("for=first", refusal.Message, StringComparison.Ordinal);
        }

        using var after = await second.AcquireAsync("second", CancellationToken.None);
    }

    [Fact]
    public void ConfigLocator_StartedInASubfolder_FindsTheRepositoryConfig()
    {
        File.WriteAllText(Path.Combine(_ws.Root, "NQPF.Pipeline.sln"), "");
        var deep = Directory.CreateDirectory(Path.Combine(_ws.Root, "a", "b", "c")).FullName;

        Assert.Equal(_ws.ConfigDir, ConfigLocator.Locate(null, [deep]));
        Assert.Equal(_ws.ConfigDir, ConfigLocator.Locate(_ws.ConfigDir, ["/"]));
        Assert.Throws<ConfigurationNotFoundException>(() => ConfigLocator.Locate(null, [Path.GetTempPath()]));
        Assert.Throws<ConfigurationNotFoundException>(() => ConfigLocator.Locate(deep, [deep]));
    }

    [Fact]
    public async Task Run_DamagedLedger_FailsClearlyAndLeavesTheFileAlone()
    {
        Directory.CreateDirectory(_ws.ProcessedDir);
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(_ws.LedgerPath, garbage);

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.Equal(1, code);
        Assert.Contains("is damaged", errors, StringComparison.Ordinal);
        Assert.Contains("move ledger.db", errors, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(_ws.LedgerPath));
    }
}
