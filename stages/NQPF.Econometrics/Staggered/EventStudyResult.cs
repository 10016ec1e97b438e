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

/// <summary>Regression plumbing shared by the event-time estimators: FE unit + period, cluster-robust vcov (econ API).</summary>
internal static class StaggeredRegression
{
    private static readonly FitOptions KeepSingletons = new(Absorb: new AbsorbOptions(DropSingletons: false));

    /// <summary>
    /// y on the given dummies with unit and period fixed effects over the included rows, and the clustered vcov with
    /// the default small-sample correction (fixest: G/(G−1)·(N−1)/(N−K), K = slopes + non-nested FE levels).
    /// Singletons are kept, as fixest's feols does by default (fixef.rm = "perfect" removes nothing in OLS): they leave
    /// the coefficients unchanged but enter N and G of the small-sample factor (didimputation's pre-trend SEs depend on it).
    /// </summary>
    public static (OlsFit Fit, VarianceEstimate Vcov) Fit(StaggeredPanel panel, IReadOnlyList<NamedColumn> dummies, bool[]? include, VcovKind kind = VcovKind.Cluster)
    {
        var unit = Factor.FromCodes("unit", panel.ObsUnit, panel.UnitCount);
        var period = Factor.FromCodes("period", panel.ObsPeriod, panel.PeriodCount);
        var fit = Regression.Fit(new RegressionInput("y", panel.Y, dummies, [unit, period], include), KeepSingletons);
        // Clustered by the unit, the cluster codes are the unit codes: rows are sorted by unit, so encoding the unit ids
        // in order of appearance would give the same codes, without hashing every row's string.
        var cluster = panel.ClusteredByUnit ? Factor.FromCodes(panel.ClusterName, panel.ObsUnit, panel.UnitCount)
            : Factor.FromStrings(panel.ClusterName, panel.ObsCluster);
        var spec = kind == VcovKind.Cluster ? VcovSpec.Cluster(cluster) : VcovSpec.Iid();
        return (fit, Vcov.Compute(fit, spec));
    }

    /// <summary>θ = Σ w_j β_j over named terms and its SE sqrt(w'Vw).</summary>
    public static (double Estimate, double Se) Combine(OlsFit fit, VarianceEstimate vcov, IReadOnlyList<(string Term, double Weight)> weights)
    {
        var idx = weights.Select(w => fit.IndexOf(w.Term)).ToArray();
        double est = 0, var = 0;
        for (int a = 0; a < idx.Length; a++)
        {
            est += weights[a].Weight * fit.Coefficients[idx[a]];
            for (int b = 0; b < idx.Length; b++)
                var += weights[a].Weight * weights[b].Weight * vcov.Matrix[idx[a] * vcov.Dimension + idx[b]];
        }
        return (est, Math.Sqrt(var));
    }

    /// <summary>Cov(Σ_a w_a β, Σ_b w_b β) for every pair of combinations: the covariance of aggregated event-time effects (row-major).</summary>
    public static double[] CombineCovariance(OlsFit fit, VarianceEstimate vcov, IReadOnlyList<IReadOnlyList<(string Term, double Weight)>> combinations)
    {
        var n = combinations.Count;
        var cov = new double[n * n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                foreach (var (ta, wa) in combinations[r])
                    foreach (var (tb, wb) in combinations[c])
                        cov[r * n + c] += wa * wb * vcov.Matrix[fit.IndexOf(ta) * vcov.Dimension + fit.IndexOf(tb)];
        return cov;
    }

    /// <summary>
    /// Joint Wald test that every combination Σ w_j β_j of <paramref name="leads"/> is 0, with the fit's own vcov:
    /// W = b'(R V R')⁻¹b on χ²_q and F = W/q on (q, the vcov's t df) (<see cref="Wald.Test"/>). Null when there is no lead;
    /// a singular R V R' (e.g. an outcome the model fits exactly) gives a test with NaN statistics saying so, since the
    /// pre-test is a by-product that must not stop the estimator.
    /// </summary>
    public static WaldTest? JointZero(OlsFit fit, VarianceEstimate vcov, IReadOnlyList<IReadOnlyList<(string Term, double Weight)>> leads, string hypothesis)
    {
        if (leads.Count == 0) return null;
        var restrictions = leads.Select(l => (IReadOnlyDictionary<string, double>)l.ToDictionary(x => x.Term, x => x.Weight, StringComparer.Ordinal)).ToList();
        try
        {
            return Wald.Test(Inference.Summarise(fit, vcov), restrictions, [.. leads.Select(_ => 0.0)], hypothesis);
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
