using System.Globalization;
using Microsoft.Extensions.Logging;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Stages;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>The latest earlier successful run whose raw data differ from this run's, with its tables.</summary>
internal sealed record PreviousRun(RunRecord Run, IReadOnlyDictionary<string, ArtifactRecord> Tables);

/// <summary>A stage's resolved inputs and source files, and the fingerprint they give.</summary>
internal sealed record StageFingerprint(
    IReadOnlyDictionary<string, DatasetInput> Inputs,
    IReadOnlyDictionary<string, DatasetInput> PreviousInputs,
    string? PreviousRunId,
    IReadOnlyList<SourceSnapshot> Sources,
    string Fingerprint,
    string Detail);

/// <summary>
/// Plan and reuse: resolves a stage's inputs (checkpoints of earlier stages of the run, optional "stage/*" tables,
/// the previous run's tables), reads its source files, computes its fingerprint, and finds a finished stage run with
/// that fingerprint — in this run (resume) or any earlier one — whose artifacts all verify by SHA-256.
/// </summary>
internal sealed class ReusePlanner(
    LedgerRepository ledger,
    CheckpointStore checkpoints,
    SourceScanner sources,
    RunDatasets datasets,
    StageRenderers renderers,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("NQPF.Pipeline.Runner");

    /// <summary>The latest successful run started before <paramref name="run"/>, when its raw data differ from this run's.</summary>
    public async Task<PreviousRun?> PreviousRunAsync(RunRecord run, CancellationToken ct)
    {
        var latest = await ledger.LatestSucceededRunBeforeAsync(run.Id, run.StartedAt, ct);
        if (latest is null || latest.RawFingerprint == run.RawFingerprint)
            return null;
        return new PreviousRun(latest, await datasets.TablesOfRunAsync(latest.Id, ct));
    }

    public async Task<StageFingerprint> FingerprintAsync(RunRecord run, IStage stage,
        IReadOnlyDictionary<string, ArtifactRecord> available, PreviousRun? previous, CancellationToken ct)
    {
        foreach (var key in stage.Inputs.Where(k => !available.ContainsKey(k)))
        {
            throw new MissingCheckpointException(
                $"Stage '{stage.Name}' reads '{key}', which no earlier stage of this run produced " +
                $"(available: {(available.Count == 0 ? "none" : string.Join(", ", available.Keys))}).");
        }
        var inputs = await datasets.ResolveAsync([.. stage.Inputs, .. stage.OptionalInputs], available, run.Id, current: true, ct);
        var previousInputs = previous is null || stage.PreviousInputs.Count == 0 ? []
            : await datasets.ResolveAsync(stage.PreviousInputs, previous.Tables, previous.Run.Id, current: false, ct);
        var hashes = inputs.ToDictionary(i => i.Key, i => i.Value.Sha256, StringComparer.Ordinal);
        foreach (var (key, input) in previousInputs)
            hashes["previous:" + key] = input.Sha256;
        if (previousInputs.Count > 0)
            hashes["previous:run"] = previous!.Run.Id;
        foreach (var renderer in renderers.Of(stage))
            hashes["renderer:" + renderer.GetType().Name] = renderer.Version.ToString(CultureInfo.InvariantCulture);
        var snapshots = await sources.ReadAsync(stage.SourceGlobs, ct);
        var (fingerprint, detail) = Fingerprints.ForStage(stage, hashes, snapshots);
        return new StageFingerprint(inputs, previousInputs, previousInputs.Count > 0 ? previous!.Run.Id : null, snapshots, fingerprint, detail);
    }

    /// <summary>The artifacts of an attempt of this run that already finished with this fingerprint and still verify.</summary>
    public async Task<IReadOnlyList<ArtifactRecord>?> FinishedInThisRunAsync(
        PlannedStage planned, IReadOnlyList<StageRunRecord> earlier, string fingerprint, CancellationToken ct)
    {
        var finished = earlier.LastOrDefault(s => s.Stage == planned.Name && s.Fingerprint == fingerprint
                                                  && s.Status is StageStatus.Succeeded or StageStatus.Reused);
        if (finished is null)
            return null;
        var artifacts = await ledger.ArtifactsOfAsync(finished.Id, ct);
        return await FirstProblemAsync(planned.Stage, artifacts, ct) is null ? artifacts : null;
    }

    /// <summary>Records a reuse of the first earlier stage run with this fingerprint whose artifacts verify; else why not.</summary>
    public async Task<(IReadOnlyList<ArtifactRecord>? Artifacts, string? WhyNot)> TryReuseAsync(
        RunRecord run, PlannedStage planned, long attempt, StageFingerprint plan, CancellationToken ct)
    {
        string? whyNot = null;
        foreach (var candidate in await ledger.ReuseCandidatesAsync(planned.Name, plan.Fingerprint, ct))
        {
            var artifacts = await ledger.ArtifactsOfAsync(candidate.Id, ct);
            var problem = await FirstProblemAsync(planned.Stage, artifacts, ct);
            if (problem is not null)
            {
                whyNot ??= $"checkpoint of run {candidate.RunId} not reused: {problem}";
                _log.LogWarning("{Stage}: the checkpoint of run {RunId} does not verify ({Problem}); recomputing",
                    planned.Name, candidate.RunId, problem);
                continue;
            }
            return (await RecordReuseAsync(run, planned, attempt, plan, candidate, artifacts, ct), null);
        }
        return (null, whyNot);
    }

    private async Task<IReadOnlyList<ArtifactRecord>> RecordReuseAsync(RunRecord run, PlannedStage planned, long attempt,
        StageFingerprint plan, StageRunRecord candidate, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken ct)
    {
        var id = StageRunIds.StageRunId(run.Id, planned, attempt);
        var now = StageRunIds.Now(time);
        var originRun = candidate.ReusedFromRun ?? candidate.RunId;
        var copies = artifacts.Select(a => a with { StageRunId = id }).ToList();
        await ledger.InsertReusedStageRunAsync(new StageRunRecord
        {
            Id = id, RunId = run.Id, Stage = planned.Name, Folder = planned.Folder, Attempt = attempt,
            Status = StageStatus.Reused, Fingerprint = plan.Fingerprint, FingerprintDetail = plan.Detail, StartedAt = now,
            FinishedAt = now, DurationMs = 0, Rows = candidate.Rows, ReusedFromRun = originRun,
            ReusedFromStageRun = candidate.ReusedFromStageRun ?? candidate.Id,
        }, copies, ct);
        _log.LogInformation("{Stage}: reused from run {OriginRun} (fingerprint {Fingerprint})", planned.Name, originRun, plan.Fingerprint[..12]);
        return copies;
    }

    /// <summary>Null when the artifacts cover the stage's outputs and all verify; otherwise the first problem.</summary>
    private async Task<string?> FirstProblemAsync(IStage stage, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken ct)
    {
        var tables = artifacts.Where(a => a.Kind == ArtifactKind.Table).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var missing = stage.Outputs.FirstOrDefault(o => !tables.Contains(o));
        if (missing is not null)
            return $"output '{missing}' was not recorded";
        foreach (var artifact in artifacts)
        {
            if (await checkpoints.VerifyAsync(artifact, ct) is { } problem)
                return problem;
        }
        return null;
    }
}
