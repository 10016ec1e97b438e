using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Matching;

namespace NQPF.Stages.Robustness;

/// <summary>One propensity-score logit of the PSM step (per year, or one pooled); Status says why a group was skipped.</summary>
internal sealed record PsmScoreRow(string Treatment, long Year, int N, int Treated, double Deviance, int Iterations, string Status);

/// <summary>A balance row of one matching method.</summary>
internal sealed record PsmBalanceRow(string Treatment, string Method, BalanceRow Balance);

/// <summary>Everything the PSM-DID step produces for the stage's tables.</summary>
internal sealed record PsmDidResult(IReadOnlyList<EstimateRow> Estimates, IReadOnlyList<PsmBalanceRow> Balance, IReadOnlyList<PsmScoreRow> Scores);

/// <summary>
/// PSM-DID: a logit propensity score of "ever treated by the policy" on the covariates (per year, or pooled over
/// city-years), matching (nearest neighbour 1:k with caliper and common support; Epanechnikov kernel; radius), a
/// balance table per method, and the baseline TWFE re-estimated on the matched sample by weighted least squares with
/// the matching weights (MatchIt's: 1 for a matched treated city-year; for controls the number of times matched,
/// kernel or radius weights), city-years with weight 0 left out — the PSM-DID of MatchIt + lm(weights =) / psmatch2 +
/// reghdfe [aw=_weight].
/// </summary>
internal static class PsmDid
{
    public static PsmDidResult Run(RobustnessPanel panel, RobustnessOptions options)
    {
        var settings = options.Psm;
        var covariateNames = settings.Covariates.Count > 0 ? settings.Covariates : options.ControlList;
        if (covariateNames.Count == 0)
            throw new ConfigValidationException("Robustness.Psm.Covariates: no covariates (and Robustness.Controls is empty).");
        var covariates = covariateNames.Select(panel.Column).ToArray();
        var controls = options.ControlList.Select(c => new NamedColumn(c, panel.Column(c))).ToArray();
        var outcome = panel.Column(options.Outcome);
        var estimates = new List<EstimateRow>();
        var balance = new List<PsmBalanceRow>();
        var scores = new List<PsmScoreRow>();
        foreach (var t in options.Treatments)
        {
            var cohort = panel.CohortOfRow[t.Name];
            var ever = cohort.Select(c => c > 0).ToArray();
            var distance = Scores(panel, t.Name, ever, covariates, covariateNames, settings.Scope == "year", scores);
            var used = Enumerable.Range(0, panel.Rows).Where(i => double.IsFinite(distance[i])).ToArray();
            var dist = used.Select(i => distance[i]).ToArray();
            var treated = used.Select(i => ever[i]).ToArray();
            long[]? strata = settings.Scope == "year" ? used.Select(i => panel.Year[i]).ToArray() : null;
            var discard = Enum.Parse<CommonSupport>(settings.CommonSupport, ignoreCase: true);
            var methods = new (string Name, Func<MatchResult> Match)[]
            {
                ("psm_nearest", () => NearestNeighbourMatching.Match(dist, treated, new NearestNeighbourOptions(
                    settings.Ratio, settings.Replace, settings.Caliper > 0 ? new Caliper(settings.Caliper) : null, MatchOrder.Largest, discard), strata)),
                ("psm_kernel", () => KernelMatching.Epanechnikov(dist, treated, settings.KernelBandwidth, discard, strata)),
                ("psm_radius", () => KernelMatching.Radius(dist, treated, new Caliper(settings.Radius, InStandardDeviations: false), discard, strata)),
            };
            var d = panel.Treatment(t.Name);
            foreach (var (name, match) in methods)
            {
                var m = match();
                var weights = new double[panel.Rows];
                for (var k = 0; k < used.Length; k++) weights[used[k]] = m.Weights[k];
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"{settings.Scope} scores; {m.MatchedTreatedCount} treated and {m.MatchedControlCount} control city-years matched, {m.Discarded.Count(x => x)} off support; weighted by the matching weights");
                estimates.Add(Twfe.Estimate(new TwfeSpec(name, t.Name, options.Outcome, outcome, controls,
                    [panel.Unit, panel.YearFactor], panel.Unit, Note: note, Weights: weights), d));
                var rows = BalanceTable.Compute(["distance", .. covariateNames],
                    [dist, .. covariates.Select(c => used.Select(i => c[i]).ToArray())], treated, m.Weights);
                balance.AddRange(rows.Select(r => new PsmBalanceRow(t.Name, name, r)));
            }
        }
        return new PsmDidResult(estimates, balance, scores);
    }

    /// <summary>
    /// Propensity scores per row (NaN where a covariate is missing or the group's logit could not be fitted): one logit
    /// per year, or one over all rows. A group whose logit is degenerate (separation, no convergence, collinear
    /// covariates, a constant treatment) gets no scores and a row in <paramref name="log"/> saying why.
    /// </summary>
    private static double[] Scores(RobustnessPanel panel, string treatment, bool[] ever, double[][] covariates,
        IReadOnlyList<string> names, bool byYear, List<PsmScoreRow> log)
    {
        var distance = Enumerable.Repeat(double.NaN, panel.Rows).ToArray();
        var complete = Enumerable.Range(0, panel.Rows).Where(i => covariates.All(c => double.IsFinite(c[i]))).ToArray();
        var groups = byYear ? complete.GroupBy(i => panel.Year[i]) : complete.GroupBy(_ => 0L);
        foreach (var g in groups.OrderBy(g => g.Key))
        {
            var rows = g.ToArray();
            var y = rows.Select(i => ever[i] ? 1.0 : 0.0).ToArray();
            var treatedCount = (int)y.Sum();
            try
            {
                var fit = Logit.Fit(y, covariates.Select(c => rows.Select(i => c[i]).ToArray()).ToArray(), names);
                for (var k = 0; k < rows.Length; k++) distance[rows[k]] = fit.Fitted[k];
                log.Add(new PsmScoreRow(treatment, g.Key, rows.Length, treatedCount, fit.Deviance, fit.Iterations, "ok"));
            }
            catch (Exception ex) when (ex is SeparationException or NonConvergenceException or RankDeficiencyException or ArgumentException)
            {
                log.Add(new PsmScoreRow(treatment, g.Key, rows.Length, treatedCount, double.NaN, 0, "skipped: " + ex.Message));
            }
        }
        return distance;
    }
}
