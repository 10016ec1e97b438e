using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Ledger;

/// <summary>
/// Checks a writer makes under the writer lock before it uses the ledger, so history is never lost silently.
/// (1) A leftover <c>ledger.db-wal</c> whose header does not verify is damaged: SQLite would ignore it without a word,
/// dropping any transactions it held that were not yet copied into ledger.db. It is copied aside and reported.
/// (2) Run folders under <c>runs/</c> that the ledger has no record of mean the ledger lost history (a WAL deleted or
/// damaged after an unclean stop, a ledger restored from its backup or recreated). They are reported; their checkpoints
/// are not reused, because the ledger cannot vouch for them, so the stages they held are recomputed as needed.
/// The ledger itself checkpoints its WAL whenever its last connection closes (one connection per operation), so after
/// a clean close the WAL is gone, and a deleted WAL loses at most the operation that was in flight.
/// </summary>
internal sealed class LedgerHealth(LedgerRepository ledger, PipelinePaths paths, TimeProvider time, ILogger<LedgerHealth> logger)
{
    private const int WalHeaderBytes = 32;

    public string WalPath => paths.LedgerPath + "-wal";

    public async Task CheckAsync(CancellationToken ct)
    {
        CheckWriteAheadLog();
        await CheckRunFoldersAsync(ct);
    }

    private void CheckWriteAheadLog()
    {
        var wal = new FileInfo(WalPath);
        if (!wal.Exists || wal.Length == 0)
            return;
        var header = new byte[WalHeaderBytes];
        int read;
        using (var stream = new FileStream(WalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            read = stream.ReadAtLeast(header, WalHeaderBytes, throwOnEndOfStream: false);
        var problem = read < WalHeaderBytes ? $"{read} bytes, shorter than a WAL header" : WalHeaderProblem(header);
        if (problem is null)
            return;
        var copy = WalPath + ".damaged-" + time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        try
        {
            File.Copy(WalPath, copy, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            copy = $"nowhere ({ex.Message})";
        }
        logger.LogWarning(
            "The ledger's write-ahead log {Wal} is damaged ({Problem}): SQLite ignores it, so any transactions it held that were " +
            "not yet in ledger.db are lost. A copy is kept as {Copy}; run folders the ledger no longer knows are reported next",
            WalPath, problem, copy);
    }

    private async Task CheckRunFoldersAsync(CancellationToken ct)
    {
        if (!Directory.Exists(paths.RunsDir))
            return;
        var folders = Directory.EnumerateDirectories(paths.RunsDir).Select(Path.GetFileName).OfType<string>()
            .Where(PipelinePaths.IsRunId).ToList();
        if (folders.Count == 0)
            return;
        var known = (await ledger.RunIdsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var unknown = folders.Where(f => !known.Contains(f)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
            return;
        logger.LogWarning(
            "The ledger has no record of {Count} run folder(s) under {RunsDir} ({Folders}): it lost history (a deleted or damaged " +
            "ledger.db-wal after an unclean stop, or a restored or recreated ledger). Their checkpoints are not reused because the " +
            "ledger cannot vouch for them; stages are recomputed as needed. If ledger.db.bak knows these runs, restore it; " +
            "otherwise move the folders aside once inspected",
            unknown.Count, paths.RunsDir, string.Join(", ", unknown.Take(5)) + (unknown.Count > 5 ? ", …" : ""));
    }

    /// <summary>
    /// Null when <paramref name="header"/> (the first 32 bytes of a WAL file) is a valid SQLite WAL header: magic
    /// 0x377f0682/3 (big-endian; its low bit selects big- or little-endian checksum words), format version 3007000, and
    /// the checksum pair at bytes 24–31 equal to SQLite's Fletcher-style checksum of bytes 0–23
    /// (s0 += x[i] + s1; s1 += x[i+1] + s0 over 32-bit words, see sqlite.org/fileformat2.html#walformat).
    /// Checked against headers SQLite wrote (LedgerHealthTests).
    /// </summary>
    public static string? WalHeaderProblem(ReadOnlySpan<byte> header)
    {
        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic is not (0x377f0682 or 0x377f0683))
            return string.Create(CultureInfo.InvariantCulture, $"magic number 0x{magic:x8}");
        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version != 3007000)
            return string.Create(CultureInfo.InvariantCulture, $"format version {version}");
        var bigEndian = (magic & 1) == 1;
        uint s0 = 0, s1 = 0;
        for (var i = 0; i < 24; i += 8)
        {
            var x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[i..]);
            var x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[(i + 4)..]);
            unchecked
            {
                s0 += x0 + s1;
                s1 += x1 + s0;
            }
        }
        var stored0 = BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
        var stored1 = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        return s0 == stored0 && s1 == stored1 ? null : "header checksum mismatch";
    }
}
