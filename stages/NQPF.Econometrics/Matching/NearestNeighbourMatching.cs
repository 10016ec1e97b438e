namespace NQPF.Econometrics.Matching;

/// <summary>Greedy nearest-neighbour matching on a scalar distance (propensity score or its logit), MatchIt's <c>method = "nearest"</c>.</summary>
internal static class NearestNeighbourMatching
{
    /// <summary>
    /// 1:k greedy matching, the algorithm of MatchIt 4.5's <c>nn_matchC_vec</c>. All units are sorted by distance
    /// (a stable sort, so equal distances keep data order). Matching runs in k rounds; in each round the treated units
    /// are visited in <see cref="NearestNeighbourOptions.Order"/> (a stable sort of the treated) and each takes one
    /// control: the nearest available control to its left in the sorted order and the nearest to its right are found,
    /// and the left one wins unless the right one is strictly closer (<see cref="NeighbourRule.Nearest"/>), or whenever
    /// it exists (<see cref="NeighbourRule.LeftFirst"/>, what MatchIt 4.5.1 actually returns). Without replacement a control is available once;
    /// with replacement always, but never twice for the same treated unit. A control farther than the caliper is not
    /// admissible; a treated unit with no admissible control stays unmatched in that round. With
    /// <paramref name="strata"/> a treated unit only takes controls of its own stratum (MatchIt's <c>exact</c>; used for
    /// year-by-year matching) and common support is trimmed within each stratum. Degenerate cases: no treated or no
    /// control units leave everything unmatched; NaN distances throw. Checked against MatchIt 4.5.1 on lalonde with
    /// <see cref="NeighbourRule.LeftFirst"/>: 1:1 without replacement (m.order = "largest") and with replacement, every
    /// pair and every weight equal; <see cref="NeighbourRule.Nearest"/> is checked on hand cases and by the property that
    /// every pick is the closest control still available.
    /// </summary>
    public static MatchResult Match(double[] distance, bool[] treated, NearestNeighbourOptions options, long[]? strata = null)
    {
        MatchingSupport.Validate(distance, treated, strata);
        if (options.Ratio < 1) throw new ArgumentOutOfRangeException(nameof(options), "Ratio must be at least 1.");
        var discarded = MatchingSupport.Discard(distance, treated, options.Discard, strata);
        var caliper = MatchingSupport.CaliperWidth(distance, discarded, options.Caliper);

        var n = distance.Length;
        var sorted = Enumerable.Range(0, n).OrderBy(i => distance[i]).ToArray();
        var position = new int[n];
        for (var p = 0; p < n; p++) position[sorted[p]] = p;
        var available = new bool[n];
        for (var i = 0; i < n; i++) available[i] = !treated[i] && !discarded[i];

        var order = TreatedOrder(distance, treated, discarded, options.Order);
        var picks = order.ToDictionary(t => t, _ => new List<int>());
        var scan = new Scan(distance, treated, sorted, available, strata, caliper);
        for (var r = 0; r < options.Ratio; r++)
        {
            foreach (var t in order)
            {
                var left = scan.Find(t, position[t], -1, picks[t]);
                var right = scan.Find(t, position[t], +1, picks[t]);
                int c;
                if (left >= 0 && right >= 0)
                    c = options.Neighbour == NeighbourRule.LeftFirst
                        || Math.Abs(distance[left] - distance[t]) <= Math.Abs(distance[right] - distance[t]) ? left : right;
                else if (left >= 0) c = left;
                else if (right >= 0) c = right;
                else continue;
                picks[t].Add(c);
                if (!options.Replace) available[c] = false;
            }
        }

        var pairs = new List<MatchedPair>();
        foreach (var t in Enumerable.Range(0, n).Where(picks.ContainsKey))
        {
            var k = picks[t].Count;
            foreach (var c in picks[t]) pairs.Add(new MatchedPair(t, c, 1.0 / k));
        }
        return MatchResult.FromPairs(pairs, n, discarded, caliper);
    }

    private static int[] TreatedOrder(double[] distance, bool[] treated, bool[] discarded, MatchOrder order)
    {
        var idx = Enumerable.Range(0, distance.Length).Where(i => treated[i] && !discarded[i]);
        return order switch
        {
            MatchOrder.Largest => idx.OrderByDescending(i => distance[i]).ToArray(),
            MatchOrder.Smallest => idx.OrderBy(i => distance[i]).ToArray(),
            _ => idx.ToArray(),
        };
    }

    /// <summary>Walks the distance-sorted units away from a treated unit to the first admissible control.</summary>
    private sealed class Scan(double[] distance, bool[] treated, int[] sorted, bool[] available, long[]? strata, double caliper)
    {
        public int Find(int t, int from, int step, List<int> already)
        {
            for (var p = from + step; p >= 0 && p < sorted.Length; p += step)
            {
                var c = sorted[p];
                if (treated[c] || !available[c] || already.Contains(c)) continue;
                if (Math.Abs(distance[t] - distance[c]) > caliper) return -1;
                if (strata is not null && strata[c] != strata[t]) continue;
                return c;
            }
            return -1;
        }
    }
}
