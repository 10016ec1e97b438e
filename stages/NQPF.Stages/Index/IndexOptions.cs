using System.ComponentModel.DataAnnotations;
using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Stages.Index;

/// <summary>Normalisation and weights over the whole panel (time-variable, default) or within each year.</summary>
internal enum Normalisation
{
    Global,
    PerYear,
}

/// <summary>
/// Options of the index stage (config section "Index"). Every option that changes the numbers is here and is printed
/// in index/settings.md.
/// </summary>
internal sealed record IndexOptions : IValidatableObject
{
    /// <summary>The indicator system, relative to the config folder.</summary>
    [Required]
    public string IndicatorsFile { get; init; } = "indicators.json";

    /// <summary>Bounds and weights of the main index (nqpf): over all cities and years, or per year.</summary>
    public Normalisation Normalisation { get; init; } = Normalisation.Global;

    /// <summary>Shift constant A against ln 0 (x'' = x' + A).</summary>
    [Range(0.0, 1.0)]
    public double Shift { get; init; } = 1e-4;

    /// <summary>An indicator with finite values in fewer than this share of the city-years is left out of the index
    /// (partial data: clean leaves a variable the files do not supply missing) and listed in index/settings.md; one
    /// above it that still misses a cell is an error naming the cell.</summary>
    [Range(0.0, 1.0)]
    public double MinIndicatorCoverage { get; init; } = 0.5;

    /// <summary>Score on x' + A (default, "Shifted") or on x' ("Unshifted").</summary>
    public ScoreBasis ScoreBasis { get; init; } = ScoreBasis.Shifted;

    /// <summary>Multiply the indices by 100.</summary>
    public bool Times100 { get; init; }

    /// <summary>
    /// Fixed-base mode: a base run's index/weights exported as JSON (relative to the config folder), e.g.
    /// <c>nqpf export RUN 03-index/weights --format json --out config/vintages/base.json</c>. When set, the global
    /// index uses the base's bounds, weights, shift and PCA loadings instead of fitting them, so adding a year does
    /// not rewrite history. Empty: fit on this run's data.
    /// </summary>
    public string BaseWeightsFile { get; init; } = "";

    /// <summary>Fixed-base mode: what to do with values outside the base bounds (see <see cref="OutOfBaseRule"/>).</summary>
    public OutOfBaseRule OutOfBase { get; init; } = OutOfBaseRule.Extrapolate;

    /// <summary>First and last year of the "history" whose movement the vintage report measures.</summary>
    [Range(1949, 2100)]
    public int HistoryFirstYear { get; init; } = 2011;

    /// <summary>0 (the default): the previous run's last year, so each refresh measures how the years it already had moved.</summary>
    [Range(0, 2100)]
    public int HistoryLastYear { get; init; }

    internal bool FixedBase => !string.IsNullOrWhiteSpace(BaseWeightsFile);

    internal EntropyOptions EntropyOptions => new()
    {
        Shift = Shift,
        ScoreBasis = ScoreBasis,
        Times100 = Times100,
        OutOfBase = OutOfBase,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FixedBase && Normalisation == Normalisation.PerYear)
            yield return new ValidationResult(
                "BaseWeightsFile (fixed base) applies to Global normalisation; per-year weights never move when a year is added.",
                [nameof(BaseWeightsFile)]);
        if (HistoryLastYear != 0 && HistoryLastYear < HistoryFirstYear)
            yield return new ValidationResult("HistoryLastYear is before HistoryFirstYear.", [nameof(HistoryLastYear)]);
        if (HistoryLastYear is > 0 and < 1949)
            yield return new ValidationResult($"HistoryLastYear {HistoryLastYear} is not a year (0 = the previous run's last year).", [nameof(HistoryLastYear)]);
    }
}
