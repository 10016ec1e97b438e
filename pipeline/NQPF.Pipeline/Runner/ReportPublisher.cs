using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// What a successful run publishes beyond its checkpoints: the report stage's documents copied to
/// <c>runs/&lt;run-id&gt;/report/</c> (wherever reuse left them, so every successful run has its report at that path),
/// and a refreshed backup of the ledger.
/// </summary>
internal sealed class ReportPublisher(LedgerRepository ledger, CheckpointStore checkpoints, IFileStore files, PipelinePaths paths, ILoggerFactory loggers)
{
    /// <summary>The stage whose documents are published as the run's report folder.</summary>
    public const string ReportStage = Datasets.Report.Stage;

    private readonly ILogger _log = loggers.CreateLogger("NQPF.Pipeline.Runner");

    public async Task PublishAsync(string runId, CancellationToken ct)
    {
        await PublishReportAsync(runId, ct);
        await BackupLedgerAsync();
    }

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
}
