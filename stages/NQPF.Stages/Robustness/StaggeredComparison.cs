using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Staggered;
using NQPF.Stages.Analysis;
using NQPF.Stages.Common;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Robustness;

/// <summary>The comparison for one treatment definition: its frames (the report draws the figures from them).</summary>
internal sealed record StaggeredComparisonResult(IReadOnlyDictionary<string, Frame> Frames);

/// <summary>
/// Runs the four heterogeneity-robust estimators and the TWFE event study on one treatment definition with harmonised
/// settings, and returns (frames, keyed by output name):
/// <list type="bullet">
/// <item><c>staggered_event</c>: treatment, estimator (twfe_event | cs | sa | bjs), e, estimate, se, ci_low, ci_high, band —
/// event-time effects side by side (CS: dynamic aggregation, uniform bootstrap band when bootstrapped; others: pointwise
/// normal 95% intervals);</item>
/// <item><c>staggered_summary</c>: per estimator the aggregated ATT with SE and CI, the settings and inference recipe
/// as printed text, the sample drops (count and reason), and each estimator's joint pre-trend test (pretrend_test,
/// pretrend_chi2, pretrend_df, pretrend_p: TWFE event study, SA and BJS leads e ≤ −2 jointly 0 by Wald; CS did's Wald
/// pre-test of the pre-treatment ATT(g,t)). The TWFE test is contaminated by other cohorts' effects when effects differ
/// by cohort (Sun &amp; Abraham 2021); CS's varying-base pre-periods are short differences, SA's and BJS's are relative to
/// e = −1, so an effect of another policy just before the cohort year shows in all three;</item>
/// <item><c>bacon</c>: the Goodman-Bacon scatter data: type, treated, control, estimate, weight, plus the TWFE estimate
/// it decomposes (also a summary row "twfe_bacon").</item>
/// </list>
/// Pure: no I/O. Numbers come from the econometrics library, checked there against R (did, fixest, didimputation).
/// </summary>
internal static class StaggeredComparison
{
    private static readonly double Z975 = 1.959963984540054;

    /// <param name="unitName">Name of the unit variable (SEs are clustered by unit; the recipes print it).</param>
    public static StaggeredComparisonResult Run(string treatment, IReadOnlyList<string> units, long[] years, long[] cohorts, double[] outcome,
        StaggeredSpec settings, string unitName = "unit") =>
        Run(treatment, StaggeredPanel.Create(units, years, cohorts, outcome, anticipation: settings.Anticipation, unitName: unitName), settings);

