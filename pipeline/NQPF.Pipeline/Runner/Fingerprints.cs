using System.Reflection;
using System.Text.Json.Nodes;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// A stage's fingerprint is the SHA-256 of the canonical JSON of: its name, its implementation version, its settings,
/// the SHA-256 of each input checkpoint (by dataset key) and of each source file (by "root:path"). The JSON itself is
/// kept in the ledger so <c>show</c> can explain why a stage ran again.
/// </summary>
internal static class Fingerprints
{
    private sealed record Detail(
        string Stage, int Version, JsonNode? Settings,
        SortedDictionary<string, string> Inputs, SortedDictionary<string, string> Sources);

    /// <param name="inputs">SHA-256 (or other identity) of each input by key: datasets as "stage/name", previous-run
    /// datasets as "previous:stage/name", document renderers as "renderer:Name".</param>
    public static (string Fingerprint, string Detail) ForStage(
        IStage stage, IReadOnlyDictionary<string, string> inputs, IReadOnlyList<SourceSnapshot> sources)
    {
        var detail = new Detail(
            stage.Name, stage.Version, JsonNode.Parse(CanonicalJson.Serialize(stage.Settings)),
            new SortedDictionary<string, string>(inputs.ToDictionary(i => i.Key, i => i.Value), StringComparer.Ordinal),
            new SortedDictionary<string, string>(sources.ToDictionary(s => s.Root + ":" + s.RelativePath, s => s.Sha256), StringComparer.Ordinal));
        var json = CanonicalJson.Serialize(detail);
        return (Hashing.Sha256Hex(json), json);
    }

    /// <summary>Hash of every registered stage's version and settings: tells runs with different configuration apart.</summary>
    public static string ConfigHash(StagePlan plan) =>
        Hashing.Sha256Hex(CanonicalJson.Serialize(plan.Stages.ToDictionary(
            s => s.Name, s => new { s.Stage.Version, s.Stage.Settings, s.Stage.ConfigSection })));

    public static string CodeVersion { get; } =
        typeof(Fingerprints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
