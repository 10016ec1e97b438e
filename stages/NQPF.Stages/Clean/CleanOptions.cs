using System.ComponentModel.DataAnnotations;

namespace NQPF.Stages.Clean;

/// <summary>What the clean stage does with a city whose series has a gap longer than <see cref="CleanOptions.MaxGap"/>.</summary>
internal enum GapAction
{
    /// <summary>Exclude the city from the panel; clean/sample gives the variable and years as the reason.</summary>
    Drop,

    /// <summary>Fail the stage, naming every such city, variable and years.</summary>
    Fail,
}

/// <summary>Options of the clean stage (config section "Clean"). Everything here changes the numbers.</summary>
internal sealed record CleanOptions : IValidatableObject
{
    /// <summary>First year of the balanced panel.</summary>
    [Range(1949, 2100)]
    public int FirstYear { get; init; } = 2011;

    /// <summary>
    /// Last year of the balanced panel; 0 (the default) = the last year that has data in ingest/panel, so the panel
    /// extends itself when a new year's yearbook arrives. A fixed year pins the study period: later years are ignored.
    /// </summary>
    [Range(0, 2100)]
    public int LastYear { get; init; }

    /// <summary>The indicator system, relative to the config folder.</summary>
    [Required]
    public string IndicatorsFile { get; init; } = "indicators.json";

    /// <summary>
    /// Year-level series (relative to the config folder) whose numeric columns act as fields of every city in that
    /// year, e.g. exchange_rates.csv → cny_per_usd (used by the openness control). Columns: year + any others;
    /// non-numeric columns (source, confidence) are ignored. Null: the default list (the configuration binder appends
    /// to a non-empty default list instead of replacing it, so the default lives in <see cref="YearSeries"/>).
    /// </summary>
    public IReadOnlyList<string>? YearSeriesFiles { get; init; }

    /// <summary>The year-series files in effect.</summary>
    internal IReadOnlyList<string> YearSeries => YearSeriesFiles ?? ["exchange_rates.csv"];

    /// <summary>Rule for missing values at the start or end of a city's series.</summary>
    public EdgeRule EdgeRule { get; init; } = EdgeRule.Nearest;

    /// <summary>For <see cref="EdgeRule.Growth"/>: how many years of growth (observed intervals) to average.</summary>
    [Range(1, 20)]
    public int EdgeGrowthYears { get; init; } = 3;

    /// <summary>Longest run of missing years that is imputed; longer runs are reported and handled by <see cref="OnLongGap"/>.</summary>
    [Range(0, 50)]
    public int MaxGap { get; init; } = 3;

    public GapAction OnLongGap { get; init; } = GapAction.Drop;

    /// <summary>A variable that fewer than this share of the cities with data have any value of is unavailable (partial
    /// data): left missing in clean/panel, not used to drop cities, listed in settings.md (the index goes on without it).</summary>
    [Range(0.0, 1.0)]
    public double MinVariableCoverage { get; init; } = 0.5;

    /// <summary>Variables replaced by their natural logarithm (after interpolation; values must be &gt; 0).</summary>
    public IReadOnlyList<string> Log { get; init; } = [];

    /// <summary>Variables divided by PriceIndexField/100 before interpolation (a fixed-base price index, base year = 100).</summary>
    public IReadOnlyList<string> Deflate { get; init; } = [];

    /// <summary>Canonical field holding the price index used by <see cref="Deflate"/>.</summary>
    public string PriceIndexField { get; init; } = "price_index";

    /// <summary>Variables winsorised at <see cref="WinsoriseLower"/>/<see cref="WinsoriseUpper"/> (last step).</summary>
    public IReadOnlyList<string> Winsorise { get; init; } = [];

    [Range(0.0, 1.0)]
    public double WinsoriseLower { get; init; } = 0.01;

    [Range(0.0, 1.0)]
    public double WinsoriseUpper { get; init; } = 0.99;

    /// <summary>Winsorise within each year instead of over the pooled panel.</summary>
    public bool WinsoriseByYear { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LastYear != 0 && LastYear < FirstYear)
            yield return new ValidationResult($"LastYear {LastYear} is before FirstYear {FirstYear}.", [nameof(LastYear)]);
        if (LastYear is > 0 and < 1949)
            yield return new ValidationResult($"LastYear {LastYear} is not a year (0 = the last year with data).", [nameof(LastYear)]);
        if (WinsoriseLower >= WinsoriseUpper)
            yield return new ValidationResult("WinsoriseLower must be below WinsoriseUpper.", [nameof(WinsoriseLower)]);
    }
}
