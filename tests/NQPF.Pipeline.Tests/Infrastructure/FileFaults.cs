using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Storage;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>The exceptions .NET raises for the storage faults the pipeline must survive.</summary>
internal static class IoFaults
{
    /// <summary>ENOSPC (errno 28): .NET on Linux reports the raw errno as the HResult.</summary>
    public static Exception DiskFull(string path) => new IOException($"No space left on device : '{path}'", 28);

    public static Exception PermissionDenied(string path) => new UnauthorizedAccessException($"Access to the path '{path}' is denied.");

    /// <summary>
    /// A sharing violation: ERROR_SHARING_VIOLATION on Windows; on Linux .NET reports a conflicting flock as EWOULDBLOCK
    /// (errno 11), which <c>StorageFaultTests.Run_RawFileLockedByAnotherHandle_RetriedUntilReleased</c> checks on a real lock.
    /// </summary>
    public static Exception Locked(string path) => new IOException(
        $"The process cannot access the file '{path}' because it is being used by another process.",
        OperatingSystem.IsWindows() ? unchecked((int)0x80070020) : 11);

    public static Func<string, Exception> ByName(string name) => name switch
    {
        "disk-full" => DiskFull,
        "permission-denied" => PermissionDenied,
        "locked" => Locked,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown fault"),
    };
}

/// <summary>
/// Throws <paramref name="fault"/> at one <see cref="WritePhase"/> of every atomic write of files named
/// <paramref name="fileName"/>, for the first <paramref name="times"/> attempts; counts the attempts.
/// </summary>
internal sealed class FaultInjectingHook(string fileName, WritePhase phase, Func<string, Exception> fault, int times = int.MaxValue)
    : IFileWriteHook
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public void Register(IServiceCollection services) => services.AddSingleton<IFileWriteHook>(this);

    public ValueTask OnWriteAsync(WritePhase at, string path, string tempPath, CancellationToken cancellationToken)
    {
        if (at != phase || !string.Equals(Path.GetFileName(path), fileName, StringComparison.Ordinal))
            return ValueTask.CompletedTask;
        return Interlocked.Increment(ref _attempts) <= times ? ValueTask.FromException(fault(path)) : ValueTask.CompletedTask;
    }
}

/// <summary>An <see cref="IFileStore"/> that records the path and SHA-256 of every file the pipeline reads.</summary>
internal sealed class RecordingFileStore(IFileStore inner, ConcurrentQueue<(string Path, string Sha256)> reads) : IFileStore
{
    public static Action<IServiceCollection> Register(ConcurrentQueue<(string Path, string Sha256)> reads) => services =>
        services.AddSingleton<IFileStore>(sp => new RecordingFileStore(ActivatorUtilities.CreateInstance<LocalFileStore>(sp), reads));

    public Task<FileDigest> WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, bool durable = true) =>
        inner.WriteAtomicAsync(path, content, cancellationToken, durable);

    public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await inner.ReadAllBytesAsync(path, cancellationToken);
        reads.Enqueue((path, Hashing.Sha256Hex(bytes)));
        return bytes;
    }

    public bool Exists(string path) => inner.Exists(path);

    public void ClearDirectory(string directory) => inner.ClearDirectory(directory);

    public void DeleteDirectory(string directory) => inner.DeleteDirectory(directory);
}
