using Dapper;
using Microsoft.Data.Sqlite;

namespace NQPF.Pipeline.Ledger;

/// <summary>Reads and writes the ledger's rows. Callers pass times already formatted by <see cref="IsoTime"/>.</summary>
internal sealed class LedgerRepository(LedgerDatabase db)
{
    private const string RunColumns =
        "id, trigger, status, started_at, finished_at, heartbeat_at, config_hash, raw_fingerprint, code_version, host, pid, from_stage, to_stage, force, error";

    private const string StageRunColumns =
        "id, run_id, stage, folder, attempt, status, fingerprint, fingerprint_detail, started_at, finished_at, duration_ms, rows, reused_from_run, reused_from_stage_run, note, error";

    private const string ArtifactColumns = "stage_run_id, name, kind, path, sha256, rows, bytes, schema";

    public bool Exists => db.Exists;

    public Task BackupAsync(CancellationToken ct) => db.BackupAsync(ct);

    public Task InsertRunAsync(RunRecord run, IReadOnlyList<RawFileRecord> rawFiles, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                $"INSERT INTO runs({RunColumns}) VALUES (@Id, @Trigger, @Status, @StartedAt, @FinishedAt, @HeartbeatAt, @ConfigHash, @RawFingerprint, @CodeVersion, @Host, @Pid, @FromStage, @ToStage, @Force, @Error);",
                run, tx);
            await c.ExecuteAsync(
                "INSERT INTO raw_files(run_id, path, sha256, size, modified_at) VALUES (@RunId, @Path, @Sha256, @Size, @ModifiedAt);",
                rawFiles, tx);
        }, ct);

    public Task<RunRecord?> FindRunAsync(string runId, CancellationToken ct) =>
        QueryAsync(c => c.QuerySingleOrDefaultAsync<RunRecord>($"SELECT {RunColumns} FROM runs WHERE id = @runId;", new { runId }), ct);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<RunRecord>>(async c => [.. await c.QueryAsync<RunRecord>(
            $"SELECT {RunColumns} FROM runs ORDER BY started_at DESC, id DESC LIMIT @limit;", new { limit })], ct);

    public Task<IReadOnlyList<string>> RunIdsAsync(CancellationToken ct) =>
        QueryAsync<IReadOnlyList<string>>(async c => [.. await c.QueryAsync<string>("SELECT id FROM runs;")], ct);

    /// <summary>The newest run that ran to an end (succeeded or failed); cancelled and interrupted runs do not count.</summary>
    public Task<RunRecord?> LatestCompletedRunAsync(CancellationToken ct) =>
        QueryAsync(c => c.QuerySingleOrDefaultAsync<RunRecord>(
            $"SELECT {RunColumns} FROM runs WHERE status IN ('succeeded', 'failed') ORDER BY started_at DESC, id DESC LIMIT 1;"), ct);

    /// <summary>The newest succeeded run other than <paramref name="runId"/> that started before <paramref name="startedAt"/>.</summary>
    public Task<RunRecord?> LatestSucceededRunBeforeAsync(string runId, string startedAt, CancellationToken ct) =>
        QueryAsync(c => c.QuerySingleOrDefaultAsync<RunRecord>(
            $"SELECT {RunColumns} FROM runs WHERE status = 'succeeded' AND id <> @runId AND started_at <= @startedAt ORDER BY started_at DESC, id DESC LIMIT 1;",
            new { runId, startedAt }), ct);

    public Task<IReadOnlyList<RunRecord>> RunsWithStatusAsync(string status, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<RunRecord>>(async c => [.. await c.QueryAsync<RunRecord>(
            $"SELECT {RunColumns} FROM runs WHERE status = @status;", new { status })], ct);

    public Task UpdateRunAsync(string runId, string status, string? finishedAt, string? error, CancellationToken ct) =>
        ExecuteAsync("UPDATE runs SET status = @status, finished_at = @finishedAt, error = @error WHERE id = @runId;",
            new { runId, status, finishedAt, error }, ct);

    /// <summary>Takes over a run for <c>resume</c>: new pid, host and heartbeat, status running.</summary>
    public Task ReopenRunAsync(string runId, string host, long pid, string now, CancellationToken ct) =>
        ExecuteAsync("UPDATE runs SET status = 'running', finished_at = NULL, error = NULL, host = @host, pid = @pid, heartbeat_at = @now WHERE id = @runId;",
            new { runId, host, pid, now }, ct);

    public Task HeartbeatAsync(string runId, string now, CancellationToken ct) =>
        ExecuteAsync("UPDATE runs SET heartbeat_at = @now WHERE id = @runId AND status = 'running';", new { runId, now }, ct);

    /// <summary>Marks a run whose process is gone, and its unfinished stage runs, as interrupted.</summary>
    public Task MarkInterruptedAsync(string runId, string now, string reason, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                "UPDATE stage_runs SET status = 'failed', finished_at = @now, error = @reason WHERE run_id = @runId AND status IN ('running', 'pending');",
                new { runId, now, reason }, tx);
            await c.ExecuteAsync(
                "UPDATE runs SET status = 'interrupted', finished_at = @now, error = @reason WHERE id = @runId AND status = 'running';",
                new { runId, now, reason }, tx);
        }, ct);

    public Task InsertStageRunAsync(StageRunRecord stageRun, CancellationToken ct) =>
        ExecuteAsync(
            $"INSERT INTO stage_runs({StageRunColumns}) VALUES (@Id, @RunId, @Stage, @Folder, @Attempt, @Status, @Fingerprint, @FingerprintDetail, @StartedAt, @FinishedAt, @DurationMs, @Rows, @ReusedFromRun, @ReusedFromStageRun, @Note, @Error);",
            stageRun, ct);

    /// <summary>Records a finished stage run and its artifacts in one transaction.</summary>
    public Task CompleteStageRunAsync(StageRunRecord stageRun, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                $"INSERT INTO artifacts({ArtifactColumns}) VALUES (@StageRunId, @Name, @Kind, @Path, @Sha256, @Rows, @Bytes, @Schema);",
                artifacts, tx);
            await c.ExecuteAsync(
                "UPDATE stage_runs SET status = @Status, finished_at = @FinishedAt, duration_ms = @DurationMs, rows = @Rows, note = @Note, error = @Error WHERE id = @Id;",
                stageRun, tx);
        }, ct);

    public Task InsertReusedStageRunAsync(StageRunRecord stageRun, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                $"INSERT INTO stage_runs({StageRunColumns}) VALUES (@Id, @RunId, @Stage, @Folder, @Attempt, @Status, @Fingerprint, @FingerprintDetail, @StartedAt, @FinishedAt, @DurationMs, @Rows, @ReusedFromRun, @ReusedFromStageRun, @Note, @Error);",
                stageRun, tx);
            await c.ExecuteAsync(
                $"INSERT INTO artifacts({ArtifactColumns}) VALUES (@StageRunId, @Name, @Kind, @Path, @Sha256, @Rows, @Bytes, @Schema);",
                artifacts, tx);
        }, ct);

    public Task FailStageRunAsync(string stageRunId, string finishedAt, long durationMs, string error, CancellationToken ct) =>
        ExecuteAsync("UPDATE stage_runs SET status = 'failed', finished_at = @finishedAt, duration_ms = @durationMs, error = @error WHERE id = @stageRunId;",
            new { stageRunId, finishedAt, durationMs, error }, ct);

    public Task<IReadOnlyList<StageRunRecord>> StageRunsOfRunAsync(string runId, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<StageRunRecord>>(async c => [.. await c.QueryAsync<StageRunRecord>(
            $"SELECT {StageRunColumns} FROM stage_runs WHERE run_id = @runId ORDER BY folder, attempt;", new { runId })], ct);

    /// <summary>Finished stage runs with this fingerprint, newest first: candidates for reuse.</summary>
    public Task<IReadOnlyList<StageRunRecord>> ReuseCandidatesAsync(string stage, string fingerprint, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<StageRunRecord>>(async c => [.. await c.QueryAsync<StageRunRecord>(
            $"SELECT {StageRunColumns} FROM stage_runs WHERE stage = @stage AND fingerprint = @fingerprint AND status IN ('succeeded', 'reused') ORDER BY finished_at DESC LIMIT 20;",
            new { stage, fingerprint })], ct);

    public Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(string stageRunId, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<ArtifactRecord>>(async c => [.. await c.QueryAsync<ArtifactRecord>(
            $"SELECT {ArtifactColumns} FROM artifacts WHERE stage_run_id = @stageRunId ORDER BY kind DESC, name;", new { stageRunId })], ct);

    public Task<IReadOnlyList<RawFileRecord>> RawFilesOfAsync(string runId, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<RawFileRecord>>(async c => [.. await c.QueryAsync<RawFileRecord>(
            "SELECT run_id, path, sha256, size, modified_at FROM raw_files WHERE run_id = @runId ORDER BY path;", new { runId })], ct);

    private async Task<T> QueryAsync<T>(Func<SqliteConnection, Task<T>> query, CancellationToken ct) =>
        await db.WithConnectionAsync(query, ct);

    private Task ExecuteAsync(string sql, object args, CancellationToken ct) =>
        QueryAsync(c => c.ExecuteAsync(sql, args), ct);

    private async Task InTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct) =>
        await db.WithConnectionAsync(async c =>
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            await work(c, tx);
            await tx.CommitAsync(ct);
            return 0;
        }, ct);
}
