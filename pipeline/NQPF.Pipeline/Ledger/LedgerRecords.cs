namespace NQPF.Pipeline.Ledger;

internal static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
    public const string Cancelled = "cancelled";
}

internal static class StageStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Reused = "reused";

    /// <summary>Not runnable in this build: an input comes from a stage that is not registered yet.</summary>
    public const string Skipped = "skipped";
}

/// <summary>A row of <c>runs</c>.</summary>
internal sealed record RunRecord
{
    public string Id { get; init; } = "";
    public string Trigger { get; init; } = "";
    public string Status { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string? FinishedAt { get; init; }
    public string HeartbeatAt { get; init; } = "";
    public string ConfigHash { get; init; } = "";
    public string RawFingerprint { get; init; } = "";
    public string CodeVersion { get; init; } = "";
    public string Host { get; init; } = "";
    public long Pid { get; init; }
    public string? FromStage { get; init; }
    public string? ToStage { get; init; }
    public bool Force { get; init; }
    public string? Error { get; init; }
}

/// <summary>A row of <c>stage_runs</c>.</summary>
internal sealed record StageRunRecord
{
    public string Id { get; init; } = "";
    public string RunId { get; init; } = "";
    public string Stage { get; init; } = "";
    public string Folder { get; init; } = "";
    public long Attempt { get; init; }
    public string Status { get; init; } = "";
    public string Fingerprint { get; init; } = "";
    public string FingerprintDetail { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string? FinishedAt { get; init; }
    public long? DurationMs { get; init; }
    public long? Rows { get; init; }
    public string? ReusedFromRun { get; init; }
    public string? ReusedFromStageRun { get; init; }
    public string? Note { get; init; }
    public string? Error { get; init; }
}

internal static class ArtifactKind
{
    public const string Table = "table";
    public const string Document = "document";
}

/// <summary>A row of <c>artifacts</c>: one Parquet checkpoint or rendered document of a stage run.</summary>
internal sealed record ArtifactRecord
{
    public string StageRunId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Path { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long? Rows { get; init; }
    public long Bytes { get; init; }
    public string? Schema { get; init; }
}

/// <summary>A row of <c>raw_files</c>: a raw file as seen by a run.</summary>
internal sealed record RawFileRecord
{
    public string RunId { get; init; } = "";
    public string Path { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
    public string ModifiedAt { get; init; } = "";
}
