using NQPF.Econometrics;

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
    double[]? Weights = null);

/// <summary>Runs specifications through the econometrics core (FE absorption, OLS, CR1 clustered SEs).</summary>
internal static class Twfe
{
    /// <summary>
    /// y = τ·d + Xγ + FE + ε by <see cref="Regression.Fit"/> with the treatment required (a collinear treatment throws
    /// <see cref="RankDeficiencyException"/>, reported as a not-estimated row) and the cluster-robust vcov with the
    /// default small-sample correction (<see cref="VcovSpec.Cluster"/>); weighted least squares when the spec has weights.
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
            return new EstimateRow(spec.Name, spec.Treatment, spec.OutcomeName, row.Estimate, row.Se, row.T, row.P,
                row.CiLow, row.CiHigh, fit.N, result.Vcov.Recipe.ClusterCounts[0], result.Vcov.Recipe.Describe(), note);
        }
        catch (RankDeficiencyException ex)
        {
            return EstimateRow.NotEstimated(spec.Name, spec.Treatment, spec.OutcomeName, Join(spec.Note, ex.Message));
        }
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;
}
