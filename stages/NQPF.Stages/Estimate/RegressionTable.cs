using NQPF.Econometrics;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Estimate;

/// <summary>One model (column) of a regression table: its label and its result.</summary>
internal sealed record TableColumn(string Label, RegressionResult Result);

/// <summary>
/// The models of one of the study's regression tables (baseline, single vs dual, order, mechanisms, heterogeneity) and
/// the terms its published layout shows. The stage returns it as a long frame; the report lays it out (models as
/// columns, stars, SEs, FE/N/R² rows, notes) in every format, so the stage writes no document of its own.
/// </summary>
internal sealed record RegressionTable(string Name, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> ShownTerms)
{
    /// <summary>
    /// Long form: table, model, label, outcome, term, key_term (the term is one the published table shows — a policy
    /// term, not a control), estimate, se, t, p, ci_low, ci_high, n, r2, r2_within, k, clusters, t_df, vcov.
    /// </summary>
    public Frame ToFrame()
    {
        var rows = Columns.SelectMany((c, m) => c.Result.Coefficients.Select(r => (Model: m + 1, Column: c, Row: r))).ToList();
        return new Frame(
            Text("table", rows, _ => Name),
            Long("model", rows, r => (long)r.Model),
            Text("label", rows, r => r.Column.Label),
            Text("outcome", rows, r => r.Column.Result.Fit.OutcomeName),
            Text("term", rows, r => r.Row.Term),
            Bool("key_term", rows, r => ShownTerms.Contains(r.Row.Term)),
            Double("estimate", rows, r => r.Row.Estimate),
            Double("se", rows, r => r.Row.Se),
            Double("t", rows, r => r.Row.T),
            Double("p", rows, r => r.Row.P),
            Double("ci_low", rows, r => r.Row.CiLow),
            Double("ci_high", rows, r => r.Row.CiHigh),
            Long("n", rows, r => (long)r.Column.Result.Fit.N),
            Double("r2", rows, r => r.Column.Result.Fit.R2),
            Double("r2_within", rows, r => r.Column.Result.Fit.R2Within),
            Long("k", rows, r => (long)r.Column.Result.Vcov.Recipe.K),
            Long("clusters", rows, r => (long)r.Column.Result.Vcov.Recipe.ClusterCounts.DefaultIfEmpty(0).Min()),
            Double("t_df", rows, r => r.Column.Result.Vcov.Recipe.TDf),
            Text("vcov", rows, r => r.Column.Result.Vcov.Recipe.Describe()));
    }
}
