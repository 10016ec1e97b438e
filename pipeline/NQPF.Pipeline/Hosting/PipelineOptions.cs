using System.ComponentModel.DataAnnotations;

namespace NQPF.Pipeline.Hosting;

/// <summary>The "Pipeline" section: where the data lives and how the runner behaves.</summary>
internal sealed record PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Raw yearbook folder; relative paths are resolved against the repository root (the config folder's parent).</summary>
    [Required]
    public string RawDir { get; init; } = "data-raw";

    /// <summary>Checkpoints and ledger folder; relative paths as for <see cref="RawDir"/>.</summary>
    [Required]
    public string ProcessedDir { get; init; } = "data-processed";

    /// <summary>How long a second writer waits for the per-folder writer lock before refusing.</summary>
    [Range(0, 86400)]
    public double LockTimeoutSeconds { get; init; } = 30;

    /// <summary>How often a running run writes its heartbeat into the ledger.</summary>
    [Range(0.1, 3600)]
    public double HeartbeatSeconds { get; init; } = 5;

    /// <summary>A "running" run whose heartbeat is older than this (or whose pid is gone) is shown as stale.</summary>
    [Range(1, 86400)]
    public double StaleAfterSeconds { get; init; } = 60;

    /// <summary>Minimum interval between two progress log lines of one stage.</summary>
    [Range(0, 3600)]
    public double ProgressLogSeconds { get; init; } = 2;

    /// <summary>
    /// Largest source file (raw yearbook or config list) the runner reads into memory to hash and hand to a stage;
    /// a larger file stops the run before it is read, naming the file. Ingest's own reader limits are tighter.
    /// </summary>
    [Range(1, 1e15)]
    public long MaxSourceBytes { get; init; } = 256L * 1024 * 1024;

    public RetryOptions Retry { get; init; } = new();
}

/// <summary>Bounded backoff for transient I/O faults.</summary>
internal sealed record RetryOptions
{
    [Range(0, 20)]
    public int MaxAttempts { get; init; } = 5;

    [Range(1, 60000)]
    public int BaseDelayMs { get; init; } = 50;

    [Range(1, 600000)]
    public int MaxDelayMs { get; init; } = 2000;
}

/// <summary>The "Watch" section: the long-running worker.</summary>
internal sealed record WatchOptions
{
    public const string Section = "Watch";

    /// <summary>Cron expression (5 fields, Cronos) for scheduled runs; empty disables the schedule.</summary>
    public string Schedule { get; init; } = "";

    /// <summary>IANA/Windows time zone id of <see cref="Schedule"/>; empty means UTC.</summary>
    public string TimeZone { get; init; } = "";

    /// <summary>Quiet time after the last change under the raw folder before files are checked for stability.</summary>
    [Range(0, 3600)]
    public double DebounceSeconds { get; init; } = 3;

    /// <summary>Files must keep the same size and modification time over this interval before a run starts.</summary>
    [Range(0, 3600)]
    public double StableSeconds { get; init; } = 2;

    /// <summary>Fallback poll of the raw folder in case file-system events are lost.</summary>
    [Range(1, 86400)]
    public double PollSeconds { get; init; } = 30;
}
