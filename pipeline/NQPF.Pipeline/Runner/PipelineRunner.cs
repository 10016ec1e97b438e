using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Stages;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Runs the registered stages in order under the writer lock (<see cref="RunGuard"/>). For each stage,
/// <see cref="ReusePlanner"/> resolves its inputs and fingerprint and finds a reusable earlier result;
/// otherwise <see cref="StageExecutor"/> runs it and records its outputs. Everything is recorded in the ledger; a failure
/// marks the stage and the run failed and stops the run, which <see cref="ResumeAsync"/> can continue. After a
/// successful run <see cref="ReportPublisher"/> publishes the report folder and backs up the ledger.
/// </summary>
internal sealed class PipelineRunner(
    StagePlan plan,
    LedgerRepository ledger,
    SourceScanner sources,
    RunGuard guard,
    ReusePlanner planner,
    StageExecutor executor,
    ReportPublisher publisher,
    PipelinePaths paths,
    IOptions<PipelineOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("NQPF.Pipeline.Runner");

    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken ct)
    {
        var from = request.From is null ? null : plan.Stages[IndexOf(request.From)].Name;
        var to = request.To is null ? null : plan.Stages[IndexOf(request.To)].Name;
        if (from is not null && to is not null && plan.PositionOf(from) > plan.PositionOf(to))
            throw new UsageException($"--from {from} comes after --to {to}.");
        using var writer = await guard.EnterAsync(request.Trigger, ct);
        var (rawFiles, rawFingerprint) = await sources.RawFingerprintAsync(ct);
        var now = Now();
        var run = new RunRecord
        {
            Id = StageRunIds.NewRunId(time), Trigger = request.Trigger, Status = RunStatus.Running, StartedAt = now, HeartbeatAt = now,
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
        using var writer = await guard.EnterAsync("resume " + runId, ct);
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
        executor.BeginRun();
        var heartbeatTimer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        var heartbeat = HeartbeatAsync(run.Id, heartbeatTimer);
        try
        {
            var fromPosition = run.FromStage is null ? int.MaxValue : plan.PositionOf(run.FromStage);
            var toPosition = run.ToStage is null ? int.MaxValue : plan.PositionOf(run.ToStage);
            var available = new Dictionary<string, ArtifactRecord>(StringComparer.Ordinal);
            var previous = plan.Stages.Any(s => s.Stage.PreviousInputs.Count > 0) ? await planner.PreviousRunAsync(run, ct) : null;
            foreach (var stage in plan.Stages.Where(s => s.Position <= toPosition))
                await ExecuteStageAsync(run, stage, run.Force || stage.Position >= fromPosition, earlier, available, previous, ct);
            await publisher.PublishAsync(run.Id, ct);
            await ledger.UpdateRunAsync(run.Id, RunStatus.Succeeded, Now(), null, CancellationToken.None);
            _log.LogInformation("Run {RunId} succeeded", run.Id);
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
            var error = StageRunIds.Describe(ex);
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
        var fingerprint = await planner.FingerprintAsync(run, stage, available, previous, ct);
        var kept = await planner.FinishedInThisRunAsync(planned, earlier, fingerprint.Fingerprint, ct);
        if (kept is not null)
        {
            Publish(stage.Name, kept, available);
            _log.LogInformation("{Stage}: kept from the earlier attempt of this run", stage.Name);
            return;
        }
        var attempt = StageRunIds.NextAttempt(earlier, stage.Name);
        string? note = null;
        if (!forced)
        {
            var (reused, whyNot) = await planner.TryReuseAsync(run, planned, attempt, fingerprint, ct);
            if (reused is not null)
            {
                Publish(stage.Name, reused, available);
                return;
            }
            note = whyNot;
        }
        Publish(stage.Name, await executor.RunAsync(run, planned, attempt, fingerprint, note, ct), available);
    }

    private async Task RecordSkippedAsync(RunRecord run, PlannedStage planned, IReadOnlyList<StageRunRecord> earlier, string reason, CancellationToken ct)
    {
        var attempt = StageRunIds.NextAttempt(earlier, planned.Name);
        var now = Now();
        await ledger.InsertStageRunAsync(new StageRunRecord
        {
            Id = StageRunIds.StageRunId(run.Id, planned, attempt), RunId = run.Id, Stage = planned.Name, Folder = planned.Folder,
            Attempt = attempt, Status = StageStatus.Skipped, Fingerprint = "", FingerprintDetail = "", StartedAt = now,
            FinishedAt = now, DurationMs = 0, Note = reason,
        }, ct);
        _log.LogWarning("{Stage}: skipped, {Reason}", planned.Name, reason);
    }

    private static void Publish(string stage, IReadOnlyList<ArtifactRecord> artifacts, Dictionary<string, ArtifactRecord> available)
    {
        foreach (var artifact in artifacts.Where(a => a.Kind == ArtifactKind.Table))
            available[stage + "/" + artifact.Name] = artifact;
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

    private string Now() => StageRunIds.Now(time);
}
