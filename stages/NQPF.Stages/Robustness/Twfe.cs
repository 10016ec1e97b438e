using NQPF.Econometrics;
using NQPF.Econometrics.WildBootstrap;

namespace NQPF.Stages.Robustness;

/// <summary>A TWFE specification over the robustness panel; every field has the baseline as default.</summary>
internal sealed record TwfeSpec(
    string Name,
    string Treatment,
    string OutcomeName,
    double[] Outcome,
    IReadOnlyList<NamedColumn> Controls,
    IReadOnlyList<Factor> FixedEffects,
    Factor Cluster,
    bool[]? Include = null,
    string Note = "",
    double[]? Weights = null,
    WildBootstrapSettings? WildBootstrap = null);

/// <summary>Runs specifications through the econometrics core (FE absorption, OLS, CR1 clustered SEs).</summary>
internal static class Twfe
{
    /// <summary>
    /// y = τ·d + Xγ + FE + ε by <see cref="Regression.Fit"/> with the treatment required (a collinear treatment throws
    /// <see cref="RankDeficiencyException"/>, reported as a not-estimated row) and the cluster-robust vcov with the
    /// default small-sample correction (<see cref="VcovSpec.Cluster"/>); weighted least squares when the spec has weights.
    /// With fewer clusters than <see cref="WildBootstrapSettings.MaxClusters"/> the analytic p-value is joined by the wild
    /// cluster bootstrap's (WCR, null imposed; <see cref="WildClusterBootstrap"/>): its recipe is appended to the row's and
    /// both p-values to its note, which the report prints under the table.
    /// </summary>
    public static EstimateRow Estimate(TwfeSpec spec, double[] treatment)
    {
        var input = new RegressionInput(spec.OutcomeName, spec.Outcome,
            [new NamedColumn(spec.Treatment, treatment), .. spec.Controls], spec.FixedEffects, spec.Include, spec.Weights);
        try
        {
            var fit = Regression.Fit(input, new FitOptions(RequiredTerms: [spec.Treatment]));
            var result = Inference.Summarise(fit, VcovSpec.Cluster(spec.Cluster));
            var row = result[spec.Treatment];
            var note = fit.DroppedCollinear.Count == 0 ? spec.Note
                : Join(spec.Note, "dropped as collinear: " + string.Join(", ", fit.DroppedCollinear));
            var clusters = result.Vcov.Recipe.ClusterCounts[0];
            var wild = spec.WildBootstrap is { } w && clusters < w.MaxClusters && !fit.FixedEffects.IsWeighted
                ? WildClusterBootstrap.Run(fit, spec.Treatment, spec.Cluster, w.ToOptions())
                : null;
            if (wild is not null)
                note = Join(note, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{spec.Treatment}: wild cluster bootstrap p = {wild.P:F4} beside the analytic p = {row.P:F4} ({clusters} clusters)"));
            return new EstimateRow(spec.Name, spec.Treatment, spec.OutcomeName, row.Estimate, row.Se, row.T, row.P,
                row.CiLow, row.CiHigh, fit.N, clusters, result.Vcov.Recipe.Describe() + (wild is null ? "" : " " + wild.Describe()), note)
            {
                WildBootstrapP = wild?.P ?? double.NaN,
            };
        }
        catch (RankDeficiencyException ex)
        {
            return EstimateRow.NotEstimated(spec.Name, spec.Treatment, spec.OutcomeName, Join(spec.Note, ex.Message));
        }
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;
}
