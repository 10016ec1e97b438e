namespace NQPF.Econometrics.Staggered;

/// <summary>Kind of 2×2 comparison in the Goodman-Bacon decomposition.</summary>
internal enum BaconComparisonType
{
    /// <summary>A timing cohort against the never treated, over the whole panel.</summary>
    TreatedVsNever,

    /// <summary>An earlier cohort (treated) against a later one (control) before the later one is treated.</summary>
    EarlierVsLater,

    /// <summary>A later cohort (treated) against an earlier, already treated one (control) after the earlier starts.</summary>
    LaterVsEarlier,
}

/// <summary>One 2×2 DiD of the decomposition.</summary>
/// <param name="Type">Kind of comparison.</param>
/// <param name="Treated">Cohort acting as treated (its first treated period).</param>
/// <param name="Control">Cohort acting as control (0 = never treated).</param>
/// <param name="Estimate">The 2×2 DiD estimate on its window.</param>
/// <param name="Weight">Its weight in the TWFE estimate (weights sum to 1).</param>
internal sealed record BaconComparison(BaconComparisonType Type, long Treated, long Control, double Estimate, double Weight);

/// <summary>The decomposition: every comparison, the TWFE estimate and Σ weight·estimate (equal up to rounding).</summary>
internal sealed record BaconResult(
    IReadOnlyList<BaconComparison> Comparisons, double TwfeEstimate, double WeightedSum, IReadOnlyList<SampleDrop> Drops,
    IReadOnlyList<string> Notes)
{
    public double WeightSum => Comparisons.Sum(c => c.Weight);
}

/// <summary>
/// Goodman-Bacon (2021) decomposition of the two-way fixed-effects DiD estimate (y on D_it = 1{g_i ≠ 0, t ≥ g_i} with
/// unit and period effects) for a balanced panel without covariates. With unit shares n_k, treated-period shares
/// D̄_k = #{t ≥ k}/T and V̂ᴰ = (1/NT) Σ (D_it − D̄_i − D̄_t + D̄)² (the variance of the two-way demeaned treatment):
/// <list type="bullet">
/// <item>treated vs never: β̂_kU = Δȳ_k − Δȳ_U (post t ≥ k vs pre), s_kU = (n_k+n_U)² n_kU(1−n_kU) D̄_k(1−D̄_k) / V̂ᴰ;</item>
/// <item>earlier k vs later l on t &lt; l: s = ((n_k+n_l)(1−D̄_l))² n_kl(1−n_kl) (D̄_k−D̄_l)/(1−D̄_l) · (1−D̄_k)/(1−D̄_l) / V̂ᴰ;</item>
/// <item>later l vs earlier k on t ≥ k: s = ((n_k+n_l) D̄_k)² n_kl(1−n_kl) D̄_l/D̄_k · (D̄_k−D̄_l)/D̄_k / V̂ᴰ;</item>
/// </list>
/// with n_ab = n_a/(n_a+n_b). The weights sum to 1 and Σ s β̂ equals the TWFE estimate, which is computed here in
/// closed form for the balanced panel (β̂ = Σ D̈ y / Σ D̈², D̈ the two-way demeaned treatment) as the identity's check.
/// Degenerate cases: no treated cohort, or V̂ᴰ = 0, throw. Cohorts treated in the first period are dropped upstream
/// (<see cref="StaggeredPanel"/>), so "always treated" controls do not arise.
/// Checked: weights sum to 1 and Σ s β̂ = TWFE within 1e-10 on mpdta, castle and math_reform; TWFE on mpdta equals
/// fixest's −0.0365489366740666 (twfe_mpdta.json).
/// </summary>
internal static class BaconDecomposition
{
    /// <summary>Snake-case name of a comparison type (did verb JSON, frames): treated_vs_never, earlier_vs_later, later_vs_earlier.</summary>
    public static string Name(BaconComparisonType type) => type switch
    {
        BaconComparisonType.TreatedVsNever => "treated_vs_never",
        BaconComparisonType.EarlierVsLater => "earlier_vs_later",
        _ => "later_vs_earlier",
    };

