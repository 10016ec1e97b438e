using System.Globalization;

namespace NQPF.Econometrics.Staggered;

/// <summary>An effect at event time e = t − g.</summary>
internal sealed record EventEffect(long E, double Estimate, double Se);

/// <summary>A cohort × event-time coefficient (Sun–Abraham's interaction terms).</summary>
internal sealed record CohortEventEffect(long Cohort, long E, double Estimate, double Se);

/// <summary>
/// Result of an event-time estimator (TWFE event study, Sun–Abraham, imputation): effects by event time, the
/// aggregated ATT with its SE, and the settings, inference recipe and sample drops that produced them.
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
    IReadOnlyList<string> Notes);

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
        var spec = kind == VcovKind.Cluster ? VcovSpec.Cluster(Factor.FromStrings("cluster", panel.ObsCluster)) : VcovSpec.Iid();
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

    public static string EventTerm(long e) => "e::" + e.ToString(CultureInfo.InvariantCulture);

    public static string CohortTerm(long cohort, long e) =>
        string.Create(CultureInfo.InvariantCulture, $"e::{e}:cohort::{cohort}");
}
