namespace NQPF.Stages.Clean;

/// <summary>How missing values at the start or end of a series (no observed value on one side) are filled.</summary>
internal enum EdgeRule
{
    /// <summary>Copy the nearest observed value.</summary>
    Nearest,

    /// <summary>
    /// Extrapolate with the compound average annual growth rate of the nearest observed years:
    /// g = (y_b / y_a)^(1/(b − a)) − 1 over the nearest <c>EdgeGrowthYears</c> + 1 observed points a &lt; b on that side.
    /// Falls back to <see cref="Nearest"/> (recorded as such) when fewer than 2 points are observed or a value is ≤ 0.
    /// </summary>
    Growth,
}

/// <summary>One filled cell: its position in the series and how it was filled ("linear", "edge-nearest", "edge-growth").</summary>
internal sealed record ImputedCell(int Index, string Method);

/// <summary>A run of missing values longer than the maximum gap, left unfilled: positions First..Last.</summary>
internal sealed record SeriesGap(int First, int Last, bool AtEdge)
{
    public int Length => Last - First + 1;
}

/// <summary>The filled series, what was filled, and the runs too long to fill (<see cref="NoData"/>: nothing observed).</summary>
internal sealed record FilledSeries(double[] Values, IReadOnlyList<ImputedCell> Imputed, IReadOnlyList<SeriesGap> TooLong, bool NoData);

/// <summary>
/// Fills missing values (NaN) of one city's yearly series: linear interpolation between the nearest observed years
/// inside the series (y_t = y_a + (y_b − y_a)(t − a)/(b − a)), the <see cref="EdgeRule"/> at the edges. A run of
/// missing years longer than <c>maxGap</c> (inside or at an edge) is not filled and is returned in
/// <see cref="FilledSeries.TooLong"/>; an all-missing series is returned as <see cref="FilledSeries.NoData"/>.
/// Matches R's zoo::na.approx(maxgap = maxGap, rule = 1) for interior runs.
/// </summary>
internal static class Interpolation
{
    public static FilledSeries Fill(IReadOnlyList<double> series, EdgeRule edge, int edgeGrowthYears, int maxGap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        ArgumentOutOfRangeException.ThrowIfLessThan(edgeGrowthYears, 1);
        var y = series.ToArray();
        var observed = Enumerable.Range(0, y.Length).Where(t => !double.IsNaN(y[t])).ToArray();
        if (observed.Length == 0)
            return new FilledSeries(y, [], y.Length == 0 ? [] : [new SeriesGap(0, y.Length - 1, true)], NoData: true);
        var imputed = new List<ImputedCell>();
        var tooLong = new List<SeriesGap>();

        for (var k = 0; k + 1 < observed.Length; k++)
        {
            var a = observed[k];
            var b = observed[k + 1];
            if (b - a == 1) continue;
            if (b - a - 1 > maxGap)
            {
                tooLong.Add(new SeriesGap(a + 1, b - 1, false));
                continue;
            }
            for (var t = a + 1; t < b; t++)
            {
                y[t] = y[a] + (y[b] - y[a]) * (t - a) / (b - a);
                imputed.Add(new ImputedCell(t, "linear"));
            }
        }

        var first = observed[0];
        var last = observed[^1];
        if (first > 0)
        {
            if (first > maxGap) tooLong.Add(new SeriesGap(0, first - 1, true));
            else FillEdge(y, observed.Take(edgeGrowthYears + 1).ToArray(), Enumerable.Range(0, first), edge, imputed);
        }
        if (last < y.Length - 1)
        {
            if (y.Length - 1 - last > maxGap) tooLong.Add(new SeriesGap(last + 1, y.Length - 1, true));
            else FillEdge(y, observed.TakeLast(edgeGrowthYears + 1).ToArray(), Enumerable.Range(last + 1, y.Length - 1 - last), edge, imputed);
        }
        imputed.Sort((p, q) => p.Index.CompareTo(q.Index));
        tooLong.Sort((p, q) => p.First.CompareTo(q.First));
        return new FilledSeries(y, imputed, tooLong, NoData: false);
    }

    /// <summary>Fills <paramref name="targets"/> from the observed points <paramref name="basis"/> (ascending) on that side.</summary>
    private static void FillEdge(double[] y, int[] basis, IEnumerable<int> targets, EdgeRule edge, List<ImputedCell> imputed)
    {
        var a = basis[0];
        var b = basis[^1];
        var growthDefined = edge == EdgeRule.Growth && basis.Length >= 2 && y[a] > 0 && y[b] > 0;
        foreach (var t in targets)
        {
            if (growthDefined)
            {
                // Annual factor (y_b/y_a)^(1/(b−a)); anchor at the observed point nearest to t.
                var anchor = t < a ? a : b;
                y[t] = y[anchor] * Math.Pow(y[b] / y[a], (double)(t - anchor) / (b - a));
                imputed.Add(new ImputedCell(t, "edge-growth"));
            }
            else
            {
                y[t] = t < a ? y[a] : y[b];
                imputed.Add(new ImputedCell(t, "edge-nearest"));
            }
        }
    }
}
