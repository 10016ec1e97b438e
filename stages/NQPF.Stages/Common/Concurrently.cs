using System.Runtime.ExceptionServices;

namespace NQPF.Stages.Common;

/// <summary>
/// Independent pieces of a stage run side by side on the machine's cores. Each piece computes from read-only inputs
/// into its own result slot, so the results are the same for any thread count or order of completion. A failure is
/// rethrown as itself (not wrapped in an AggregateException), so the runner reports the domain error that a sequential
/// run would have raised.
/// </summary>
internal static class Concurrently
{
    /// <summary>Runs every action; returns when all have finished.</summary>
    public static void Run(CancellationToken ct, params Action[] actions) =>
        Unwrapped(() => Parallel.Invoke(new ParallelOptions { CancellationToken = ct }, actions));

    /// <summary><paramref name="map"/> of every item, in the items' order.</summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> map, CancellationToken ct = default)
    {
        var results = new TResult[items.Count];
        Unwrapped(() => Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = ct }, i => results[i] = map(items[i])));
        return results;
    }

    private static void Unwrapped(Action body)
    {
        try
        {
            body();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
