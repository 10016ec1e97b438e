using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Detects runs whose process died (kill -9, power loss): a run still marked "running" whose pid is gone on this
/// host, whose pid now belongs to a process started later, or whose heartbeat is stale. Called by writers while they
/// hold the writer lock, which no live run can be without; such runs are marked interrupted and can be resumed.
/// </summary>
internal sealed class RunRecovery(LedgerRepository ledger, IOptions<PipelineOptions> options, TimeProvider time, ILogger<RunRecovery> logger)
{
    private static readonly ConcurrentDictionary<string, byte> ActiveHere = new(StringComparer.Ordinal);

    public static void MarkActive(string runId) => ActiveHere[runId] = 0;

    public static void MarkInactive(string runId) => ActiveHere.TryRemove(runId, out _);

    public async Task RecoverAsync(CancellationToken ct)
    {
        if (!ledger.Exists)
            return;
        foreach (var run in await ledger.RunsWithStatusAsync(RunStatus.Running, ct))
        {
            if (!IsGone(run))
                throw new WriterLockUnavailableException(
                    $"Run {run.Id} (pid {run.Pid} on {run.Host}) still sends heartbeats although the writer lock is free; " +
                    "refusing to write. Is the processed folder on a file system without working locks?");
            var reason = $"interrupted: process {run.Pid} on {run.Host} stopped without finishing (last heartbeat {run.HeartbeatAt})";
            await ledger.MarkInterruptedAsync(run.Id, IsoTime.Format(time.GetUtcNow()), reason, ct);
            logger.LogWarning("Run {RunId} was interrupted (pid {Pid}, last heartbeat {Heartbeat}); `resume {RunId}` continues it",
                run.Id, run.Pid, run.HeartbeatAt, run.Id);
        }
    }

    /// <summary>True when the run's process can no longer be working on it.</summary>
    public bool IsGone(RunRecord run)
    {
        if (ActiveHere.ContainsKey(run.Id))
            return false;
        var heartbeat = IsoTime.Parse(run.HeartbeatAt);
        if (time.GetUtcNow() - heartbeat > TimeSpan.FromSeconds(options.Value.StaleAfterSeconds))
            return true;
        if (!string.Equals(run.Host, Environment.MachineName, StringComparison.Ordinal))
            return false;
        if (run.Pid == Environment.ProcessId)
            return true;
        try
        {
            using var process = Process.GetProcessById(checked((int)run.Pid));
            return process.HasExited || process.StartTime.ToUniversalTime() > heartbeat.UtcDateTime;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
