namespace NQPF.Pipeline.Storage;

/// <summary>
/// <see cref="IFileStore"/> on the local file system. Temporary files are named ".&lt;name&gt;.tmp-&lt;random&gt;" in the
/// target folder so the rename stays on one file system (and is therefore atomic); they are never read.
/// Transient faults (a file locked by another process) are retried by <see cref="TransientFaults"/>; what is left after
/// the retries (disk full, permission denied, still locked) becomes a <see cref="StorageException"/> naming the file.
/// <see cref="IFileWriteHook"/>s (tests only) are called at each <see cref="WritePhase"/> of a write.
/// </summary>
internal sealed class LocalFileStore(TransientFaults retry, IEnumerable<IFileWriteHook>? hooks = null) : IFileStore
{
    public const string TempMarker = ".tmp-";

    private readonly IFileWriteHook[] _hooks = [.. hooks ?? []];

    public async Task<FileDigest> WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, bool durable = true)
    {
        try
        {
            return await retry.ExecuteAsync(ct => WriteOnceAsync(path, content, durable, ct), cancellationToken);
        }
        catch (Exception ex) when (StorageException.Describes(ex))
        {
            throw StorageException.Write(path, ex);
        }
    }

    private async Task<FileDigest> WriteOnceAsync(string path, ReadOnlyMemory<byte> content, bool durable, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + TempMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await NotifyAsync(WritePhase.Creating, path, temp, ct);
            Directory.CreateDirectory(directory);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920,
                             FileOptions.Asynchronous))
            {
                // Two halves, so a crash test can stop the process with part of the bytes in the temporary file.
                var half = content.Length / 2;
                await stream.WriteAsync(content[..half], ct);
                await stream.FlushAsync(ct);
                await NotifyAsync(WritePhase.PartWritten, path, temp, ct);
                await stream.WriteAsync(content[half..], ct);
                await stream.FlushAsync(ct);
                if (durable)
                    stream.Flush(flushToDisk: true);
            }
            await NotifyAsync(WritePhase.BeforeRename, path, temp, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        await NotifyAsync(WritePhase.Renamed, path, temp, ct);
        return Hashing.Digest(content.Span);
    }

    private async ValueTask NotifyAsync(WritePhase phase, string path, string temp, CancellationToken ct)
    {
        foreach (var hook in _hooks)
            await hook.OnWriteAsync(phase, path, temp, ct);
    }

    public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await retry.ExecuteAsync(ct => File.ReadAllBytesAsync(path, ct), cancellationToken);
        }
        catch (Exception ex) when (StorageException.Describes(ex))
        {
            throw StorageException.Read(path, ex);
        }
    }

    public bool Exists(string path) => File.Exists(path);

    public void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    public void ClearDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            File.Delete(file);
    }
}
