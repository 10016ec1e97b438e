using System.Globalization;

namespace NQPF.Econometrics.Staggered;

/// <summary>An effect at event time e = t − g.</summary>
internal sealed record EventEffect(long E, double Estimate, double Se);

/// <summary>A cohort × event-time coefficient (Sun–Abraham's interaction terms).</summary>
internal sealed record CohortEventEffect(long Cohort, long E, double Estimate, double Se);

/// <summary>
/// Result of an event-time estimator (TWFE event study, Sun–Abraham, imputation): effects by event time, the
/// aggregated ATT with its SE, the settings, inference recipe and sample drops that produced them, and the joint
/// pre-trend test that every lead (e ≤ −2) is 0 (null when there is no lead).
/// </summary>
internal sealed record EventStudyResult(
    string Estimator,
    IReadOnlyList<EventEffect> Event,
    double Att,
    double AttSe,
    IReadOnlyList<CohortEventEffect> CohortEffects,
    string Settings,
    string Inference,
    int Observations,
    IReadOnlyList<SampleDrop> Drops,
    IReadOnlyList<string> Notes,
    WaldTest? Pretrend = null)
{
    /// <summary>Covariance of the <see cref="Event"/> estimates (row-major, in their order) from the same vcov; null when not available (imputation).</summary>
    public double[]? EventCovariance { get; init; }
}

/// <summary>What the event-time estimators use of a regression: the estimated terms, their coefficients and clustered vcov.</summary>
/// <param name="Terms">Estimated dummies, in the order given (collinear ones left out).</param>
/// <param name="DroppedCollinear">Dummies dropped as collinear with the fixed effects and the earlier dummies.</param>
/// <param name="N">Observations in the fit.</param>
internal sealed record EventFit(IReadOnlyList<string> Terms, double[] Coefficients, IReadOnlyList<string> DroppedCollinear, int N, VarianceEstimate Vcov)
{
    public int IndexOf(string term)
    {
        for (var j = 0; j < Terms.Count; j++)
            if (string.Equals(Terms[j], term, StringComparison.Ordinal)) return j;
        return -1;
    }
}

/// <summary>Regression plumbing shared by the event-time estimators: FE unit + period, cluster-robust vcov (econ API).</summary>
internal static class StaggeredRegression
{
    internal static readonly FitOptions KeepSingletons = new(Absorb: new AbsorbOptions(DropSingletons: false));

    /// <summary>
    /// y on one-hot dummies with unit and period fixed effects over the included rows: <paramref name="obsColumn"/>[o]
    /// is the dummy observation o sets (−1: none) among <paramref name="names"/>. Clustered vcov with the default
    /// small-sample correction (fixest: G/(G−1)·(N−1)/(N−K), K = slopes + non-nested FE levels), or iid.
    /// Singletons are kept, as fixest's feols does by default (fixef.rm = "perfect" removes nothing in OLS): they leave
    /// the coefficients unchanged but enter N and G of the small-sample factor (didimputation's pre-trend SEs depend on it).
    /// Dummies constant within (cohort, period) cells on a complete unit × period sample take the cell-table fit of
    /// <see cref="CellRegression"/>; any other design the dense fit <see cref="DenseFit"/> (the same numbers to rounding).
    /// </summary>
    public static EventFit Fit(StaggeredPanel panel, IReadOnlyList<string> names, int[] obsColumn, bool[]? include, VcovKind kind = VcovKind.Cluster) =>
        (kind == VcovKind.Cluster ? CellRegression.TryFit(panel, names, obsColumn, include) : null)
        ?? DenseFit(panel, names, obsColumn, include, kind);

