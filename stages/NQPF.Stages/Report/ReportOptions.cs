using System.ComponentModel.DataAnnotations;

namespace NQPF.Stages.Report;

/// <summary>Language of the labels in the report, the Word tables and the workbook.</summary>
public enum ReportLanguage
{
    English,
    Chinese,
}

/// <summary>The "Report" section: how the report is labelled, formatted, and how a refresh is compared.</summary>
public sealed record ReportOptions : IValidatableObject
{
    public ReportLanguage Language { get; init; } = ReportLanguage.English;

    /// <summary>The report's title; null or empty: the study's title from the label catalogue in the report's language.</summary>
    public string? Title { get; init; }

    /// <summary>Star thresholds on p-values, loosest first: one star below the first, two below the second, …</summary>
    public double[] StarLevels { get; init; } = [0.1, 0.05, 0.01];

    /// <summary>Significance level for "changed significance" in the refresh comparison.</summary>
    [Range(1e-6, 0.5)]
    public double SignificanceLevel { get; init; } = 0.05;

    /// <summary>A key estimate is flagged when it moved by more than this many of its old standard errors.</summary>
    [Range(0, 100)]
    public double DiffThresholdSe { get; init; } = 1.0;

    /// <summary>Decimals of coefficients and standard errors.</summary>
    [Range(0, 8)]
    public int Decimals { get; init; } = 4;

    /// <summary>Tables with more rows are summarised in the report (shape, first rows), not printed in full.</summary>
    [Range(1, 100000)]
    public int MaxRows { get; init; } = 40;

    /// <summary>Label overrides for column names, terms and dataset titles (e.g. "bb" → "宽带中国"), in the chosen language.</summary>
    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StarLevels.Length == 0 || StarLevels.Any(l => l is <= 0 or >= 1)
            || StarLevels.Zip(StarLevels.Skip(1)).Any(p => p.Second >= p.First))
            yield return new ValidationResult("StarLevels must be decreasing p-values in (0, 1), e.g. [0.1, 0.05, 0.01].", [nameof(StarLevels)]);
    }
}
