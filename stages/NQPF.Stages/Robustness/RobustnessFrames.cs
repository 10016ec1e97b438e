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
        Str("specification", rows, r => r.Specification),
        Str("treatment", rows, r => r.Treatment),
        Str("outcome", rows, r => r.Outcome),
        Dbl("estimate", rows, r => r.Estimate),
        Dbl("se", rows, r => r.Se),
        Dbl("t", rows, r => r.T),
        Dbl("p", rows, r => r.P),
        Dbl("p_wild_bootstrap", rows, r => r.WildBootstrapP),
        Dbl("ci_low", rows, r => r.CiLow),
        Dbl("ci_high", rows, r => r.CiHigh),
        Lng("n", rows, r => r.N),
        Lng("clusters", rows, r => r.Clusters),
        Str("recipe", rows, r => r.Recipe),
        Str("note", rows, r => r.Note));

    /// <summary>robustness/event_study: treatment, rel_time, estimate, se, t, p, ci_low, ci_high, n (rel_time −1 = reference, 0).</summary>
    public static Frame EventStudy(IReadOnlyList<EventStudyRow> rows) => new(
        Str("treatment", rows, r => r.Treatment),
        Lng("rel_time", rows, r => r.RelTime),
        Dbl("estimate", rows, r => r.Estimate),
        Dbl("se", rows, r => r.Se),
        Dbl("t", rows, r => r.T),
        Dbl("p", rows, r => r.P),
        Dbl("ci_low", rows, r => r.CiLow),
        Dbl("ci_high", rows, r => r.CiHigh),
        Lng("n", rows, r => r.N));

    /// <summary>robustness/pretrend: treatment, leads (q), f, f_p, chi2, chi2_p, recipe, note (how to read the test).</summary>
    public static Frame Pretrend(IReadOnlyList<PretrendRow> rows) => new(
        Str("treatment", rows, r => r.Treatment),
        Lng("leads", rows, r => r.Leads),
        Dbl("f", rows, r => r.F),
        Dbl("f_p", rows, r => r.FP),
        Dbl("chi2", rows, r => r.Chi2),
        Dbl("chi2_p", rows, r => r.ChiP),
        Str("recipe", rows, r => r.Recipe),
        Str("note", rows, r => r.Note));

    /// <summary>robustness/placebo_draws: treatment, kind, draw, estimate, se, t, p (every draw).</summary>
    public static Frame PlaceboDraws(IReadOnlyList<PlaceboRun> runs)
    {
        var rows = runs.SelectMany(r => r.Draws.Select(d => (Run: r, Draw: d))).ToList();
        return new Frame(
            Str("treatment", rows, r => r.Run.Treatment),
            Str("kind", rows, r => PlaceboRuns.Name(r.Run.Kind)),
            Lng("draw", rows, r => r.Draw.Draw),
            Dbl("estimate", rows, r => r.Draw.Estimate),
            Dbl("se", rows, r => r.Draw.Se),
            Dbl("t", rows, r => r.Draw.T),
            Dbl("p", rows, r => r.Draw.P));
    }

    /// <summary>
    /// robustness/placebo_summary: treatment, kind, real_estimate, draws, failed, as_extreme, p_value (two-sided
    /// empirical, (1 + as_extreme)/(1 + draws)), mean, sd, q025, q500, q975, share_significant (conventional p &lt; 0.05).
    /// </summary>
    public static Frame PlaceboSummary(IReadOnlyList<PlaceboRun> runs) => new(
        Str("treatment", runs, r => r.Treatment),
        Str("kind", runs, r => PlaceboRuns.Name(r.Kind)),
        Dbl("real_estimate", runs, r => r.Summary.RealEstimate),
        Lng("draws", runs, r => r.Summary.Draws),
        Lng("failed", runs, r => r.Summary.Failed),
        Lng("as_extreme", runs, r => r.Summary.AsExtreme),
        Dbl("p_value", runs, r => r.Summary.PValue),
        Dbl("mean", runs, r => r.Summary.Mean),
        Dbl("sd", runs, r => r.Summary.Sd),
        Dbl("q025", runs, r => r.Summary.Q025),
        Dbl("q500", runs, r => r.Summary.Q500),
        Dbl("q975", runs, r => r.Summary.Q975),
        Dbl("share_significant", runs, r => r.Summary.ShareSignificant));

    /// <summary>
    /// robustness/psm_balance: treatment, method, variable, mean_t/mean_c/smd/bias/t/p before and after, bias_reduction
    /// (SMD as MatchIt for the ATT, standardised bias % and t-tests as psmatch2's pstest).
    /// </summary>
    public static Frame PsmBalance(IReadOnlyList<PsmBalanceRow> rows) => new(
        Str("treatment", rows, r => r.Treatment),
        Str("method", rows, r => r.Method),
        Str("variable", rows, r => r.Balance.Variable),
        Dbl("mean_t_before", rows, r => r.Balance.MeanTreatedBefore),
        Dbl("mean_c_before", rows, r => r.Balance.MeanControlBefore),
        Dbl("smd_before", rows, r => r.Balance.SmdBefore),
        Dbl("bias_before", rows, r => r.Balance.BiasBefore),
        Dbl("t_before", rows, r => r.Balance.TBefore),
        Dbl("p_before", rows, r => r.Balance.PBefore),
        Dbl("mean_t_after", rows, r => r.Balance.MeanTreatedAfter),
        Dbl("mean_c_after", rows, r => r.Balance.MeanControlAfter),
        Dbl("smd_after", rows, r => r.Balance.SmdAfter),
        Dbl("bias_after", rows, r => r.Balance.BiasAfter),
        Dbl("t_after", rows, r => r.Balance.TAfter),
        Dbl("p_after", rows, r => r.Balance.PAfter),
        Dbl("bias_reduction", rows, r => r.Balance.BiasReduction));

    /// <summary>robustness/psm_scores: treatment, year (0 = pooled), n, treated, deviance, iterations, status.</summary>
    public static Frame PsmScores(IReadOnlyList<PsmScoreRow> rows) => new(
        Str("treatment", rows, r => r.Treatment),
        Lng("year", rows, r => r.Year),
        Lng("n", rows, r => r.N),
        Lng("treated", rows, r => r.Treated),
        Dbl("deviance", rows, r => r.Deviance),
        Lng("iterations", rows, r => r.Iterations),
        Str("status", rows, r => r.Status));

    internal static StringColumn Str<T>(string name, IReadOnlyList<T> rows, Func<T, string?> f) => new(name, rows.Select(f).ToArray());

    internal static DoubleColumn Dbl<T>(string name, IReadOnlyList<T> rows, Func<T, double> f) => new(name, rows.Select(f).ToArray());

    internal static LongColumn Lng<T>(string name, IReadOnlyList<T> rows, Func<T, long> f) => new(name, rows.Select(f).ToArray());
}
