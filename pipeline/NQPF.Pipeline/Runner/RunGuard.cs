using NQPF.Pipeline.Ledger;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Entry to a run or resume: takes the data folder's writer lock, checks the ledger's health, and marks runs that a
/// crashed process left running as interrupted — in that order, so that no two processes write and no run starts on a
/// damaged ledger.
/// </summary>
internal sealed class RunGuard(WriterLock writerLock, LedgerHealth health, RunRecovery recovery)
{
    /// <summary>The held writer lock; dispose it to release.</summary>
    public async Task<IDisposable> EnterAsync(string purpose, CancellationToken ct)
    {
        var writer = await writerLock.AcquireAsync(purpose, ct);
        try
        {
            await health.CheckAsync(ct);
            await recovery.RecoverAsync(ct);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }
}
