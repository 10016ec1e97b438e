using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Robustness;

/// <summary>Turns the stage's typed results into the frames it returns.</summary>
internal static class RobustnessFrames
{
    /// <summary>
    /// An estimate table (robustness/alternatives, robustness/psm_did): specification, treatment, outcome, estimate, se,
    /// t, p, p_wild_bootstrap (the wild cluster bootstrap p-value when the spec has few clusters, else NaN), ci_low,
    /// ci_high, n, clusters, recipe (the SE recipe), note (what the variation dropped, or why it is NaN).
    /// </summary>
    public static Frame Estimates(IReadOnlyList<EstimateRow> rows) => new(
        Text("specification", rows, r => r.Specification),
        Text("treatment", rows, r => r.Treatment),
        Text("outcome", rows, r => r.Outcome),
        Double("estimate", rows, r => r.Estimate),
        Double("se", rows, r => r.Se),
        Double("t", rows, r => r.T),
        Double("p", rows, r => r.P),
        Double("p_wild_bootstrap", rows, r => r.WildBootstrapP),
        Double("ci_low", rows, r => r.CiLow),
        Double("ci_high", rows, r => r.CiHigh),
        Long("n", rows, r => r.N),
        Long("clusters", rows, r => r.Clusters),
        Text("recipe", rows, r => r.Recipe),
        Text("note", rows, r => r.Note));

    /// <summary>robustness/event_study: treatment, rel_time, estimate, se, t, p, ci_low, ci_high, n (rel_time −1 = reference, 0).</summary>
    public static Frame EventStudy(IReadOnlyList<EventStudyRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Long("rel_time", rows, r => r.RelTime),
        Double("estimate", rows, r => r.Estimate),
        Double("se", rows, r => r.Se),
        Double("t", rows, r => r.T),
        Double("p", rows, r => r.P),
        Double("ci_low", rows, r => r.CiLow),
        Double("ci_high", rows, r => r.CiHigh),
        Long("n", rows, r => r.N));

    /// <summary>robustness/pretrend: treatment, leads (q), f, f_p, chi2, chi2_p, recipe, note (how to read the test).</summary>
    public static Frame Pretrend(IReadOnlyList<PretrendRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Long("leads", rows, r => r.Leads),
        Double("f", rows, r => r.F),
        Double("f_p", rows, r => r.FP),
        Double("chi2", rows, r => r.Chi2),
        Double("chi2_p", rows, r => r.ChiP),
        Text("recipe", rows, r => r.Recipe),
        Text("note", rows, r => r.Note));

    /// <summary>robustness/placebo_draws: treatment, kind, draw, estimate, se, t, p (every draw).</summary>
    public static Frame PlaceboDraws(IReadOnlyList<PlaceboRun> runs)
    {
        var rows = runs.SelectMany(r => r.Draws.Select(d => (Run: r, Draw: d))).ToList();
        return new Frame(
            Text("treatment", rows, r => r.Run.Treatment),
            Text("kind", rows, r => PlaceboRuns.Name(r.Run.Kind)),
            Long("draw", rows, r => r.Draw.Draw),
            Double("estimate", rows, r => r.Draw.Estimate),
            Double("se", rows, r => r.Draw.Se),
            Double("t", rows, r => r.Draw.T),
            Double("p", rows, r => r.Draw.P));
    }

    /// <summary>
    /// robustness/placebo_summary: treatment, kind, real_estimate, draws, failed, as_extreme, p_value (two-sided
    /// empirical, (1 + as_extreme)/(1 + draws)), mean, sd, q025, q500, q975, share_significant (conventional p &lt; 0.05).
    /// </summary>
    public static Frame PlaceboSummary(IReadOnlyList<PlaceboRun> runs) => new(
        Text("treatment", runs, r => r.Treatment),
        Text("kind", runs, r => PlaceboRuns.Name(r.Kind)),
        Double("real_estimate", runs, r => r.Summary.RealEstimate),
        Long("draws", runs, r => r.Summary.Draws),
        Long("failed", runs, r => r.Summary.Failed),
        Long("as_extreme", runs, r => r.Summary.AsExtreme),
        Double("p_value", runs, r => r.Summary.PValue),
        Double("mean", runs, r => r.Summary.Mean),
        Double("sd", runs, r => r.Summary.Sd),
        Double("q025", runs, r => r.Summary.Q025),
        Double("q500", runs, r => r.Summary.Q500),
        Double("q975", runs, r => r.Summary.Q975),
        Double("share_significant", runs, r => r.Summary.ShareSignificant));

    /// <summary>
    /// robustness/psm_balance: treatment, method, variable, mean_t/mean_c/smd/bias/t/p before and after, bias_reduction
    /// (SMD as MatchIt for the ATT, standardised bias % and t-tests as psmatch2's pstest).
    /// </summary>
    public static Frame PsmBalance(IReadOnlyList<PsmBalanceRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Text("method", rows, r => r.Method),
        Text("variable", rows, r => r.Balance.Variable),
        Double("mean_t_before", rows, r => r.Balance.MeanTreatedBefore),
        Double("mean_c_before", rows, r => r.Balance.MeanControlBefore),
        Double("smd_before", rows, r => r.Balance.SmdBefore),
        Double("bias_before", rows, r => r.Balance.BiasBefore),
        Double("t_before", rows, r => r.Balance.TBefore),
        Double("p_before", rows, r => r.Balance.PBefore),
        Double("mean_t_after", rows, r => r.Balance.MeanTreatedAfter),
        Double("mean_c_after", rows, r => r.Balance.MeanControlAfter),
        Double("smd_after", rows, r => r.Balance.SmdAfter),
        Double("bias_after", rows, r => r.Balance.BiasAfter),
        Double("t_after", rows, r => r.Balance.TAfter),
        Double("p_after", rows, r => r.Balance.PAfter),
        Double("bias_reduction", rows, r => r.Balance.BiasReduction));

    /// <summary>robustness/psm_scores: treatment, year (0 = pooled), n, treated, deviance, iterations, status.</summary>
    public static Frame PsmScores(IReadOnlyList<PsmScoreRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Long("year", rows, r => r.Year),
        Long("n", rows, r => r.N),
        Long("treated", rows, r => r.Treated),
        Double("deviance", rows, r => r.Deviance),
        Long("iterations", rows, r => r.Iterations),
        Text("status", rows, r => r.Status));
}
