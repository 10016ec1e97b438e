using System.Globalization;

namespace NQPF.Econometrics.Staggered;

/// <summary>Which cohort Sun–Abraham uses as the comparison.</summary>
internal enum SaControl
{
    /// <summary>The never treated (fixest sunab's default reference cohort).</summary>
    NeverTreated,

    /// <summary>The last-treated cohort, with periods from its first treated period on dropped (Sun &amp; Abraham 2021).</summary>
    LastTreated,
}

/// <summary>
/// Sun &amp; Abraham (2021) interaction-weighted event study as fixest 0.14 <c>sunab()</c> estimates it:
/// y_it = α_i + λ_t + Σ_{c ∉ control} Σ_{k ≠ −1} β_ck 1{g_i = c, t − c = k} + ε with every cohort × relative-period
/// cell present, clustered SEs (econ vcov, fixest default small-sample correction). Event-time effects are
/// β_k = Σ_c w_ck β_ck with w_ck ∝ the number of estimation-sample observations in cell (c, k) (fixest's aggregate()
/// shares); the ATT is the same share-weighted average over all cells with k ≥ 0. SEs are sqrt(w'Vw) from the vcov of
/// the β_ck. Cells collinear with the fixed effects are dropped (as fixest does) and left out of the aggregation.
/// The pre-trend test is the joint Wald test that every aggregated lead β_k (k ≤ −2) is 0, W = b'(R V R')⁻¹b with the
/// rows of R the aggregation weights (χ²_q, and F on (q, G − 1)); with one cohort it is the TWFE event study's test.
/// With <see cref="SaControl.LastTreated"/> the last cohort has no interactions and periods t ≥ its first treated
/// period are dropped (counted in <see cref="EventStudyResult.Drops"/>).
/// Degenerate cases: no never-treated unit with <see cref="SaControl.NeverTreated"/>, or fewer than two cohorts with
/// <see cref="SaControl.LastTreated"/>, throw <see cref="ArgumentException"/>.
/// Checked against fixest 0.14.2 on mpdta (sunab_mpdta.json: cohort × period, event-time and ATT, within 1e-6).
/// </summary>
internal static class SunAbraham
{
    public static EventStudyResult Estimate(StaggeredPanel panel, SaControl control = SaControl.NeverTreated)
    {
        // Kept as one function: the cohort × period interactions, the one TWFE fit and the cohort-share aggregation with its
        // delta-method vcov follow fixest's sunab step by step and share the design and the vcov.
        var cohorts = panel.Cohorts;
        var drops = panel.Drops.ToList();
        var include = new bool[panel.ObservationCount];
        Array.Fill(include, true);
        long? reference = null;
        if (control == SaControl.NeverTreated)
        {
            if (!panel.UnitCohort.Contains(0L))
                throw new ArgumentException("Sun-Abraham: there is no never-treated unit; use the last-treated cohort as control.");
        }
        else
        {
            if (cohorts.Length < 2) throw new ArgumentException("Sun-Abraham: the last-treated control needs at least two cohorts.");
            reference = cohorts[^1];
            int removed = 0;
            for (int o = 0; o < include.Length; o++)
            {
                if (panel.Periods[panel.ObsPeriod[o]] < reference.Value) continue;
                include[o] = false;
                removed++;
            }
            drops.Add(new SampleDrop(
                string.Create(CultureInfo.InvariantCulture, $"periods from {reference} on (the last-treated control cohort is treated)"), 0, removed));
        }

        // One dummy per cohort × relative period present in the sample, k ≠ −1.
        var dummies = CellDummies.Create(panel, include, (g, t) => g == 0 || g == reference || t - g == -1 ? null : (t - g, g));
        var fit = StaggeredRegression.Fit(panel, [.. dummies.Keys.Select(k => StaggeredRegression.CohortTerm(k.Cohort, k.E))], dummies.ObsColumn, include);

        var estimated = dummies.Keys.Select((k, j) => (k.Cohort, k.E, Count: (double)dummies.Counts[j]))
            .Where(c => fit.IndexOf(StaggeredRegression.CohortTerm(c.Cohort, c.E)) >= 0).OrderBy(c => c.Cohort).ThenBy(c => c.E).ToArray();
        var cohortEffects = estimated.Select(c =>
        {
            int j = fit.IndexOf(StaggeredRegression.CohortTerm(c.Cohort, c.E));
            return new CohortEventEffect(c.Cohort, c.E, fit.Coefficients[j], fit.Vcov.StandardError(j));
        }).OrderBy(c => c.E).ThenBy(c => c.Cohort).ToArray();

        var events = new List<EventEffect>();
        foreach (var e in estimated.Select(c => c.E).Distinct().Order())
        {
            var (est, se) = StaggeredRegression.Combine(fit, Shares(estimated.Where(c => c.E == e)));
            events.Add(new EventEffect(e, est, se));
        }
        var post = estimated.Where(c => c.E >= 0).ToArray();
        if (post.Length == 0) throw new ArgumentException("Sun-Abraham: no post-treatment cohort × period cell could be estimated.");
        var (att, attSe) = StaggeredRegression.Combine(fit, Shares(post));

        var notes = panel.Notes.ToList();
        if (fit.DroppedCollinear.Count > 0) notes.Add("collinear with the fixed effects, dropped: " + string.Join(", ", fit.DroppedCollinear));
        string settings = control == SaControl.NeverTreated
            ? "Sun-Abraham (fixest sunab): control = never treated; reference period e = -1; weights = cohort shares of estimation-sample observations"
            : string.Create(CultureInfo.InvariantCulture, $"Sun-Abraham: control = last-treated cohort {reference} (periods >= {reference} dropped); reference period e = -1; weights = cohort shares of estimation-sample observations");
        var leads = estimated.Where(c => c.E <= -2).Select(c => c.E).Distinct().Order()
            .Select(e => (IReadOnlyList<(string, double)>)Shares(estimated.Where(c => c.E == e))).ToList();
        var pretrend = StaggeredRegression.JointZero(fit, leads, "all aggregated leads e <= -2 are 0");
        return new EventStudyResult("sa", events, att, attSe, cohortEffects, settings, fit.Vcov.Recipe.Describe(), fit.N, drops, notes, pretrend)
        {
            EventCovariance = StaggeredRegression.CombineCovariance(fit,
                [.. events.Select(x => (IReadOnlyList<(string, double)>)Shares(estimated.Where(c => c.E == x.E)))]),
        };
    }

    private static List<(string Term, double Weight)> Shares(IEnumerable<(long Cohort, long E, double Count)> cells)
    {
        var list = cells.ToList();
        double total = list.Sum(c => c.Count);
        return list.Select(c => (StaggeredRegression.CohortTerm(c.Cohort, c.E), c.Count / total)).ToList();
    }
}
