using System.Globalization;

namespace NQPF.Stages.Clean;

/// <summary>Per-variable transforms of the clean stage, applied after interpolation (log) and last (winsorising).</summary>
internal static class Transforms
{
    /// <summary>
    /// Sample quantile, R's default type 7: h = (n − 1)p, Q = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)) on the sorted
    /// non-missing values (R: quantile(x, p), which DescTools::Winsorize uses). NaN when nothing is observed.
    /// </summary>
    public static double Quantile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// Winsorises in place at the <paramref name="lower"/> and <paramref name="upper"/> quantiles (type 7), pooled over
    /// all rows or within each group (year) when <paramref name="groups"/> is given. Values beyond a bound are set to it.
    /// </summary>
    public static void Winsorise(double[] values, double lower, double upper, IReadOnlyList<long>? groups)
    {
        if (!(lower >= 0 && lower < upper && upper <= 1))
            throw new ConfigValidationException(
                $"Winsorising bounds must satisfy 0 <= lower < upper <= 1, got {lower.ToString("R", CultureInfo.InvariantCulture)} and {upper.ToString("R", CultureInfo.InvariantCulture)}.");
        var partitions = groups is null
            ? [Enumerable.Range(0, values.Length).ToArray()]
            : Enumerable.Range(0, values.Length).GroupBy(i => groups[i]).Select(g => g.ToArray()).ToArray();
        foreach (var rows in partitions)
        {
            var part = rows.Select(i => values[i]).ToArray();
            var lo = Quantile(part, lower);
            var hi = Quantile(part, upper);
            foreach (var i in rows)
            {
                if (values[i] < lo) values[i] = lo;
                else if (values[i] > hi) values[i] = hi;
            }
        }
    }
}
