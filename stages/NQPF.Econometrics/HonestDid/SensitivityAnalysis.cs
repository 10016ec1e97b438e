namespace NQPF.Econometrics.HonestDid;

/// <summary>Which restriction on the post-period violations of parallel trends.</summary>
internal enum SensitivityRestriction
{
    /// <summary>Relative magnitudes Δ^RM(M̄), C-LF sets.</summary>
    RelativeMagnitudes,

    /// <summary>Smoothness Δ^SD(M), FLCIs.</summary>
    Smoothness,
}

/// <summary>
/// One interval of a sensitivity table: Method "Original" (Restriction null, Parameter NaN), "C-LF" (RM, M̄) or "FLCI"
/// (SD, M), for the first post period or the post-period average.
/// </summary>
internal sealed record SensitivityRow(string Method, string? Restriction, double Parameter, SensitivityTarget Target, double Lb, double Ub)
{
    public bool ExcludesZero => Lb > 0 || Ub < 0;
}

/// <summary>The breakdown value of one target: the largest M̄ (or M) whose interval still excludes 0; 0 when even M̄ = 0 does not, ∞ when none up to the search cap includes 0.</summary>
internal sealed record SensitivityBreakdown(string Restriction, SensitivityTarget Target, double Value, double Precision);

/// <summary>A sensitivity table: the rows and the breakdown value per target.</summary>
internal sealed record SensitivityResult(IReadOnlyList<SensitivityRow> Rows, IReadOnlyList<SensitivityBreakdown> Breakdowns);

/// <summary>The Rambachan–Roth sensitivity table for an event study, as HonestDiD's createSensitivityResults(_relativeMagnitudes) and constructOriginalCS.</summary>
internal static class SensitivityAnalysis
{
    /// <summary>Default grids: M̄ as in HonestDiD's vignette; M in units of the first post-period SE.</summary>
    public static readonly IReadOnlyList<double> DefaultMbar = [0.5, 1, 1.5, 2];

    /// <summary>
    /// For each target (first post period, post-period average): the original CI, then the interval at each grid value,
    /// then the breakdown value found by doubling and bisection on the (nested) intervals down to 1% of the grid's
    /// largest value. α = 0.05.
    /// </summary>
    public static SensitivityResult Run(EventStudyEstimates es, SensitivityRestriction restriction, IReadOnlyList<double> grid)
    {
        es.Validate();
        if (grid.Count == 0 || grid.Any(g => !(g >= 0))) throw new ArgumentException("The sensitivity grid needs non-negative values.", nameof(grid));
        var rows = new List<SensitivityRow>();
        var breakdowns = new List<SensitivityBreakdown>();
        var name = restriction == SensitivityRestriction.RelativeMagnitudes ? "RM" : "SD";
        var method = restriction == SensitivityRestriction.RelativeMagnitudes ? "C-LF" : "FLCI";
        foreach (var target in new[] { SensitivityTarget.First, SensitivityTarget.Average })
        {
            var l = es.Target(target);
            var (olb, oub) = es.OriginalInterval(l, 0.05);
            rows.Add(new SensitivityRow("Original", null, double.NaN, target, olb, oub));
            var flci = restriction == SensitivityRestriction.Smoothness ? new SmoothnessFlci.Solver(es, l) : null;
            (double, double) Interval(double value) => flci is null ? RelativeMagnitudes.ConfidenceSet(es, l, value) : flci.Interval(value);
            foreach (var value in grid)
            {
                var (lb, ub) = Interval(value);
                rows.Add(new SensitivityRow(method, name, value, target, lb, ub));
            }
            var precision = 0.01 * grid.Max() is > 0 and var p ? p : 0.01;
            breakdowns.Add(new SensitivityBreakdown(name, target, Breakdown(v => Excludes(Interval(v)), precision), precision));
        }
        return new SensitivityResult(rows, breakdowns);
    }

    private static bool Excludes((double Lb, double Ub) ci) => ci.Lb > 0 || ci.Ub < 0;

    /// <summary>Largest v with excludes(v), assuming the intervals grow with v; to within <paramref name="precision"/>.</summary>
    internal static double Breakdown(Func<double, bool> excludes, double precision)
    {
        if (!excludes(0)) return 0;
        var hi = precision;
        while (excludes(hi))
        {
            hi *= 2;
            if (hi > 1e4 * precision) return double.PositiveInfinity;
        }
        var lo = hi / 2 < precision ? 0 : hi / 2;
        while (hi - lo > precision)
        {
            var mid = 0.5 * (lo + hi);
            if (excludes(mid)) lo = mid;
            else hi = mid;
        }
        return lo;
    }
}
