using System.Globalization;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>A source file as read for a stage or seen by a run.</summary>
internal sealed record SourceSnapshot(string Root, string RelativePath, string FullPath, string Sha256, long Size, DateTimeOffset Modified, byte[]? Content);

/// <summary>
/// Resolves a stage's source globs ("raw:**/*.csv", "config:policies/*.csv") to files. Hidden files and files that
/// look like copies in progress (".tmp", ".part", ".crdownload", "~$" Office locks) are never sources. A file larger
/// than <see cref="PipelineOptions.MaxSourceBytes"/> is refused before a byte of it is read.
/// </summary>
internal sealed class SourceScanner(PipelinePaths paths, IFileStore files, IOptions<PipelineOptions> options)
{
    private static readonly string[] InProgressSuffixes = [".tmp", ".part", ".partial", ".crdownload", ".download", ".swp"];

    /// <summary>Reads and hashes every file matched by <paramref name="globs"/>, ordered by root and path.</summary>
    public async Task<IReadOnlyList<SourceSnapshot>> ReadAsync(IEnumerable<string> globs, CancellationToken ct)
    {
        var result = new List<SourceSnapshot>();
        foreach (var (root, full, relative) in Resolve(globs))
        {
            var content = await ReadBoundedAsync(root, relative, full, ct);
            result.Add(new SourceSnapshot(root, relative, full, Hashing.Sha256Hex(content), content.LongLength,
                File.GetLastWriteTimeUtc(full), content));
        }
        return result;
    }

    /// <summary>Every raw file with its hash (content not kept), and the raw-data fingerprint over them.</summary>
    public async Task<(IReadOnlyList<SourceSnapshot> Files, string Fingerprint)> RawFingerprintAsync(CancellationToken ct)
    {
        var snapshots = new List<SourceSnapshot>();
        foreach (var (root, full, relative) in Resolve(["raw:**/*"]))
        {
            var content = await ReadBoundedAsync(root, relative, full, ct);
            snapshots.Add(new SourceSnapshot(root, relative, full, Hashing.Sha256Hex(content), content.LongLength,
                File.GetLastWriteTimeUtc(full), null));
        }
        var text = string.Join("\n", snapshots.Select(s => s.RelativePath + "\t" + s.Sha256));
        return (snapshots, Hashing.Sha256Hex(text));
    }

    private async Task<byte[]> ReadBoundedAsync(string root, string relative, string full, CancellationToken ct)
    {
        var size = new FileInfo(full).Length;
        var max = options.Value.MaxSourceBytes;
        if (size > max)
        {
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{root}:{relative}: the file has {size:N0} bytes, more than Pipeline:MaxSourceBytes = {max:N0}; it was not read. Remove it or raise the limit."));
        }
        return await files.ReadAllBytesAsync(full, ct);
    }

    /// <summary>Path, size and modification time of every raw file: cheap, for the watcher's stability check.</summary>
    public IReadOnlyList<(string Path, long Size, DateTime Modified)> RawListing() =>
        [.. Resolve(["raw:**/*"]).Select(f => (f.Relative, new FileInfo(f.Full).Length, File.GetLastWriteTimeUtc(f.Full)))];

    /// <summary>
    /// Raw files another process still holds open (an exclusive open fails with a sharing violation): a copy in
    /// progress by a tool that keeps the file open while it pauses. Effective against writers that lock (Windows tools,
    /// .NET); a writer that takes no lock is caught by the size-and-time stability check instead.
    /// </summary>
    public IReadOnlyList<string> RawFilesInUse()
    {
        var busy = new List<string>();
        foreach (var (_, full, relative) in Resolve(["raw:**/*"]))
        {
            try
            {
                using var probe = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.None);
            }
            catch (IOException ex) when (TransientFaults.IsTransient(ex))
            {
                busy.Add(relative);
            }
        }
        return busy;
    }

    public static RawFileRecord ToRecord(string runId, SourceSnapshot s) => new()
    {
        RunId = runId, Path = s.RelativePath, Sha256 = s.Sha256, Size = s.Size, ModifiedAt = IsoTime.Format(s.Modified),
    };

    public static SourceFile ToSourceFile(SourceSnapshot s) => new(s.Root, s.RelativePath, s.Content ?? []);

    public static bool IsCandidate(string relativePath)
    {
        foreach (var part in relativePath.Split('/', '\\'))
        {
            if (part.StartsWith('.') || part.StartsWith("~$", StringComparison.Ordinal))
                return false;
        }
        return !InProgressSuffixes.Any(s => relativePath.EndsWith(s, StringComparison.OrdinalIgnoreCase))
               && !relativePath.Contains(LocalFileStore.TempMarker, StringComparison.Ordinal);
    }

    private IEnumerable<(string Root, string Full, string Relative)> Resolve(IEnumerable<string> globs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<(string Root, string Full, string Relative)>();
        foreach (var glob in globs)
        {
            var colon = glob.IndexOf(':', StringComparison.Ordinal);
            var root = colon > 0 ? glob[..colon] : throw new ConfigValidationException(
                $"Source glob '{glob}' has no root; write \"raw:<pattern>\" or \"config:<pattern>\".");
            var directory = root switch
            {
                "raw" => paths.RawDir,
                "config" => paths.ConfigDir,
                _ => throw new ConfigValidationException($"Source glob '{glob}': unknown root '{root}' (raw or config)."),
            };
            if (!Directory.Exists(directory))
                continue;
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(glob[(colon + 1)..]);
            foreach (var full in matcher.GetResultsInFullPath(directory))
            {
                var relative = Path.GetRelativePath(directory, full).Replace('\\', '/');
                if (IsCandidate(relative) && seen.Add(root + ":" + relative))
                    found.Add((root, full, relative));
            }
        }
        return found.OrderBy(f => f.Root, StringComparer.Ordinal).ThenBy(f => f.Relative, StringComparer.Ordinal);
    }
}
