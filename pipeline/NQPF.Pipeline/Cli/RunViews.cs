using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;

namespace NQPF.Pipeline.Cli;

/// <summary>A stage run with its artifacts, as shown by <c>show</c>.</summary>
internal sealed record StageRunView(StageRunRecord StageRun, IReadOnlyList<ArtifactRecord> Artifacts);

/// <summary>A run with its stage runs and raw files, as shown by <c>show</c> and at the end of <c>run</c>.</summary>
internal sealed record RunView(RunRecord Run, bool Stale, IReadOnlyList<StageRunView> Stages, IReadOnlyList<RawFileRecord> RawFiles);

/// <summary>Loads and renders runs for people (aligned text) and tools (<c>--json</c>, camelCase).</summary>
internal static class RunViews
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<RunView> LoadAsync(LedgerRepository ledger, RunRecovery recovery, RunRecord run, CancellationToken ct)
    {
        var stages = new List<StageRunView>();
        foreach (var stageRun in await ledger.StageRunsOfRunAsync(run.Id, ct))
            stages.Add(new StageRunView(stageRun, await ledger.ArtifactsOfAsync(stageRun.Id, ct)));
        return new RunView(run, IsStale(recovery, run), stages, await ledger.RawFilesOfAsync(run.Id, ct));
    }

    public static bool IsStale(RunRecovery recovery, RunRecord run) => run.Status == RunStatus.Running && recovery.IsGone(run);

    public static string Status(RunRecord run, bool stale) => stale ? "running (stale: process gone)" : run.Status;

    public static string RunsTable(IReadOnlyList<(RunRecord Run, bool Stale, int Ran, int Reused)> runs)
    {
        if (runs.Count == 0)
            return "No runs yet.\n";
        var rows = runs.Select(r => new[]
        {
            r.Run.Id, Status(r.Run, r.Stale), r.Run.Trigger, r.Run.StartedAt, Duration(r.Run.StartedAt, r.Run.FinishedAt),
            r.Ran.ToString(CultureInfo.InvariantCulture), r.Reused.ToString(CultureInfo.InvariantCulture), r.Run.Error ?? "",
        });
        return Table(["run", "status", "trigger", "started (UTC)", "duration", "ran", "reused", "error"], rows);
    }

    public static string Describe(RunView view)
    {
        var run = view.Run;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Run {run.Id}: {Status(run, view.Stale)} (trigger {run.Trigger})\n");
        text.Append(CultureInfo.InvariantCulture, $"  started {run.StartedAt}, finished {run.FinishedAt ?? "-"}, duration {Duration(run.StartedAt, run.FinishedAt)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  host {run.Host}, pid {run.Pid}, code {run.CodeVersion}\n");
        text.Append(CultureInfo.InvariantCulture, $"  config {run.ConfigHash[..12]}, raw data {run.RawFingerprint[..12]} ({view.RawFiles.Count} files)");
        if (run.FromStage is not null || run.ToStage is not null || run.Force)
            text.Append(CultureInfo.InvariantCulture, $", from {run.FromStage ?? "start"} to {run.ToStage ?? "end"}{(run.Force ? ", forced" : "")}");
        text.Append('\n');
        if (run.Error is not null)
            text.Append(CultureInfo.InvariantCulture, $"  error: {run.Error}\n");
        if (view.Stages.Count == 0)
            return text.Append("  no stages\n").ToString();
        text.Append('\n').Append(Table(["stage", "attempt", "status", "duration", "rows", "reused from", "error / note"],
            view.Stages.Select(s => new[]
            {
                s.StageRun.Folder, s.StageRun.Attempt.ToString(CultureInfo.InvariantCulture), s.StageRun.Status,
                s.StageRun.DurationMs is { } ms ? FormatMs(ms) : "-", s.StageRun.Rows?.ToString(CultureInfo.InvariantCulture) ?? "-",
                s.StageRun.ReusedFromRun ?? "", s.StageRun.Error ?? s.StageRun.Note ?? "",
            })));
        var artifacts = view.Stages.Where(s => s.StageRun.Status is StageStatus.Succeeded or StageStatus.Reused)
            .SelectMany(s => s.Artifacts).ToList();
        if (artifacts.Count > 0)
        {
            text.Append('\n').Append(Table(["artifact", "kind", "rows", "bytes", "sha256"], artifacts.Select(a => new[]
            {
                a.Path, a.Kind, a.Rows?.ToString(CultureInfo.InvariantCulture) ?? "", a.Bytes.ToString(CultureInfo.InvariantCulture), a.Sha256[..16],
            })));
        }
        return text.ToString();
    }

    public static string Duration(string startedAt, string? finishedAt) =>
        finishedAt is null ? "-" : FormatMs((long)(IsoTime.Parse(finishedAt) - IsoTime.Parse(startedAt)).TotalMilliseconds);

    private static string FormatMs(long ms) => ms < 10_000
        ? ms.ToString(CultureInfo.InvariantCulture) + " ms"
        : (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s";

    internal static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }
}
