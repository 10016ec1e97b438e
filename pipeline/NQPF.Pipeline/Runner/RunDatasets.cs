using System.Text;
using System.Text.Json.Nodes;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>A dataset a stage reads: the hash that enters the fingerprint and how to load it (some or all of its columns).</summary>
internal sealed record DatasetInput(string Sha256, Func<IReadOnlyCollection<string>?, CancellationToken, Task<Frame>> LoadColumns)
{
    /// <summary>Every column.</summary>
    public Task<Frame> Load(CancellationToken ct) => LoadColumns(null, ct);
}

/// <summary>
/// Resolves dataset keys and patterns ("stage/name", "stage/*", and the virtual "run/raw_files") against the tables a
/// run has produced, for the runner (optional and previous-run inputs) and for verbs that compare runs (<c>diff</c>).
/// </summary>
internal sealed class RunDatasets(LedgerRepository ledger, CheckpointStore checkpoints, StagePlan plan)
{
    public const string RawFilesKey = Datasets.Run.RawFiles;

    /// <summary>The settings of every registered stage of this process, flattened (see <see cref="SettingsFrame"/>).</summary>
    public const string SettingsKey = Datasets.Run.Settings;

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
    /// <param name="current">True for the run being executed: only then is <see cref="SettingsKey"/> (this process's
    /// settings) provided.</param>
    public async Task<Dictionary<string, DatasetInput>> ResolveAsync(IReadOnlyList<string> patterns,
        IReadOnlyDictionary<string, ArtifactRecord> tables, string runId, bool current, CancellationToken ct)
    {
        var inputs = new Dictionary<string, DatasetInput>(StringComparer.Ordinal);
        foreach (var key in Match(patterns, tables.Keys))
        {
            var artifact = tables[key];
            inputs[key] = new DatasetInput(artifact.Sha256, (columns, token) => checkpoints.LoadTableAsync(artifact, token, columns));
        }
        if (patterns.Contains(RawFilesKey))
        {
            var frame = RawFilesFrame(await ledger.RawFilesOfAsync(runId, ct));
            var listing = string.Join("\n", Enumerable.Range(0, frame.RowCount).Select(i =>
                frame.Strings("path")[i] + "\t" + frame.Strings("sha256")[i]));
            inputs[RawFilesKey] = new DatasetInput(Hashing.Sha256Hex(Encoding.UTF8.GetBytes(listing)), (_, _) => Task.FromResult(frame));
        }
        if (current && patterns.Contains(SettingsKey))
        {
            var frame = SettingsFrame(plan);
            inputs[SettingsKey] = new DatasetInput(Fingerprints.ConfigHash(plan), (_, _) => Task.FromResult(frame));
        }
        return inputs;
    }

    /// <summary>
    /// run/settings: stage, section, version, setting (JSON path inside the section, e.g. "Placebo.Draws"), value
    /// (canonical JSON of the leaf) for every registered stage: exactly the settings that entered the fingerprints.
    /// </summary>
    public static Frame SettingsFrame(StagePlan plan)
    {
        var rows = new List<(string Stage, string Section, long Version, string Setting, string Value)>();
        foreach (var planned in plan.Stages)
        {
            var node = JsonNode.Parse(CanonicalJson.Serialize(planned.Stage.Settings));
            Flatten(node, "", (path, value) => rows.Add((planned.Name, planned.Stage.ConfigSection, planned.Stage.Version, path, value)));
        }
        return new Frame(
            new StringColumn("stage", [.. rows.Select(r => (string?)r.Stage)]),
            new StringColumn("section", [.. rows.Select(r => (string?)r.Section)]),
            new LongColumn("version", [.. rows.Select(r => r.Version)]),
            new StringColumn("setting", [.. rows.Select(r => (string?)r.Setting)]),
            new StringColumn("value", [.. rows.Select(r => (string?)r.Value)]));
    }

    private static void Flatten(JsonNode? node, string path, Action<string, string> add)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj)
                Flatten(child, path.Length == 0 ? key : path + "." + key, add);
        }
        else
        {
            add(path.Length == 0 ? "(value)" : path, node?.ToJsonString() ?? "null");
        }
    }

    /// <summary>run/raw_files: path, sha256, bytes of each raw file the run saw, ordered by path.</summary>
    public static Frame RawFilesFrame(IReadOnlyList<RawFileRecord> files)
    {
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new Frame(
            new StringColumn("path", [.. ordered.Select(f => (string?)f.Path)]),
            new StringColumn("sha256", [.. ordered.Select(f => (string?)f.Sha256)]),
            new LongColumn("bytes", [.. ordered.Select(f => f.Size)]));
    }
}