    /// <summary>The straightforward fit: every dummy a column over all rows, demeaned and regressed by <see cref="Regression.Fit"/>.</summary>
    internal static EventFit DenseFit(StaggeredPanel panel, IReadOnlyList<string> names, int[] obsColumn, bool[]? include, VcovKind kind = VcovKind.Cluster)
    {
        var dummies = names.Select(name => new NamedColumn(name, new double[panel.ObservationCount])).ToArray();
        for (int o = 0; o < obsColumn.Length; o++)
            if (obsColumn[o] >= 0) dummies[obsColumn[o]].Values[o] = 1;
        var unit = Factor.FromCodes("unit", panel.ObsUnit, panel.UnitCount);
        var period = Factor.FromCodes("period", panel.ObsPeriod, panel.PeriodCount);
        var fit = Regression.Fit(new RegressionInput("y", panel.Y, dummies, [unit, period], include), KeepSingletons);
        var spec = kind == VcovKind.Cluster ? VcovSpec.Cluster(ClusterFactor(panel)) : VcovSpec.Iid();
        return new EventFit(fit.Terms, fit.Coefficients, fit.DroppedCollinear, fit.N, Vcov.Compute(fit, spec));
    }

    /// <summary>
    /// The cluster of each row. Clustered by the unit, the cluster codes are the unit codes: rows are sorted by unit, so
    /// encoding the unit ids in order of appearance would give the same codes, without hashing every row's string.
    /// </summary>
    internal static Factor ClusterFactor(StaggeredPanel panel) => panel.ClusteredByUnit
        ? Factor.FromCodes(panel.ClusterName, panel.ObsUnit, panel.UnitCount)
        : Factor.FromStrings(panel.ClusterName, panel.ObsCluster);

    /// <summary>θ = Σ w_j β_j over named terms and its SE sqrt(w'Vw).</summary>
    public static (double Estimate, double Se) Combine(EventFit fit, IReadOnlyList<(string Term, double Weight)> weights)
    {
        var idx = weights.Select(w => fit.IndexOf(w.Term)).ToArray();
        double est = 0, var = 0;
        for (int a = 0; a < idx.Length; a++)
        {
            est += weights[a].Weight * fit.Coefficients[idx[a]];
            for (int b = 0; b < idx.Length; b++)
                var += weights[a].Weight * weights[b].Weight * fit.Vcov.Matrix[idx[a] * fit.Vcov.Dimension + idx[b]];
        }
        return (est, Math.Sqrt(var));
    }

    /// <summary>Cov(Σ_a w_a β, Σ_b w_b β) for every pair of combinations: the covariance of aggregated event-time effects (row-major).</summary>
    public static double[] CombineCovariance(EventFit fit, IReadOnlyList<IReadOnlyList<(string Term, double Weight)>> combinations)
    {
        var n = combinations.Count;
        var cov = new double[n * n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                foreach (var (ta, wa) in combinations[r])
                    foreach (var (tb, wb) in combinations[c])
                        cov[r * n + c] += wa * wb * fit.Vcov.Matrix[fit.IndexOf(ta) * fit.Vcov.Dimension + fit.IndexOf(tb)];
        return cov;
    }

    /// <summary>
    /// Joint Wald test that every combination Σ w_j β_j of <paramref name="leads"/> is 0, with the fit's own vcov:
    /// W = b'(R V R')⁻¹b on χ²_q and F = W/q on (q, the vcov's t df) (<see cref="Wald.Test"/>). Null when there is no lead;
    /// a singular R V R' (e.g. an outcome the model fits exactly) gives a test with NaN statistics saying so, since the
    /// pre-test is a by-product that must not stop the estimator.
    /// </summary>
    public static WaldTest? JointZero(EventFit fit, IReadOnlyList<IReadOnlyList<(string Term, double Weight)>> leads, string hypothesis)
    {
        if (leads.Count == 0) return null;
        var restrictions = leads.Select(l => (IReadOnlyDictionary<string, double>)l.ToDictionary(x => x.Term, x => x.Weight, StringComparer.Ordinal)).ToList();
        try
        {
            return Wald.Test(fit.Terms, fit.Coefficients, fit.Vcov, restrictions, [.. leads.Select(_ => 0.0)], hypothesis);
        }
        catch (RankDeficiencyException ex)
        {
            return new WaldTest(hypothesis + " (not testable: " + ex.Message + ")", leads.Count, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, []);
        }
    }

    public static string EventTerm(long e) => "e::" + e.ToString(CultureInfo.InvariantCulture);

    public static string CohortTerm(long cohort, long e) =>
        string.Create(CultureInfo.InvariantCulture, $"e::{e}:cohort::{cohort}");
}