    public static StaggeredComparisonResult Run(string treatment, StaggeredPanel panel, StaggeredSpec settings)
    {
        var events = new List<(string Estimator, EventEffect Effect, double Low, double High, string Band)>();
        var summary = new List<SummaryRow>();
        string harmonised = string.Create(CultureInfo.InvariantCulture,
            $"control = {(settings.Control == ControlGroup.NeverTreated ? "never treated" : "not yet treated")}, base period = {settings.Base.ToString().ToLowerInvariant()}, anticipation = {settings.Anticipation}");

        void AddEventStudy(EventStudyResult r, string name, string mapping)
        {
            foreach (var e in r.Event) events.Add((name, e, e.Estimate - Z975 * e.Se, e.Estimate + Z975 * e.Se, "pointwise"));
            var pretrend = r.Pretrend is { } w ? new PretrendTest("Wald: " + w.Hypothesis, w.Chi2, w.Restrictions, w.ChiP) : PretrendTest.None;
            summary.Add(new SummaryRow(name, r.Att, r.AttSe, r.Att - Z975 * r.AttSe, r.Att + Z975 * r.AttSe,
                harmonised + "; " + mapping + "; " + r.Settings, r.Inference, r.Observations, r.Drops, pretrend));
        }

        AddEventStudy(StaggeredAnalysis.TwfeEvent(panel, settings), "twfe_event", "TWFE has no control-group option");

        var cs = StaggeredAnalysis.CallawaySantAnna(panel, settings, allAggregations: false);
        var (balanced, dynamic, simple) = (cs.Balanced, cs.Dynamic, cs.Simple!);
        string band = StaggeredAnalysis.Bootstrap(settings, CsBootstrapStream.Dynamic) is null ? "pointwise" : "uniform";
        foreach (var e in dynamic.By)
            events.Add(("cs", new EventEffect(e.Value, e.Att, e.Se), e.Att - dynamic.CriticalValue * e.Se, e.Att + dynamic.CriticalValue * e.Se, band));
        summary.Add(new SummaryRow("cs", simple.Att, simple.Se, simple.Att - Z975 * simple.Se, simple.Att + Z975 * simple.Se,
            harmonised + "; " + cs.Cells.Settings + "; att = simple aggregation (cohort-size weights)",
            simple.Inference + string.Create(CultureInfo.InvariantCulture, $"; event-time band critical value {dynamic.CriticalValue:F3}"),
            balanced.N * balanced.T, balanced.Drops,
            new PretrendTest("did Wald pre-test: all pre-treatment ATT(g,t) are 0", cs.Cells.PretestWald, cs.Cells.PretestDf, cs.Cells.PretestPValue)));

        AddEventStudy(StaggeredAnalysis.SunAbrahamEvent(panel, settings), "sa",
            StaggeredAnalysis.SunAbrahamMapping(StaggeredAnalysis.SunAbrahamControl(settings.Control, panel)));
        AddEventStudy(StaggeredAnalysis.ImputationEvent(panel), "bjs", "imputation uses every untreated observation (never and not yet treated)");

        var bacon = StaggeredAnalysis.Bacon(panel);
        summary.Add(new SummaryRow("twfe_bacon", bacon.TwfeEstimate, double.NaN, double.NaN, double.NaN,
            "static TWFE decomposed by Goodman-Bacon (balanced panel); weights sum to " + bacon.WeightSum.ToString("R", CultureInfo.InvariantCulture),
            "no SE (decomposition)", balanced.N * balanced.T, bacon.Drops, PretrendTest.None));

        var frames = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["staggered_event"] = EventFrame(treatment, events),
            ["staggered_summary"] = SummaryFrame(treatment, summary),
            ["bacon"] = BaconFrame(treatment, bacon),
        };
        return new StaggeredComparisonResult(frames);
    }

    private sealed record SummaryRow(string Estimator, double Att, double Se, double Low, double High, string Settings, string Inference, int Observations,
        IReadOnlyList<SampleDrop> Drops, PretrendTest Pretrend);

    /// <summary>A joint pre-trend test: what it tests, its χ² statistic, degrees of freedom and p-value (NaN when there is none).</summary>
    private sealed record PretrendTest(string Test, double Chi2, int Df, double P)
    {
        public static readonly PretrendTest None = new("none", double.NaN, 0, double.NaN);
    }

    private static Frame EventFrame(string treatment, List<(string Estimator, EventEffect Effect, double Low, double High, string Band)> rows) => new(
        Text("treatment", rows, _ => treatment),
        Text("estimator", rows, r => r.Estimator),
        Long("e", rows, r => r.Effect.E),
        Double("estimate", rows, r => r.Effect.Estimate),
        Double("se", rows, r => r.Effect.Se),
        Double("ci_low", rows, r => r.Low),
        Double("ci_high", rows, r => r.High),
        Text("band", rows, r => r.Band));

    private static Frame SummaryFrame(string treatment, List<SummaryRow> rows) => new(
        Text("treatment", rows, _ => treatment),
        Text("estimator", rows, r => r.Estimator),
        Double("att", rows, r => r.Att),
        Double("se", rows, r => r.Se),
        Double("ci_low", rows, r => r.Low),
        Double("ci_high", rows, r => r.High),
        Long("observations", rows, r => r.Observations),
        Long("units_dropped", rows, r => r.Drops.Sum(d => d.Units)),
        Text("drops", rows, r => string.Join("; ", r.Drops.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"{d.Reason}: {d.Units} units, {d.Rows} rows")))),
        Text("settings", rows, r => r.Settings),
        Text("inference", rows, r => r.Inference),
        Text("pretrend_test", rows, r => r.Pretrend.Test),
        Double("pretrend_chi2", rows, r => r.Pretrend.Chi2),
        Long("pretrend_df", rows, r => r.Pretrend.Df),
        Double("pretrend_p", rows, r => r.Pretrend.P));

    private static Frame BaconFrame(string treatment, BaconResult bacon) => new(
        Text("treatment", bacon.Comparisons, _ => treatment),
        Text("type", bacon.Comparisons, c => BaconDecomposition.Name(c.Type)),
        Long("treated", bacon.Comparisons, c => c.Treated),
        Long("control", bacon.Comparisons, c => c.Control),
        Double("estimate", bacon.Comparisons, c => c.Estimate),
        Double("weight", bacon.Comparisons, c => c.Weight),
        Double("twfe", bacon.Comparisons, _ => bacon.TwfeEstimate));
}
