namespace NQPF.Stages.Robustness;

/// <summary>One estimate of a treatment effect under a named specification (a row of the robustness tables).</summary>
internal sealed record EstimateRow(
    string Specification, string Treatment, string Outcome, double Estimate, double Se, double T, double P,
    double CiLow, double CiHigh, long N, long Clusters, string Recipe, string Note)
{
    /// <summary>Wild cluster bootstrap p-value of H₀: effect = 0 (NaN when the spec clusters on enough groups not to need it).</summary>
    public double WildBootstrapP { get; init; } = double.NaN;

    /// <summary>R² of the fit (<see cref="NQPF.Econometrics.OlsFit.R2"/>, as the estimate stage reports it); NaN when not estimated.</summary>
    public double R2 { get; init; } = double.NaN;

    /// <summary>Within R² of the fit (fixest wr2, <see cref="NQPF.Econometrics.OlsFit.R2Within"/>); NaN when not estimated.</summary>
    public double R2Within { get; init; } = double.NaN;

    public static EstimateRow NotEstimated(string specification, string treatment, string outcome, string why) =>
        new(specification, treatment, outcome, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, "", why);
}
