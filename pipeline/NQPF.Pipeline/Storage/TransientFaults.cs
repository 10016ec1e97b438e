using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using Polly;
using Polly.Retry;

namespace NQPF.Pipeline.Storage;

/// <summary>
/// Retries transient I/O faults — SQLite busy/locked, a file held by another process, an injected
/// <see cref="TransientIOException"/> — with bounded exponential backoff (Pipeline:Retry: MaxAttempts retries after the
/// first attempt, delays from BaseDelayMs doubling up to MaxDelayMs, with jitter). A locked file is transient because
/// the other process (an editor, a copy, antivirus) usually lets go within seconds. Data errors, missing files,
/// permission problems and a full disk are not transient and are never retried: waiting cannot fix them, it would only
/// delay the error. What is left after the retries reaches the caller; <see cref="LocalFileStore"/> turns it into a
/// <see cref="StorageException"/> naming the file.
/// </summary>
internal sealed class TransientFaults
{
    // SQLITE_BUSY and SQLITE_LOCKED.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // Windows sharing/lock violations and the POSIX errnos .NET reports for a file locked elsewhere (EAGAIN, EBUSY, ETXTBSY).
    private static readonly HashSet<int> LockedFileHResults =
        [unchecked((int)0x80070020), unchecked((int)0x80070021), 11, 16, 26];

    private readonly ResiliencePipeline _pipeline;

    public TransientFaults(IOptions<PipelineOptions> options, ILogger<TransientFaults> logger)
    {
        var retry = options.Value.Retry;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = retry.MaxAttempts,
                Delay = TimeSpan.FromMilliseconds(retry.BaseDelayMs),
                MaxDelay = TimeSpan.FromMilliseconds(retry.MaxDelayMs),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning("Transient fault (attempt {Attempt}), retrying in {DelayMs} ms: {Message}",
                        args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        TransientIOException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException or EndOfStreamException => false,
        IOException io => io.GetType() == typeof(IOException) && LockedFileHResults.Contains(io.HResult),
        _ => false,
    };

    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await action(ct), cancellationToken);

    public ValueTask ExecuteAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await action(ct), cancellationToken);
}

/// <summary>An I/O fault known to be temporary (used by fault-injecting file stores in tests).</summary>
internal sealed class TransientIOException(string message) : IOException(message);
