namespace NQPF.Pipeline.Ledger;

/// <summary>
/// Versioned schema of the ledger. Append a new entry to change the schema; never edit an applied one.
/// Times are ISO-8601 UTC text, ids are text, paths are relative to the processed folder with '/'.
/// </summary>
internal static class LedgerMigrations
{
    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "initial", """
            CREATE TABLE runs (
                id              TEXT PRIMARY KEY,
                trigger         TEXT NOT NULL,
                status          TEXT NOT NULL,
                started_at      TEXT NOT NULL,
                finished_at     TEXT,
                heartbeat_at    TEXT NOT NULL,
                config_hash     TEXT NOT NULL,
                raw_fingerprint TEXT NOT NULL,
                code_version    TEXT NOT NULL,
                host            TEXT NOT NULL,
                pid             INTEGER NOT NULL,
                from_stage      TEXT,
                to_stage        TEXT,
                force           INTEGER NOT NULL DEFAULT 0,
                error           TEXT
            );
            CREATE INDEX ix_runs_started ON runs(started_at);
            CREATE TABLE stage_runs (
                id                    TEXT PRIMARY KEY,
                run_id                TEXT NOT NULL REFERENCES runs(id),
                stage                 TEXT NOT NULL,
                folder                TEXT NOT NULL,
                attempt               INTEGER NOT NULL,
                status                TEXT NOT NULL,
                fingerprint           TEXT NOT NULL,
                fingerprint_detail    TEXT NOT NULL,
                started_at            TEXT NOT NULL,
                finished_at           TEXT,
                duration_ms           INTEGER,
                rows                  INTEGER,
                reused_from_run       TEXT,
                reused_from_stage_run TEXT,
                note                  TEXT,
                error                 TEXT,
                UNIQUE (run_id, stage, attempt)
            );
            CREATE INDEX ix_stage_runs_fingerprint ON stage_runs(stage, fingerprint, status);
            CREATE TABLE artifacts (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                stage_run_id TEXT NOT NULL REFERENCES stage_runs(id),
                name         TEXT NOT NULL,
                kind         TEXT NOT NULL,
                path         TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                rows         INTEGER,
                bytes        INTEGER NOT NULL,
                schema       TEXT,
                UNIQUE (stage_run_id, kind, name)
            );
            CREATE TABLE raw_files (
                run_id      TEXT NOT NULL REFERENCES runs(id),
                path        TEXT NOT NULL,
                sha256      TEXT NOT NULL,
                size        INTEGER NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (run_id, path)
            );
            """),
    ];
}
