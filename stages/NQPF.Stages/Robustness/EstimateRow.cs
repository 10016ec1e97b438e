namespace NQPF.Stages.Robustness;

/// <summary>One estimate of a treatment effect under a named specification (a row of the robustness tables).</summary>
internal sealed record EstimateRow(
    string Specification, string Treatment, string Outcome, double Estimate, double Se, double T, double P,
    double CiLow, double CiHigh, long N, long Clusters, string Recipe, string Note)
{
    /// <summary>Wild cluster bootstrap p-value of H₀: effect = 0 (NaN when the spec clusters on enough groups not to need it).</summary>
    public double WildBootstrapP { get; init; } = double.NaN;

    public static EstimateRow NotEstimated(string specification, string treatment, string outcome, string why) =>
        new(specification, treatment, outcome, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, "", why);
}
