using System.Runtime.ExceptionServices;

namespace NQPF.Stages.Common;

/// <summary>
/// Independent pieces of a stage run side by side on the machine's cores. Each piece computes from read-only inputs
/// into its own result slot, so the results are the same for any thread count or order of completion. Every piece runs
/// to its end even when another fails; then the failure of the first failing piece in the given order is rethrown as
/// itself (not wrapped in an AggregateException), so the runner reports the same domain error that a sequential run
/// would have raised, whichever piece happened to fail first in time.
/// </summary>
internal static class Concurrently
{
    /// <summary>Runs every action; returns when all have finished.</summary>
    public static void Run(CancellationToken ct, params Action[] actions) =>
        Map(actions, action =>
        {
            action();
            return true;
        }, ct);

    /// <summary><paramref name="map"/> of every item, in the items' order.</summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> map, CancellationToken ct = default)
    {
        var results = new TResult[items.Count];
        var failures = new ExceptionDispatchInfo?[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            try
            {
                results[i] = map(items[i]);
            }
            catch (Exception ex)
            {
                failures[i] = ExceptionDispatchInfo.Capture(ex);
            }
        });
        foreach (var failure in failures) failure?.Throw();
        return results;
    }
}
