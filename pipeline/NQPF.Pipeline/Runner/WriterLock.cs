using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// One writer per processed folder. The lock is an OS-level exclusive lock on <c>.writer.lock</c> (flock on Unix,
/// a share-none handle on Windows), so it is released by the kernel when the holder dies, even by SIGKILL.
/// A second writer polls for up to <see cref="PipelineOptions.LockTimeoutSeconds"/>, then refuses with
/// <see cref="WriterLockUnavailableException"/> naming the holder (from <c>.writer.lock.owner</c>).
/// </summary>
internal sealed class WriterLock(PipelinePaths paths, IOptions<PipelineOptions> options, TimeProvider time, ILogger<WriterLock> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private string LockPath => Path.Combine(paths.ProcessedDir, ".writer.lock");
    private string OwnerPath => Path.Combine(paths.ProcessedDir, ".writer.lock.owner");

    public async Task<IDisposable> AcquireAsync(string purpose, CancellationToken ct)
    {
        Directory.CreateDirectory(paths.ProcessedDir);
        var timeout = TimeSpan.FromSeconds(options.Value.LockTimeoutSeconds);
        var start = time.GetTimestamp();
        var announced = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var handle = TryOpen();
            if (handle is not null)
            {
                await File.WriteAllTextAsync(OwnerPath, string.Create(CultureInfo.InvariantCulture,
                    $"pid={Environment.ProcessId} host={Environment.MachineName} since={DateTimeOffset.UtcNow:O} for={purpose}\n"), ct);
                return handle;
            }
            var waited = time.GetElapsedTime(start);
            if (waited >= timeout)
                throw new WriterLockUnavailableException(
                    $"Another pipeline process is writing to '{paths.ProcessedDir}' ({Owner()}); waited {waited.TotalSeconds:0.#} s " +
                    $"(Pipeline:LockTimeoutSeconds = {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}). Try again when it has finished.");
            if (!announced)
            {
                logger.LogWarning("Waiting up to {TimeoutSeconds} s for the writer lock on {ProcessedDir} held by {Owner}",
                    timeout.TotalSeconds, paths.ProcessedDir, Owner());
                announced = true;
            }
            await Task.Delay(PollInterval, time, ct);
        }
    }

    private FileStream? TryOpen()
    {
        try
        {
            return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException))
        {
            return null;
        }
    }

    private string Owner()
    {
        try
        {
            return File.Exists(OwnerPath) ? File.ReadAllText(OwnerPath).Trim() : "owner unknown";
        }
        catch (IOException ex)
        {
            return "owner unreadable: " + ex.Message;
        }
    }
}

/// <summary>The processed folder stayed locked by another writer for the whole timeout.</summary>
internal sealed class WriterLockUnavailableException(string message) : PipelineException(message);
