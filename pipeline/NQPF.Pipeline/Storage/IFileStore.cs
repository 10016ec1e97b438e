namespace NQPF.Pipeline.Storage;

/// <summary>
/// The one door through which the pipeline touches checkpoint and document files. Everything that writes goes
/// through <see cref="WriteAtomicAsync"/>, so a crash never leaves a half-written file under its final name, and
/// tests can inject I/O faults (disk full, permission denied, locked file) by decorating this interface.
/// </summary>
internal interface IFileStore
{
    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file next to <paramref name="path"/>, flushes it to disk
    /// (fsync), then renames it over <paramref name="path"/>. On any failure the temporary file is removed. With
    /// <paramref name="durable"/> false the fsync is left out: the rename still keeps a half-written file from its final
    /// name, but a crash may lose the file; only for files that are checked on reading and recomputed when lost.
    /// </summary>
    Task<FileDigest> WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, bool durable = true);

    Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken);

    bool Exists(string path);

    /// <summary>Deletes every file in <paramref name="directory"/> (not recursive into finished data).</summary>
    void ClearDirectory(string directory);

    /// <summary>Deletes <paramref name="directory"/> with everything in it; nothing happens when it does not exist.</summary>
    void DeleteDirectory(string directory);
}

/// <summary>Size and SHA-256 (lower-case hex) of a file's bytes.</summary>
internal readonly record struct FileDigest(string Sha256, long Bytes);
