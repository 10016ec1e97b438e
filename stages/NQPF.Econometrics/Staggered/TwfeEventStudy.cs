using System.Globalization;

namespace NQPF.Econometrics.Staggered;

/// <summary>
/// The dynamic two-way fixed-effects event study: y_it = α_i + λ_t + Σ_{e=−K..L, e≠−1} β_e 1{g_i ≠ 0, b(t − g_i) = e} + ε,
/// where b(·) clamps event time into [−K, L] so periods beyond the window are pooled into the two endpoint bins;
/// never-treated units have no dummies. Clustered SEs come from the econ vcov (fixest default small-sample
/// correction). The ATT is the equal-weight mean of the e ≥ 0 coefficients, θ = (1/m) Σ β_e, with SE sqrt(1'V1)/m from
/// the same vcov. Without <paramref name="leads"/> / <paramref name="lags"/> the window is every event time observed
/// (no binning). Degenerate cases: a window with no post-treatment bin, or a bin collinear with the fixed effects
/// (e.g. no never-treated unit and no binning), drops that term (reported in the notes); no e ≥ 0 term throws.
/// The pre-trend test is the joint Wald test that every lead coefficient (e ≤ −2) is 0, with the same vcov; it is the
/// test the robustness stage's event study prints (there with controls) and, like it, is contaminated by other cohorts'
/// post-treatment effects when effects differ by cohort (Sun &amp; Abraham 2021).
/// Checked: with a single treated cohort it is the Sun–Abraham regression, and reproduces its fixest-checked
/// coefficients and SEs on mpdta (cohort 2004 vs never treated); binning and the ATT combination are tested on mpdta.
/// </summary>
internal static class TwfeEventStudy
{
    public static EventStudyResult Estimate(StaggeredPanel panel, int? leads = null, int? lags = null)
    {
        long minE = long.MaxValue, maxE = long.MinValue;
        for (int o = 0; o < panel.ObservationCount; o++)
        {
            long g = panel.UnitCohort[panel.ObsUnit[o]];
            if (g == 0) continue;
            long e = panel.Periods[panel.ObsPeriod[o]] - g;
            minE = Math.Min(minE, e);
            maxE = Math.Max(maxE, e);
        }
        if (minE == long.MaxValue) throw new ArgumentException("Event study: no treated unit in the panel.");
        long lo = leads is int k ? -k : minE;
        long hi = lags is int l ? l : maxE;
        if (lo > -1 && lo != minE) throw new ArgumentException("Event study: leads must be at least 1 (e = -1 is the reference).");
        if (hi < 0) throw new ArgumentException("Event study: lags must be at least 0.");

        int pooledLow = 0, pooledHigh = 0;
        for (int o = 0; o < panel.ObservationCount; o++)
        {
            long g = panel.UnitCohort[panel.ObsUnit[o]];
            if (g == 0) continue;
            long e = panel.Periods[panel.ObsPeriod[o]] - g;
            if (e < lo) pooledLow++;
            if (e > hi) pooledHigh++;
        }
        var dummies = CellDummies.Create(panel, null, (g, t) =>
        {
            long e = t - g;
            if (e < lo) e = lo;
            if (e > hi) e = hi;
            return g == 0 || e == -1 ? null : (e, 0L);
        });
        var fit = StaggeredRegression.Fit(panel, [.. dummies.Keys.Select(k => StaggeredRegression.EventTerm(k.E))], dummies.ObsColumn, include: null);

        var events = new List<EventEffect>();
        foreach (var (e, _) in dummies.Keys)
        {
            int j = fit.IndexOf(StaggeredRegression.EventTerm(e));
            if (j >= 0) events.Add(new EventEffect(e, fit.Coefficients[j], fit.Vcov.StandardError(j)));
        }
        var post = events.Where(x => x.E >= 0).ToArray();
        if (post.Length == 0) throw new ArgumentException("Event study: no post-treatment coefficient could be estimated.");
        var (att, attSe) = StaggeredRegression.Combine(fit,
            post.Select(x => (StaggeredRegression.EventTerm(x.E), 1.0 / post.Length)).ToList());

        var notes = panel.Notes.ToList();
        if (fit.DroppedCollinear.Count > 0) notes.Add("collinear with the fixed effects, dropped: " + string.Join(", ", fit.DroppedCollinear));
        if (pooledLow + pooledHigh > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{pooledLow} observations pooled into the e = {lo} bin, {pooledHigh} into the e = {hi} bin"));
        string settings = string.Create(CultureInfo.InvariantCulture,
            $"TWFE event study: window e = {lo}..{hi} (endpoints binned), reference e = -1, unit + period FE; att = equal-weight mean of e >= 0 coefficients");
        var pretrend = StaggeredRegression.JointZero(fit,
            [.. events.Where(x => x.E <= -2).Select(x => (IReadOnlyList<(string, double)>)[(StaggeredRegression.EventTerm(x.E), 1.0)])], "all leads e <= -2 are 0");
        return new EventStudyResult("event", events, att, attSe, [], settings, fit.Vcov.Recipe.Describe(), fit.N, panel.Drops, notes, pretrend)
        {
            EventCovariance = StaggeredRegression.CombineCovariance(fit,
                [.. events.Select(x => (IReadOnlyList<(string, double)>)[(StaggeredRegression.EventTerm(x.E), 1.0)])]),
        };
    }
}
