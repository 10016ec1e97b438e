namespace NQPF.Econometrics.CompositeIndex;

/// <summary>Whether more of an indicator is better (+) or worse (−) for the index.</summary>
public enum IndicatorDirection
{
    /// <summary>"+": x' = (x − min) / (max − min).</summary>
    Positive = 1,

    /// <summary>"−": x' = (max − x) / (max − min).</summary>
    Negative = -1,
}

/// <summary>Whether the score adds the shift constant to the normalised values (x' + A, the default) or not (x').</summary>
public enum ScoreBasis
{
    Shifted,
    Unshifted,
}

/// <summary>
/// What a frozen (fixed-base) model does with a value outside the base bounds [min, max]. <see cref="Extrapolate"/>
/// (the default) keeps the linear map, so x' may be above 1 or below 0 and growth beyond the base period still shows
/// in the index; <see cref="Clamp"/> cuts x' to [0, 1], so the index saturates at the base period's best value.
/// In a model fitted on the same data the two are identical (every value lies inside its own bounds).
/// </summary>
public enum OutOfBaseRule
{
    Extrapolate,
    Clamp,
}

/// <summary>One indicator of a composite index: its column name, direction and dimension (sub-index), "" for none.</summary>
public sealed record Indicator(string Name, IndicatorDirection Direction, string Dimension = "")
{
    /// <summary>Parses "+" / "-" (also "positive"/"negative", "pos"/"neg", the Unicode minus "−").</summary>
    public static IndicatorDirection ParseDirection(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "+" or "POSITIVE" or "POS" or "1" or "+1" => IndicatorDirection.Positive,
            "-" or "−" or "NEGATIVE" or "NEG" or "-1" => IndicatorDirection.Negative,
            _ => throw new CompositeIndexException($"Direction '{text}' is neither '+' nor '-'."),
        };
    }

    /// <summary>"+" or "-".</summary>
    public static string FormatDirection(IndicatorDirection direction) =>
        direction == IndicatorDirection.Negative ? "-" : "+";
}

/// <summary>
/// The choices that change the numbers of the entropy index. Defaults follow the common practice of the NQPF
/// literature: shift A = 0.0001, score on the shifted values, no ×100, extrapolation outside frozen bounds.
/// </summary>
public sealed record EntropyOptions
{
    /// <summary>Shift constant A added to every normalised value before shares and logs (x'' = x' + A), A ≥ 0.</summary>
    public double Shift { get; init; } = 1e-4;

    /// <summary>Whether scores use x' + A (default) or x'.</summary>
    public ScoreBasis ScoreBasis { get; init; } = ScoreBasis.Shifted;

    /// <summary>Multiply every score (entropy, sub-indices, TOPSIS, equal weights; not PCA) by 100.</summary>
    public bool Times100 { get; init; }

    /// <summary>How a frozen model treats values outside its base bounds.</summary>
    public OutOfBaseRule OutOfBase { get; init; } = OutOfBaseRule.Extrapolate;

    /// <summary>Throws <see cref="CompositeIndexException"/> when an option is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Shift) || Shift < 0)
            throw new CompositeIndexException(
                $"Shift constant must be a finite number >= 0, got {Shift.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    internal double Scale => Times100 ? 100.0 : 1.0;

    internal double ScoreOffset => ScoreBasis == ScoreBasis.Shifted ? Shift : 0.0;
}

/// <summary>Input that a composite index cannot be computed from (too few rows, missing values, no information).</summary>
public sealed class CompositeIndexException(string message) : Exception(message);
