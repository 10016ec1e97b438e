using System.Globalization;
using System.Security.Cryptography;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Stages;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>Ids and times the runner's parts share: run ids, stage-run ids, ledger timestamps, error texts.</summary>
internal static class StageRunIds
{
    public static string StageRunId(string runId, PlannedStage planned, long attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{planned.Folder}/{attempt}");

    /// <summary>The next attempt number of a stage in a run that already recorded <paramref name="earlier"/> attempts.</summary>
    public static long NextAttempt(IReadOnlyList<StageRunRecord> earlier, string stage) =>
        earlier.Where(s => s.Stage == stage).Select(s => s.Attempt).DefaultIfEmpty(0).Max() + 1;

    public static string NewRunId(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        RandomNumberGenerator.GetHexString(6, lowercase: true);

    public static string Now(TimeProvider time) => IsoTime.Format(time.GetUtcNow());

    /// <summary>A domain error's message as it is; anything else (a defect) with its type name.</summary>
    public static string Describe(Exception ex) => ex is PipelineException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
}

/// <summary>The pipeline-side writers (Word, Excel) of each stage's results, in a fixed order.</summary>
internal sealed class StageRenderers(IEnumerable<IDocumentRenderer> renderers)
{
    private readonly IReadOnlyList<IDocumentRenderer> _renderers = [.. renderers];

    public IEnumerable<IDocumentRenderer> Of(IStage stage) =>
        _renderers.Where(r => r.Stage == stage.Name).OrderBy(r => r.GetType().Name, StringComparer.Ordinal);
}
