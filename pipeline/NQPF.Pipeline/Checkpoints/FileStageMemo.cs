using System.Text;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Checkpoints;

/// <summary>
/// <see cref="IStageMemo"/> on disk: chunks of a long stage (placebo draws) under
/// <c>data-processed/memo/&lt;stage&gt;/&lt;fingerprint&gt;/</c>, outside the run folders (a stage's folder is cleared
/// before each attempt) and keyed by the stage fingerprint, so an interrupted or failed attempt with the same inputs
/// and settings resumes without redoing finished chunks, and a changed fingerprint never sees stale chunks.
/// Each chunk is written atomically with a SHA-256 sidecar written after it; a chunk whose bytes do not match its
/// sidecar is treated as absent and recomputed. The runner deletes the folder once the stage has succeeded. Because of
/// that check a chunk is written without the fsync that checkpoints get (a chunk lost in a crash is recomputed): with
/// 60 chunks and their sidecars per default run, the flushes cost more than computing the draws.
/// </summary>
internal sealed class FileStageMemo(IFileStore files, string directory) : IStageMemo
{
    public Frame? TryLoad(string key)
    {
        var (data, sum) = PathsOf(key);
        if (!files.Exists(data) || !files.Exists(sum))
            return null;
        var bytes = files.ReadAllBytesAsync(data, CancellationToken.None).GetAwaiter().GetResult();
        var expected = Encoding.ASCII.GetString(files.ReadAllBytesAsync(sum, CancellationToken.None).GetAwaiter().GetResult()).Trim();
        if (!string.Equals(Hashing.Sha256Hex(bytes), expected, StringComparison.Ordinal))
            return null;
        return ParquetFrames.FromBytesAsync(bytes, data, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Save(string key, Frame frame)
    {
        var (data, sum) = PathsOf(key);
        var bytes = ParquetFrames.ToBytesAsync(frame, CancellationToken.None).GetAwaiter().GetResult();
        var digest = files.WriteAtomicAsync(data, bytes, CancellationToken.None, durable: false).GetAwaiter().GetResult();
        files.WriteAtomicAsync(sum, Encoding.ASCII.GetBytes(digest.Sha256), CancellationToken.None, durable: false).GetAwaiter().GetResult();
    }

    public static string DirectoryFor(string processedDir, string stage, string fingerprint) =>
        Path.Combine(processedDir, "memo", stage, fingerprint);

    /// <summary>Keys become file names: anything but letters, digits, '-' and '_' is replaced, so no key escapes the folder.</summary>
    private (string Data, string Sum) PathsOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var safe = new StringBuilder(key.Length);
        foreach (var c in key)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        var name = safe + "-" + Hashing.Sha256Hex(key)[..8];
        return (Path.Combine(directory, name + ".parquet"), Path.Combine(directory, name + ".sha256"));
    }
}
