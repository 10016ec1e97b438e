using System.Threading.Channels;
using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Stages;
using NQPF.Stages;

namespace NQPF.Pipeline.Watch;

/// <summary>
/// The long-running worker behind <c>watch</c>. It starts a run (a) when files under the raw folder change — after the
/// changes have been quiet for <see cref="WatchOptions.DebounceSeconds"/>, every file kept its size and time for
/// <see cref="WatchOptions.StableSeconds"/> and none is still open in another process, so a file still being copied is not read — and (b) on the cron
/// <see cref="WatchOptions.Schedule"/>; in both cases only when the raw-data fingerprint or the configuration differs
/// from the latest completed run's (a cancelled or interrupted run does not count), so touching a file without
/// changing it starts nothing. File-system events are backed by a
/// poll in case events are lost. A failed run is logged and the worker keeps watching; SIGTERM/Ctrl-C stop it with exit 0.
/// </summary>
internal sealed class WatchWorker(
    PipelineRunner runner,
    LedgerRepository ledger,
    SourceScanner sources,
    StagePlan plan,
    PipelinePaths paths,
    IOptions<WatchOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<WatchWorker> logger) : BackgroundService
{
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();
    private readonly WatchOptions _options = options.Value;
    private IReadOnlyList<(string Path, long Size, DateTime Modified)> _lastListing = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Watch stopped");
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Watch failed: {Error}", ex.Message);
            // A faulted BackgroundService does not set the exit code by itself.
            Environment.ExitCode = ex is ConfigValidationException ? 2 : 1;
            lifetime.StopApplication();
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        if (!Directory.Exists(paths.RawDir))
            throw new ConfigValidationException($"The raw folder '{paths.RawDir}' does not exist.");
        using var watcher = new FileSystemWatcher(paths.RawDir)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Changed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Deleted += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Renamed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Error += (_, e) =>
        {
            logger.LogWarning("File-system events lost ({Error}); checking the raw folder", e.GetException().Message);
            _changes.Writer.TryWrite(paths.RawDir);
        };
        watcher.EnableRaisingEvents = true;
        var schedule = string.IsNullOrWhiteSpace(_options.Schedule) ? null : CronExpression.Parse(_options.Schedule);
        var zone = string.IsNullOrWhiteSpace(_options.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
        logger.LogInformation("Watching {RawDir} (schedule: {Schedule}); stop with Ctrl-C or SIGTERM",
            paths.RawDir, schedule is null ? "none" : _options.Schedule);

        await WaitUntilStableAsync(ct);
        await RunIfChangedAsync("watch", ct);
        var nextScheduled = schedule?.GetNextOccurrence(time.GetUtcNow(), zone);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var wait = TimeSpan.FromSeconds(_options.PollSeconds);
            if (nextScheduled is { } due && due - time.GetUtcNow() < wait)
                wait = due - time.GetUtcNow() > TimeSpan.Zero ? due - time.GetUtcNow() : TimeSpan.Zero;
            var changed = _changes.Reader.WaitToReadAsync(ct).AsTask();
            await Task.WhenAny(changed, Task.Delay(wait, time, ct));
            ct.ThrowIfCancellationRequested();
            if (nextScheduled is { } scheduled && time.GetUtcNow() >= scheduled)
            {
                nextScheduled = schedule!.GetNextOccurrence(time.GetUtcNow(), zone);
                await RunIfChangedAsync("schedule", ct);
            }
            else if (Drain() || !sources.RawListing().SequenceEqual(_lastListing))
            {
                await WaitUntilStableAsync(ct);
                await RunIfChangedAsync("watch", ct);
            }
        }
    }

    /// <summary>
    /// Waits until no change event arrived for the debounce time, the raw listing (size and time of every file) stayed
    /// the same for <see cref="WatchOptions.StableSeconds"/>, and no raw file is still held open by another process.
    /// </summary>
    private async Task WaitUntilStableAsync(CancellationToken ct)
    {
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.DebounceSeconds), time, ct);
        }
        while (Drain());
        IReadOnlyList<string> announced = [];
        while (true)
        {
            var before = sources.RawListing();
            await Task.Delay(TimeSpan.FromSeconds(_options.StableSeconds), time, ct);
            var after = sources.RawListing();
            var quiet = !Drain();
            if (quiet && before.SequenceEqual(after))
            {
                var inUse = sources.RawFilesInUse();
                if (inUse.Count == 0)
                {
                    _lastListing = after;
                    return;
                }
                if (!inUse.SequenceEqual(announced))
                {
                    logger.LogInformation("Raw file(s) {Files} still open in another process (a copy in progress?); waiting", string.Join(", ", inUse));
                    announced = inUse;
                }
                continue;
            }
            logger.LogDebug("Raw folder still changing; waiting");
        }
    }

    private async Task RunIfChangedAsync(string trigger, CancellationToken ct)
    {
        var (_, rawFingerprint) = await sources.RawFingerprintAsync(ct);
        var configHash = Fingerprints.ConfigHash(plan);
        var latest = ledger.Exists ? await ledger.LatestCompletedRunAsync(ct) : null;
        if (latest is not null && latest.RawFingerprint == rawFingerprint && latest.ConfigHash == configHash
            && latest.CodeVersion == Fingerprints.CodeVersion)
        {
            logger.LogInformation("No run ({Trigger}): raw data and configuration unchanged since run {RunId}", trigger, latest.Id);
            return;
        }
        try
        {
            var outcome = await runner.RunAsync(new RunRequest(trigger), ct);
            logger.LogInformation("Run {RunId} ({Trigger}) ended {Status}", outcome.RunId, trigger, outcome.Status);
        }
        catch (WriterLockUnavailableException ex)
        {
            logger.LogWarning("Run postponed: {Error}", ex.Message);
            _lastListing = [];
        }
    }

    private bool Drain()
    {
        var any = false;
        while (_changes.Reader.TryRead(out _))
            any = true;
        return any;
    }
}
