using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Storage;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Runs the registered stages in order under the writer lock. For each stage: resolve its inputs (checkpoints of
/// earlier stages in this run), read its source files, compute its fingerprint, reuse an earlier stage run with the
/// same fingerprint whose artifacts verify by SHA-256, or else run it and write its outputs atomically into
/// <c>runs/&lt;run-id&gt;/&lt;NN-stage&gt;/</c>. Everything is recorded in the ledger; a failure marks the stage and
/// the run failed and stops the run, which <see cref="ResumeAsync"/> can continue. Optional inputs ("stage/*") are the
/// tables earlier stages produced; previous-run inputs come from the latest earlier successful run whose raw data
/// differ. After a successful run, the report stage's documents are copied to <c>runs/&lt;run-id&gt;/report/</c>, so
/// every successful run has its report at that path even when the report stage was reused.
/// </summary>
internal sealed class PipelineRunner(
    StagePlan plan,
    LedgerRepository ledger,
    CheckpointStore checkpoints,
    SourceScanner sources,
    IFileStore files,
    WriterLock writerLock,
    RunRecovery recovery,
    LedgerHealth health,
    RunDatasets datasets,
    IEnumerable<IDocumentRenderer> renderers,
    ISheetReader sheetReader,
    PipelinePaths paths,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>The stage whose documents are published as the run's report folder.</summary>
    public const string ReportStage = "report";

    private readonly ILogger _log = loggers.CreateLogger("NQPF.Pipeline.Runner");
    private readonly IReadOnlyList<IDocumentRenderer> _renderers = [.. renderers];

    // Parsed configuration tables of the current run: each is parsed once per run, however many stages read it.
    private ConfigTableCache _configTables = new();

    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken ct)
    {
        var from = request.From is null ? null : plan.Stages[IndexOf(request.From)].Name;
        var to = request.To is null ? null : plan.Stages[IndexOf(request.To)].Name;
        if (from is not null && to is not null && plan.PositionOf(from) > plan.PositionOf(to))
            throw new UsageException($"--from {from} comes after --to {to}.");
        using var writer = await writerLock.AcquireAsync(request.Trigger, ct);
        await health.CheckAsync(ct);
        await recovery.RecoverAsync(ct);
        var (rawFiles, rawFingerprint) = await sources.RawFingerprintAsync(ct);
        var now = Now();
        var run = new RunRecord
        {
            Id = NewRunId(), Trigger = request.Trigger, Status = RunStatus.Running, StartedAt = now, HeartbeatAt = now,
            ConfigHash = Fingerprints.ConfigHash(plan), RawFingerprint = rawFingerprint, CodeVersion = Fingerprints.CodeVersion,
            Host = Environment.MachineName, Pid = Environment.ProcessId, FromStage = from, ToStage = to, Force = request.Force,
        };
        await ledger.InsertRunAsync(run, [.. rawFiles.Select(f => SourceScanner.ToRecord(run.Id, f))], ct);
        _log.LogInformation("Run {RunId} started by {Trigger}: {StageCount} stages ({Stages}), {RawFileCount} raw files",
            run.Id, run.Trigger, plan.Stages.Count, string.Join(", ", plan.Stages.Select(s => s.Folder)), rawFiles.Count);
        return await ExecuteAsync(run, [], ct);
    }

    public async Task<RunOutcome> ResumeAsync(string runId, CancellationToken ct)
    {
        PipelinePaths.CheckRunId(runId);
        using var writer = await writerLock.AcquireAsync("resume " + runId, ct);
        await health.CheckAsync(ct);
        await recovery.RecoverAsync(ct);
        var run = await ledger.FindRunAsync(runId, ct)
                  ?? throw new UsageException($"There is no run '{runId}' in {paths.LedgerPath}.");
        if (run.Status == RunStatus.Succeeded)
            throw new UsageException($"Run {runId} already succeeded; there is nothing to resume.");
        await ledger.ReopenRunAsync(runId, Environment.MachineName, Environment.ProcessId, Now(), ct);
        _log.LogInformation("Resuming run {RunId} (was {Status}: {Error})", runId, run.Status, run.Error);
        return await ExecuteAsync(run, await ledger.StageRunsOfRunAsync(runId, ct), ct);
    }

    private async Task<RunOutcome> ExecuteAsync(RunRecord run, IReadOnlyList<StageRunRecord> earlier, CancellationToken ct)
    {
        RunRecovery.MarkActive(run.Id);
        _configTables = new ConfigTableCache();
        var heartbeatTimer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        var heartbeat = HeartbeatAsync(run.Id, heartbeatTimer);
        try
        {
            var fromPosition = run.FromStage is null ? int.MaxValue : plan.PositionOf(run.FromStage);
            var toPosition = run.ToStage is null ? int.MaxValue : plan.PositionOf(run.ToStage);
            var available = new Dictionary<string, ArtifactRecord>(StringComparer.Ordinal);
            var previous = plan.Stages.Any(s => s.Stage.PreviousInputs.Count > 0) ? await PreviousRunAsync(run, ct) : null;
            foreach (var stage in plan.Stages.Where(s => s.Position <= toPosition))
                await ExecuteStageAsync(run, stage, run.Force || stage.Position >= fromPosition, earlier, available, previous, ct);
            await PublishReportAsync(run.Id, ct);
            await ledger.UpdateRunAsync(run.Id, RunStatus.Succeeded, Now(), null, CancellationToken.None);
            _log.LogInformation("Run {RunId} succeeded", run.Id);
            await BackupLedgerAsync();
            return new RunOutcome(run.Id, RunStatus.Succeeded, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ledger.UpdateRunAsync(run.Id, RunStatus.Cancelled, Now(), "cancelled", CancellationToken.None);
            _log.LogWarning("Run {RunId} cancelled; `resume {RunId}` continues it", run.Id, run.Id);
            throw;
        }
        catch (Exception ex) when (ex is not LedgerDamagedException)
        {
            var error = Describe(ex);
            await ledger.UpdateRunAsync(run.Id, RunStatus.Failed, Now(), error, CancellationToken.None);
            _log.LogError("Run {RunId} failed: {Error}. After fixing the cause, `resume {RunId}` continues it", run.Id, error, run.Id);
            return new RunOutcome(run.Id, RunStatus.Failed, error);
        }
        finally
        {
            heartbeatTimer.Dispose();
            await heartbeat;
            RunRecovery.MarkInactive(run.Id);
        }
    }

    private async Task ExecuteStageAsync(RunRecord run, PlannedStage planned, bool forced, IReadOnlyList<StageRunRecord> earlier,
        Dictionary<string, ArtifactRecord> available, PreviousRun? previous, CancellationToken ct)
    {
        var stage = planned.Stage;
        if (plan.Unrunnable.TryGetValue(stage.Name, out var reason))
        {
            await RecordSkippedAsync(run, planned, earlier, reason, ct);
            return;
        }
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
        foreach (var renderer in RenderersOf(stage))
            hashes["renderer:" + renderer.GetType().Name] = renderer.Version.ToString(CultureInfo.InvariantCulture);
        var snapshots = await sources.ReadAsync(stage.SourceGlobs, ct);
        var (fingerprint, detail) = Fingerprints.ForStage(stage, hashes, snapshots);

        var kept = await FinishedInThisRunAsync(planned, earlier, fingerprint, ct);
        if (kept is not null)
        {
            Publish(stage.Name, kept, available);
            _log.LogInformation("{Stage}: kept from the earlier attempt of this run", stage.Name);
            return;
        }
        var attempt = earlier.Where(s => s.Stage == stage.Name).Select(s => s.Attempt).DefaultIfEmpty(0).Max() + 1;
        string? note = null;
        if (!forced)
        {
            var (reused, whyNot) = await TryReuseAsync(run, planned, attempt, fingerprint, detail, ct);
            if (reused is not null)
            {
                Publish(stage.Name, reused, available);
                return;
            }
            note = whyNot;
        }
        var loaded = new StageInputs(inputs, previousInputs, previousInputs.Count > 0 ? previous!.Run.Id : null);
        Publish(stage.Name, await RunStageAsync(run, planned, attempt, fingerprint, detail, loaded, snapshots, note, ct), available);
    }

    private async Task RecordSkippedAsync(RunRecord run, PlannedStage planned, IReadOnlyList<StageRunRecord> earlier, string reason, CancellationToken ct)
    {
        var attempt = earlier.Where(s => s.Stage == planned.Name).Select(s => s.Attempt).DefaultIfEmpty(0).Max() + 1;
        var now = Now();
        await ledger.InsertStageRunAsync(new StageRunRecord
        {
            Id = StageRunId(run.Id, planned, attempt), RunId = run.Id, Stage = planned.Name, Folder = planned.Folder,
            Attempt = attempt, Status = StageStatus.Skipped, Fingerprint = "", FingerprintDetail = "", StartedAt = now,
            FinishedAt = now, DurationMs = 0, Note = reason,
        }, ct);
        _log.LogWarning("{Stage}: skipped, {Reason}", planned.Name, reason);
    }

    private async Task<IReadOnlyList<ArtifactRecord>?> FinishedInThisRunAsync(
        PlannedStage planned, IReadOnlyList<StageRunRecord> earlier, string fingerprint, CancellationToken ct)
    {
        var finished = earlier.LastOrDefault(s => s.Stage == planned.Name && s.Fingerprint == fingerprint
                                                  && s.Status is StageStatus.Succeeded or StageStatus.Reused);
        if (finished is null)
            return null;
        var artifacts = await ledger.ArtifactsOfAsync(finished.Id, ct);
        return await FirstProblemAsync(planned.Stage, artifacts, ct) is null ? artifacts : null;
    }

    private async Task<(IReadOnlyList<ArtifactRecord>? Artifacts, string? WhyNot)> TryReuseAsync(
        RunRecord run, PlannedStage planned, long attempt, string fingerprint, string detail, CancellationToken ct)
    {
        string? whyNot = null;
        foreach (var candidate in await ledger.ReuseCandidatesAsync(planned.Name, fingerprint, ct))
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
            var id = StageRunId(run.Id, planned, attempt);
            var now = Now();
            var originRun = candidate.ReusedFromRun ?? candidate.RunId;
            var originStageRun = candidate.ReusedFromStageRun ?? candidate.Id;
            var copies = artifacts.Select(a => a with { StageRunId = id }).ToList();
            await ledger.InsertReusedStageRunAsync(new StageRunRecord
            {
                Id = id, RunId = run.Id, Stage = planned.Name, Folder = planned.Folder, Attempt = attempt,
                Status = StageStatus.Reused, Fingerprint = fingerprint, FingerprintDetail = detail, StartedAt = now,
                FinishedAt = now, DurationMs = 0, Rows = candidate.Rows, ReusedFromRun = originRun,
                ReusedFromStageRun = originStageRun,
            }, copies, ct);
            _log.LogInformation("{Stage}: reused from run {OriginRun} (fingerprint {Fingerprint})", planned.Name, originRun, fingerprint[..12]);
            return (copies, null);
        }
        return (null, whyNot);
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

    private async Task<IReadOnlyList<ArtifactRecord>> RunStageAsync(RunRecord run, PlannedStage planned, long attempt,
        string fingerprint, string detail, StageInputs inputs, IReadOnlyList<SourceSnapshot> snapshots,
        string? note, CancellationToken ct)
    {
        var stage = planned.Stage;
        var id = StageRunId(run.Id, planned, attempt);
        var record = new StageRunRecord
        {
            Id = id, RunId = run.Id, Stage = stage.Name, Folder = planned.Folder, Attempt = attempt, Status = StageStatus.Running,
            Fingerprint = fingerprint, FingerprintDetail = detail, StartedAt = Now(), Note = note,
        };
        await ledger.InsertStageRunAsync(record, ct);
        _log.LogInformation("{Stage}: running (attempt {Attempt}, fingerprint {Fingerprint})", stage.Name, attempt, fingerprint[..12]);
        var clock = Stopwatch.StartNew();
        var stageDir = paths.StageDir(run.Id, planned.Folder);
        try
        {
            // Leftovers of a killed attempt of this (unfinished) run: never recorded, never read, removed here.
            files.ClearDirectory(stageDir);
            var frames = new Dictionary<string, Frame>(StringComparer.Ordinal);
            foreach (var (key, input) in inputs.Current)
                frames[key] = await input.Load(ct);
            var previousFrames = new Dictionary<string, Frame>(StringComparer.Ordinal);
            foreach (var (key, input) in inputs.Previous)
                previousFrames[key] = await input.Load(ct);
            var stageLogger = loggers.CreateLogger("NQPF.Stages." + stage.Name);
            var memoDir = FileStageMemo.DirectoryFor(paths.ProcessedDir, stage.Name, fingerprint);
            var progress = new ProgressLogger(stage.Name, stageLogger, time, TimeSpan.FromSeconds(options.Value.ProgressLogSeconds));
            IReadOnlyList<SourceFile> sourceFiles = [.. snapshots.Select(SourceScanner.ToSourceFile)];
            var context = new StageContext(frames, sourceFiles, progress, stageLogger)
            {
                Config = new ConfigTables(sourceFiles, sheetReader, _configTables),
                Previous = previousFrames,
                PreviousRunId = inputs.PreviousRunId,
                Memo = new FileStageMemo(files, memoDir),
            };
            var result = await Task.Run(() => stage.Run(context, ct), ct);
            CheckResult(stage, result);
            var rendered = RenderersOf(stage).SelectMany(r => r.Render(result, stage.Settings)).ToList();
            var artifacts = new List<ArtifactRecord>();
            foreach (var output in stage.Outputs)
                artifacts.Add(await checkpoints.WriteTableAsync(id, stageDir, output, result.Tables[output], ct));
            foreach (var document in result.Documents.Concat(rendered))
                artifacts.Add(await checkpoints.WriteDocumentAsync(id, stageDir, document, ct));
            var rows = result.Tables.Values.Sum(t => (long)t.RowCount);
            await ledger.CompleteStageRunAsync(record with
            {
                Status = StageStatus.Succeeded, FinishedAt = Now(), DurationMs = clock.ElapsedMilliseconds, Rows = rows,
            }, artifacts, ct);
            // The stage's outputs are recorded: its chunk memo (kept only to resume an interrupted attempt) can go.
            if (Directory.Exists(memoDir))
                Directory.Delete(memoDir, recursive: true);
            _log.LogInformation("{Stage}: succeeded in {DurationMs} ms, {Rows} rows in {Tables} tables, {Documents} documents",
                stage.Name, clock.ElapsedMilliseconds, rows, stage.Outputs.Count, result.Documents.Count);
            return artifacts;
        }
        catch (Exception ex)
        {
            var error = ct.IsCancellationRequested && ex is OperationCanceledException ? "cancelled" : Describe(ex);
            await ledger.FailStageRunAsync(id, Now(), clock.ElapsedMilliseconds, error, CancellationToken.None);
            RemoveUnrecordedOutputs(stageDir);
            if (ex is PipelineException or OperationCanceledException)
                _log.LogError("{Stage}: failed: {Error}", stage.Name, error);
            else
                _log.LogError(ex, "{Stage}: failed with an unexpected {ExceptionType}", stage.Name, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// A failed attempt's files were never recorded, so nothing reads them; they are removed so that the run folder holds
    /// only what the ledger vouches for. If removal fails too (the same permission problem), the next attempt clears them.
    /// </summary>
    private void RemoveUnrecordedOutputs(string stageDir)
    {
        try
        {
            files.ClearDirectory(stageDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Files of the failed attempt remain in {StageDir} (never read; the next attempt removes them): {Error}",
                stageDir, ex.Message);
        }
    }

    private IEnumerable<IDocumentRenderer> RenderersOf(IStage stage) =>
        _renderers.Where(r => r.Stage == stage.Name).OrderBy(r => r.GetType().Name, StringComparer.Ordinal);

    /// <summary>The latest successful run started before <paramref name="run"/>, when its raw data differ from this run's.</summary>
    private async Task<PreviousRun?> PreviousRunAsync(RunRecord run, CancellationToken ct)
    {
        var latest = await ledger.LatestSucceededRunBeforeAsync(run.Id, run.StartedAt, ct);
        if (latest is null || latest.RawFingerprint == run.RawFingerprint)
            return null;
        return new PreviousRun(latest, await datasets.TablesOfRunAsync(latest.Id, ct));
    }

    /// <summary>Copies the documents of the run's report stage (wherever reuse left them) to runs/&lt;run-id&gt;/report/.</summary>
    private async Task PublishReportAsync(string runId, CancellationToken ct)
    {
        var report = (await ledger.StageRunsOfRunAsync(runId, ct))
            .LastOrDefault(s => s.Stage == ReportStage && s.Status is StageStatus.Succeeded or StageStatus.Reused);
        if (report is null)
            return;
        var target = Path.Combine(paths.RunDir(runId), ReportStage);
        foreach (var document in (await ledger.ArtifactsOfAsync(report.Id, ct)).Where(a => a.Kind == ArtifactKind.Document))
        {
            if (await checkpoints.VerifyAsync(document, ct) is { } problem)
                throw new MissingCheckpointException($"The report cannot be published: {problem}.");
            var bytes = await files.ReadAllBytesAsync(paths.Resolve(document.Path), ct);
            await files.WriteAtomicAsync(Path.Combine(target, document.Name), bytes, ct);
        }
        _log.LogInformation("Report of run {RunId}: {Path}", runId, Path.Combine(target, "index.html"));
    }

    private sealed record PreviousRun(RunRecord Run, IReadOnlyDictionary<string, ArtifactRecord> Tables);

    private sealed record StageInputs(
        IReadOnlyDictionary<string, DatasetInput> Current, IReadOnlyDictionary<string, DatasetInput> Previous, string? PreviousRunId);

    private static void CheckResult(IStage stage, StageResult result)
    {
        foreach (var output in stage.Outputs)
        {
            if (!result.Tables.ContainsKey(output))
                throw new StageContractException($"Stage '{stage.Name}' declared output '{output}' but did not return it.");
        }
        var undeclared = result.Tables.Keys.FirstOrDefault(k => !stage.Outputs.Contains(k));
        if (undeclared is not null)
            throw new StageContractException($"Stage '{stage.Name}' returned table '{undeclared}', which is not among its declared outputs.");
    }

    private static void Publish(string stage, IReadOnlyList<ArtifactRecord> artifacts, Dictionary<string, ArtifactRecord> available)
    {
        foreach (var artifact in artifacts.Where(a => a.Kind == ArtifactKind.Table))
            available[stage + "/" + artifact.Name] = artifact;
    }

    private async Task BackupLedgerAsync()
    {
        try
        {
            await ledger.BackupAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("The ledger backup was not refreshed: {Error}", ex.Message);
        }
    }

    /// <summary>Writes the run's heartbeat on every tick until the timer is disposed.</summary>
    private async Task HeartbeatAsync(string runId, PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            try
            {
                await ledger.HeartbeatAsync(runId, Now(), CancellationToken.None);
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                _log.LogWarning("Heartbeat of run {RunId} not recorded: {Error}", runId, ex.Message);
            }
        }
    }

    private int IndexOf(string stageName)
    {
        var position = plan.PositionOf(stageName);
        return plan.Stages.ToList().FindIndex(s => s.Position == position);
    }

    private static string StageRunId(string runId, PlannedStage planned, long attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{planned.Folder}/{attempt}");

    private string NewRunId() =>
        time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        RandomNumberGenerator.GetHexString(6, lowercase: true);

    private string Now() => IsoTime.Format(time.GetUtcNow());

    internal static string Describe(Exception ex) => ex is PipelineException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
}
