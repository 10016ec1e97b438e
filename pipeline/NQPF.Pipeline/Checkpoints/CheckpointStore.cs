using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Checkpoints;

/// <summary>
/// Writes a stage's frames (as Parquet) and documents atomically into its run folder, and reads them back only
/// after their SHA-256 matches the ledger — a partial or altered file is never parsed.
/// </summary>
internal sealed class CheckpointStore(IFileStore files, PipelinePaths paths)
{
    public async Task<ArtifactRecord> WriteTableAsync(string stageRunId, string stageDir, string name, Frame frame, CancellationToken ct)
    {
        var bytes = await ParquetFrames.ToBytesAsync(frame, ct);
        var path = Path.Combine(stageDir, name + ".parquet");
        var digest = await files.WriteAtomicAsync(path, bytes, ct);
        return new ArtifactRecord
        {
            StageRunId = stageRunId, Name = name, Kind = ArtifactKind.Table, Path = paths.Relative(path),
            Sha256 = digest.Sha256, Bytes = digest.Bytes, Rows = frame.RowCount, Schema = ParquetFrames.Describe(frame),
        };
    }

    public async Task<ArtifactRecord> WriteDocumentAsync(string stageRunId, string stageDir, StageDocument document, CancellationToken ct)
    {
        var relative = document.RelativePath.Replace('\\', '/');
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(p => p is "" or "." or ".."))
            throw new DataValidationException($"Document path '{document.RelativePath}' must be a plain relative path.");
        if (relative.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new DataValidationException($"Document '{relative}' would collide with a checkpoint; return it as a table.");
        var path = Path.Combine(stageDir, relative);
        var digest = await files.WriteAtomicAsync(path, document.Content, ct);
        return new ArtifactRecord
        {
            StageRunId = stageRunId, Name = relative, Kind = ArtifactKind.Document, Path = paths.Relative(path),
            Sha256 = digest.Sha256, Bytes = digest.Bytes,
        };
    }

    /// <summary>Null when the artifact's file exists with the recorded size and SHA-256; otherwise why not.</summary>
    public async Task<string?> VerifyAsync(ArtifactRecord artifact, CancellationToken ct)
    {
        var path = paths.Resolve(artifact.Path);
        if (!files.Exists(path))
            return $"{artifact.Path} is missing";
        var bytes = await files.ReadAllBytesAsync(path, ct);
        if (bytes.LongLength != artifact.Bytes)
            return $"{artifact.Path} has {bytes.LongLength} bytes, the ledger recorded {artifact.Bytes}";
        var sha = Hashing.Sha256Hex(bytes);
        return sha == artifact.Sha256 ? null : $"{artifact.Path} has SHA-256 {sha[..12]}…, the ledger recorded {artifact.Sha256[..12]}…";
    }

    /// <summary>Reads a table checkpoint (only <paramref name="columns"/> when given, see
    /// <see cref="ParquetFrames.FromBytesAsync"/>), verifying its hash first.</summary>
    public async Task<Frame> LoadTableAsync(ArtifactRecord artifact, CancellationToken ct, IReadOnlyCollection<string>? columns = null)
    {
        var path = paths.Resolve(artifact.Path);
        if (!files.Exists(path))
            throw new MissingCheckpointException($"Checkpoint {artifact.Path} is missing.");
        var bytes = await files.ReadAllBytesAsync(path, ct);
        var sha = Hashing.Sha256Hex(bytes);
        if (sha != artifact.Sha256)
            throw new MissingCheckpointException(
                $"Checkpoint {artifact.Path} does not verify (SHA-256 {sha[..12]}…, ledger {artifact.Sha256[..12]}…).");
        return await ParquetFrames.FromBytesAsync(bytes, artifact.Path, ct, columns);
    }
}