    public static BaconResult Decompose(BalancedPanel panel)
    {
        // Kept as one function: the 2×2 comparisons and their weights follow Goodman-Bacon (2021, Theorem 1) term by term.
        int n = panel.N, T = panel.T;
        var periods = panel.Periods;
        var cohorts = panel.Cohorts;
        if (cohorts.Length == 0) throw new ArgumentException("Goodman-Bacon decomposition: no treated cohort in the panel.");
        bool hasNever = panel.Cohort.Contains(0L);

        // Group means by period; groups are the cohorts, then the never treated (index = cohorts.Length).
        int groups = cohorts.Length + 1;
        var groupIndex = new Dictionary<long, int>();
        for (int k = 0; k < cohorts.Length; k++) groupIndex[cohorts[k]] = k;
        groupIndex[0] = cohorts.Length;
        var size = new double[groups];
        var mean = new double[groups * T];
        for (int i = 0; i < n; i++)
        {
            int gk = groupIndex[panel.Cohort[i]];
            size[gk]++;
            for (int t = 0; t < T; t++) mean[gk * T + t] += panel.Y[i * T + t];
        }
        for (int gk = 0; gk < groups; gk++)
            for (int t = 0; t < T; t++) mean[gk * T + t] = size[gk] > 0 ? mean[gk * T + t] / size[gk] : double.NaN;

        var share = size.Select(s => s / n).ToArray();
        var start = cohorts.Select(g => Array.FindIndex(periods, p => p >= g)).ToArray();
        var dbar = start.Select(s => (T - s) / (double)T).ToArray();

        var (twfe, vd) = TwoWayEstimate(panel, start, groupIndex);
        if (!(vd > 0)) throw new ArgumentException("Goodman-Bacon decomposition: the two-way demeaned treatment has no variance.");

        var comparisons = new List<BaconComparison>();
        int never = cohorts.Length;
        for (int k = 0; k < cohorts.Length; k++)
        {
            if (hasNever)
            {
                double est = WindowDid(mean, T, k, never, 0, start[k], T);
                double nk = share[k], nu = share[never];
                double nkU = nk / (nk + nu);
                double w = Math.Pow(nk + nu, 2) * nkU * (1 - nkU) * dbar[k] * (1 - dbar[k]) / vd;
                comparisons.Add(new BaconComparison(BaconComparisonType.TreatedVsNever, cohorts[k], 0, est, w));
            }
            for (int l = k + 1; l < cohorts.Length; l++)
            {
                double nk = share[k], nl = share[l];
                double nkl = nk / (nk + nl);
                double dk = dbar[k], dl = dbar[l];

                double early = WindowDid(mean, T, k, l, 0, start[k], start[l]);
                double wEarly = Math.Pow((nk + nl) * (1 - dl), 2) * nkl * (1 - nkl) * (dk - dl) / (1 - dl) * (1 - dk) / (1 - dl) / vd;
                comparisons.Add(new BaconComparison(BaconComparisonType.EarlierVsLater, cohorts[k], cohorts[l], early, wEarly));

                double late = WindowDid(mean, T, l, k, start[k], start[l], T);
                double wLate = Math.Pow((nk + nl) * dk, 2) * nkl * (1 - nkl) * dl / dk * (dk - dl) / dk / vd;
                comparisons.Add(new BaconComparison(BaconComparisonType.LaterVsEarlier, cohorts[l], cohorts[k], late, wLate));
            }
        }
        double weighted = comparisons.Sum(c => c.Weight * c.Estimate);
        return new BaconResult(comparisons, twfe, weighted, panel.Drops, panel.Notes);
    }

    /// <summary>
    /// 2×2 DiD of group a (treated) vs group b (control) on periods [from, to): pre = [from, switchAt), post = [switchAt, to).
    /// </summary>
    private static double WindowDid(double[] mean, int T, int a, int b, int from, int switchAt, int to)
    {
        double Avg(int gk, int lo, int hi)
        {
            double s = 0;
            for (int t = lo; t < hi; t++) s += mean[gk * T + t];
            return s / (hi - lo);
        }
        return (Avg(a, switchAt, to) - Avg(a, from, switchAt)) - (Avg(b, switchAt, to) - Avg(b, from, switchAt));
    }

    /// <summary>Closed-form balanced-panel TWFE: β̂ = Σ D̈ y / Σ D̈², and V̂ᴰ = Σ D̈² / NT.</summary>
    private static (double Beta, double VarD) TwoWayEstimate(BalancedPanel panel, int[] start, Dictionary<long, int> groupIndex)
    {
        int n = panel.N, T = panel.T;
        var d = new double[n * T];
        for (int i = 0; i < n; i++)
        {
            long g = panel.Cohort[i];
            if (g == 0) continue;
            int s = start[groupIndex[g]];
            for (int t = s; t < T; t++) d[i * T + t] = 1;
        }
        var rowMean = new double[n];
        var colMean = new double[T];
        double all = 0;
        for (int i = 0; i < n; i++)
            for (int t = 0; t < T; t++)
            {
                double v = d[i * T + t];
                rowMean[i] += v / T;
                colMean[t] += v / n;
                all += v;
            }
        all /= n * T;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
            for (int t = 0; t < T; t++)
            {
                double dd = d[i * T + t] - rowMean[i] - colMean[t] + all;
                sxx += dd * dd;
                sxy += dd * panel.Y[i * T + t];
            }
        return (sxy / sxx, sxx / (n * T));
    }
}
