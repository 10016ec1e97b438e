using System.Diagnostics;
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
/// Execute: runs one stage on its loaded inputs and source files, checks that it returned exactly the tables it
/// declared, writes its tables and documents atomically into <c>runs/&lt;run-id&gt;/&lt;NN-stage&gt;/</c>, and records the
/// stage run in the ledger (or its failure, removing the files the failed attempt left).
/// </summary>
internal sealed class StageExecutor(
    LedgerRepository ledger,
    CheckpointStore checkpoints,
    IFileStore files,
    PipelinePaths paths,
    IOptions<PipelineOptions> options,
    StageRenderers renderers,
    ISheetReader sheetReader,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("NQPF.Pipeline.Runner");

    // Parsed configuration tables of the current run: each is parsed once per run, however many stages read it.
    private ConfigTableCache _configTables = new();

    /// <summary>Starts a run: configuration tables are parsed afresh.</summary>
    public void BeginRun() => _configTables = new ConfigTableCache();

    public async Task<IReadOnlyList<ArtifactRecord>> RunAsync(RunRecord run, PlannedStage planned, long attempt,
        StageFingerprint plan, string? note, CancellationToken ct)
    {
        var stage = planned.Stage;
        var record = new StageRunRecord
        {
            Id = StageRunIds.StageRunId(run.Id, planned, attempt), RunId = run.Id, Stage = stage.Name, Folder = planned.Folder,
            Attempt = attempt, Status = StageStatus.Running, Fingerprint = plan.Fingerprint, FingerprintDetail = plan.Detail,
            StartedAt = StageRunIds.Now(time), Note = note,
        };
        await ledger.InsertStageRunAsync(record, ct);
        _log.LogInformation("{Stage}: running (attempt {Attempt}, fingerprint {Fingerprint})", stage.Name, attempt, plan.Fingerprint[..12]);
        var clock = Stopwatch.StartNew();
        // Process CPU (user + sys, all threads) beside wall time: on a shared machine wall time mostly measures the load.
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var stageDir = paths.StageDir(run.Id, planned.Folder);
        try
        {
            // Leftovers of a killed attempt of this (unfinished) run: never recorded, never read, removed here.
            files.ClearDirectory(stageDir);
            var memoDir = FileStageMemo.DirectoryFor(paths.ProcessedDir, stage.Name, plan.Fingerprint);
            var context = await ContextAsync(stage, plan, memoDir, ct);
            var result = await Task.Run(() => stage.Run(context, ct), ct);
            CheckResult(stage, result);
            var artifacts = await WriteAsync(stage, record.Id, stageDir, result, ct);
            var rows = result.Tables.Values.Sum(t => (long)t.RowCount);
            await ledger.CompleteStageRunAsync(record with
            {
                Status = StageStatus.Succeeded, FinishedAt = StageRunIds.Now(time), DurationMs = clock.ElapsedMilliseconds, Rows = rows,
            }, artifacts, ct);
            // The stage's outputs are recorded: its chunk memo (kept only to resume an interrupted attempt) can go.
            files.DeleteDirectory(memoDir);
            var cpuMs = (long)(Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds;
            _log.LogInformation("{Stage}: succeeded in {DurationMs} ms (CPU {CpuMs} ms), {Rows} rows in {Tables} tables, {Documents} documents",
                stage.Name, clock.ElapsedMilliseconds, cpuMs, rows, stage.Outputs.Count, result.Documents.Count);
            return artifacts;
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(stage, record.Id, stageDir, clock.ElapsedMilliseconds, ex, ct);
            throw;
        }
    }

    private async Task<StageContext> ContextAsync(IStage stage, StageFingerprint plan, string memoDir, CancellationToken ct)
    {
        var frames = new Dictionary<string, Frame>(StringComparer.Ordinal);
        foreach (var (key, input) in plan.Inputs)
            frames[key] = await input.LoadColumns(stage.InputColumns.GetValueOrDefault(key), ct);
        var previousFrames = new Dictionary<string, Frame>(StringComparer.Ordinal);
        foreach (var (key, input) in plan.PreviousInputs)
            previousFrames[key] = await input.Load(ct);
        var stageLogger = loggers.CreateLogger("NQPF.Stages." + stage.Name);
        var progress = new ProgressLogger(stage.Name, stageLogger, time, TimeSpan.FromSeconds(options.Value.ProgressLogSeconds));
        IReadOnlyList<SourceFile> sourceFiles = [.. plan.Sources.Select(SourceScanner.ToSourceFile)];
        return new StageContext(frames, sourceFiles, progress, stageLogger)
        {
            Config = new ConfigTables(sourceFiles, sheetReader, _configTables),
            Previous = previousFrames,
            PreviousRunId = plan.PreviousRunId,
            Memo = new FileStageMemo(files, memoDir),
        };
    }

    private async Task<List<ArtifactRecord>> WriteAsync(IStage stage, string stageRunId, string stageDir, StageResult result, CancellationToken ct)
    {
        // The report's formats (Word, LaTeX, HTML, Excel) are written from the same tables independently: side by side.
        var rendered = Concurrently.Map([.. renderers.Of(stage)], r => r.Render(result, stage.Settings).ToList(), ct).SelectMany(d => d).ToList();
        var artifacts = new List<ArtifactRecord>();
        foreach (var output in stage.Outputs)
            artifacts.Add(await checkpoints.WriteTableAsync(stageRunId, stageDir, output, result.Tables[output], ct));
        foreach (var document in result.Documents.Concat(rendered))
            artifacts.Add(await checkpoints.WriteDocumentAsync(stageRunId, stageDir, document, ct));
        return artifacts;
    }

    private async Task RecordFailureAsync(IStage stage, string stageRunId, string stageDir, long elapsedMs, Exception ex, CancellationToken ct)
    {
        var error = ct.IsCancellationRequested && ex is OperationCanceledException ? "cancelled" : StageRunIds.Describe(ex);
        await ledger.FailStageRunAsync(stageRunId, StageRunIds.Now(time), elapsedMs, error, CancellationToken.None);
        RemoveUnrecordedOutputs(stageDir);
        if (ex is PipelineException or OperationCanceledException)
            _log.LogError("{Stage}: failed: {Error}", stage.Name, error);
        else
            _log.LogError(ex, "{Stage}: failed with an unexpected {ExceptionType}", stage.Name, ex.GetType().Name);
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

    /// <summary>A stage that returns other tables than it declared is defective, whatever its data.</summary>
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
}
