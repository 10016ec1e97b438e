namespace NQPF.Econometrics.Matching;

/// <summary>What every matching method shares: validation, common-support trimming, caliper width and ATT weights.</summary>
internal static class MatchingSupport
{
    public static void Validate(double[] distance, bool[] treated, long[]? strata)
    {
        if (treated.Length != distance.Length)
            throw new ArgumentException($"{distance.Length} distances but {treated.Length} treatment flags.", nameof(treated));
        if (strata is not null && strata.Length != distance.Length)
            throw new ArgumentException($"{distance.Length} distances but {strata.Length} strata.", nameof(strata));
        for (var i = 0; i < distance.Length; i++)
        {
            if (!double.IsFinite(distance[i]))
                throw new ArgumentException($"Distance of unit {i} is {distance[i]}.", nameof(distance));
        }
    }

    /// <summary>
    /// MatchIt's <c>discard</c>: a treated unit is off support when its distance lies outside [min, max] of the controls'
    /// distances, a control when outside [min, max] of the treated units'. Ranges are taken within each stratum when
    /// strata are given. A stratum without treated (or without control) units discards all of its controls (treated).
    /// </summary>
    public static bool[] Discard(double[] distance, bool[] treated, CommonSupport rule, long[]? strata)
    {
        var discarded = new bool[distance.Length];
        if (rule == CommonSupport.None) return discarded;
        var groups = Enumerable.Range(0, distance.Length).GroupBy(i => strata?[i] ?? 0L);
        foreach (var g in groups)
        {
            var t = g.Where(i => treated[i]).Select(i => distance[i]).ToArray();
            var c = g.Where(i => !treated[i]).Select(i => distance[i]).ToArray();
            foreach (var i in g)
            {
                var other = treated[i] ? c : t;
                var applies = rule == CommonSupport.Both
                    || (rule == CommonSupport.Treated && treated[i])
                    || (rule == CommonSupport.Control && !treated[i]);
                if (!applies) continue;
                discarded[i] = other.Length == 0 || distance[i] < other.Min() || distance[i] > other.Max();
            }
        }
        return discarded;
    }

    /// <summary>The caliper in distance units (+∞ without a caliper); see <see cref="Caliper"/>.</summary>
    public static double CaliperWidth(double[] distance, bool[] discarded, Caliper? caliper)
    {
        if (caliper is null) return double.PositiveInfinity;
        if (!(caliper.Width > 0)) throw new ArgumentOutOfRangeException(nameof(caliper), "Caliper width must be positive.");
        if (!caliper.InStandardDeviations) return caliper.Width;
        var kept = distance.Where((_, i) => !discarded[i]).ToArray();
        if (kept.Length < 2) return 0.0;
        var mean = kept.Average();
        var sd = Math.Sqrt(kept.Sum(v => (v - mean) * (v - mean)) / (kept.Length - 1));
        return caliper.Width * sd;
    }

    /// <summary>
    /// MatchIt's ATT weights (<c>get_weights_from_mm</c>): treated units in a pair get 1; a control gets the sum of its
    /// shares, then all control weights are multiplied by (number of controls with positive weight) / (sum of control
    /// weights). Units in no pair get 0.
    /// </summary>
    public static double[] AttWeights(IReadOnlyList<MatchedPair> pairs, int n)
    {
        var w = new double[n];
        var isTreated = new bool[n];
        foreach (var p in pairs)
        {
            isTreated[p.Treated] = true;
            w[p.Control] += p.Share;
        }
        Rescale(w, isTreated);
        return w;
    }

    /// <summary>
    /// The last step of <see cref="AttWeights"/>: control weights times (number of positive control weights) / (their
    /// sum), matched treated units set to 1.
    /// </summary>
    public static void Rescale(double[] w, bool[] isTreated)
    {
        var sum = 0.0;
        var count = 0;
        for (var i = 0; i < w.Length; i++)
        {
            if (isTreated[i] || w[i] <= 0) continue;
            sum += w[i];
            count++;
        }
        for (var i = 0; i < w.Length; i++)
        {
            if (isTreated[i]) w[i] = 1.0;
            else if (w[i] > 0) w[i] *= count / sum;
        }
    }
}

/// <summary>
/// <see cref="MatchingSupport.AttWeights"/> fed one pair at a time, so kernel and radius matching need not hold their
/// pairs: the same additions in the same order, hence the same bits, in memory linear in the units.
/// </summary>
internal sealed class AttWeightAccumulator(int n)
{
    private readonly double[] _weights = new double[n];
    private readonly bool[] _isTreated = new bool[n];
    private readonly bool[] _isControl = new bool[n];

    public void Add(int treated, int control, double share)
    {
        _isTreated[treated] = true;
        _isControl[control] = true;
        _weights[control] += share;
    }

    public MatchResult Finish(bool[] discarded, double caliperWidth)
    {
        MatchingSupport.Rescale(_weights, _isTreated);
        return new MatchResult(_weights, discarded, caliperWidth, _isTreated.Count(x => x), _isControl.Count(x => x));
    }
}
