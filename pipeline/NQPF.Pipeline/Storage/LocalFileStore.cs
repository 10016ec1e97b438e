namespace NQPF.Pipeline.Storage;

/// <summary>
/// <see cref="IFileStore"/> on the local file system. Temporary files are named ".&lt;name&gt;.tmp-&lt;random&gt;" in the
/// target folder so the rename stays on one file system (and is therefore atomic); they are never read.
/// Transient faults (a file locked by another process) are retried by <see cref="TransientFaults"/>.
/// </summary>
internal sealed class LocalFileStore(TransientFaults retry) : IFileStore
{
    public const string TempMarker = ".tmp-";

    public Task<FileDigest> WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(ct => WriteOnceAsync(path, content, ct), cancellationToken).AsTask();

    private static async Task<FileDigest> WriteOnceAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + TempMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920,
                             FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return Hashing.Digest(content.Span);
    }

    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(ct => File.ReadAllBytesAsync(path, ct), cancellationToken).AsTask();

    public bool Exists(string path) => File.Exists(path);

    public void ClearDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            File.Delete(file);
    }
}
