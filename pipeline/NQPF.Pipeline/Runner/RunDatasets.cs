using System.Text;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>A dataset a stage reads: the hash that enters the fingerprint and how to load it.</summary>
internal sealed record DatasetInput(string Sha256, Func<CancellationToken, Task<Frame>> Load);

/// <summary>
/// Resolves dataset keys and patterns ("stage/name", "stage/*", and the virtual "run/raw_files") against the tables a
/// run has produced, for the runner (optional and previous-run inputs) and for verbs that compare runs (<c>diff</c>).
/// </summary>
internal sealed class RunDatasets(LedgerRepository ledger, CheckpointStore checkpoints)
{
    public const string RawFilesKey = "run/raw_files";

    /// <summary>The keys of <paramref name="available"/> matched by <paramref name="patterns"/> ("stage/*" matches every table of the stage).</summary>
    public static IEnumerable<string> Match(IEnumerable<string> patterns, IEnumerable<string> available)
    {
        var keys = available.ToList();
        return patterns.SelectMany(p => p.EndsWith("/*", StringComparison.Ordinal)
                ? keys.Where(k => k.StartsWith(p[..^1], StringComparison.Ordinal))
                : keys.Where(k => k == p))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The tables of a run keyed "stage/name": the last finished (succeeded or reused) attempt of each stage.</summary>
    public async Task<IReadOnlyDictionary<string, ArtifactRecord>> TablesOfRunAsync(string runId, CancellationToken ct)
    {
        var tables = new Dictionary<string, ArtifactRecord>(StringComparer.Ordinal);
        var finished = (await ledger.StageRunsOfRunAsync(runId, ct))
            .Where(s => s.Status is StageStatus.Succeeded or StageStatus.Reused)
            .GroupBy(s => s.Stage)
            .Select(g => g.MaxBy(s => s.Attempt)!);
        foreach (var stageRun in finished)
        {
            foreach (var artifact in (await ledger.ArtifactsOfAsync(stageRun.Id, ct)).Where(a => a.Kind == ArtifactKind.Table))
                tables[stageRun.Stage + "/" + artifact.Name] = artifact;
        }
        return tables;
    }

    /// <summary>
    /// The inputs named by <paramref name="patterns"/> among a run's <paramref name="tables"/>, plus
    /// <see cref="RawFilesKey"/> (from the ledger's raw-file listing of <paramref name="runId"/>) when it is asked for.
    /// </summary>
    public async Task<Dictionary<string, DatasetInput>> ResolveAsync(IReadOnlyList<string> patterns,
        IReadOnlyDictionary<string, ArtifactRecord> tables, string runId, CancellationToken ct)
    {
        var inputs = new Dictionary<string, DatasetInput>(StringComparer.Ordinal);
        foreach (var key in Match(patterns, tables.Keys))
        {
            var artifact = tables[key];
            inputs[key] = new DatasetInput(artifact.Sha256, token => checkpoints.LoadTableAsync(artifact, token));
        }
        if (patterns.Contains(RawFilesKey))
        {
            var frame = RawFilesFrame(await ledger.RawFilesOfAsync(runId, ct));
            var listing = string.Join("\n", Enumerable.Range(0, frame.RowCount).Select(i =>
                frame.Strings("path")[i] + "\t" + frame.Strings("sha256")[i]));
            inputs[RawFilesKey] = new DatasetInput(Hashing.Sha256Hex(Encoding.UTF8.GetBytes(listing)), _ => Task.FromResult(frame));
        }
        return inputs;
    }

    /// <summary>run/raw_files: path, sha256, bytes, modified_at of each raw file the run saw, ordered by path.</summary>
    public static Frame RawFilesFrame(IReadOnlyList<RawFileRecord> files)
    {
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new Frame(
            new StringColumn("path", [.. ordered.Select(f => (string?)f.Path)]),
            new StringColumn("sha256", [.. ordered.Select(f => (string?)f.Sha256)]),
            new LongColumn("bytes", [.. ordered.Select(f => f.Size)]),
            new StringColumn("modified_at", [.. ordered.Select(f => (string?)f.ModifiedAt)]));
    }
}
