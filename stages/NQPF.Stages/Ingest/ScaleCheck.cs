using System.Globalization;

namespace NQPF.Stages.Ingest;

/// <summary>A column whose values are off by a power of ten: the factor that brings them to the catalog's typical
/// range and the message naming the unit they are probably in.</summary>
internal sealed record ScaleMismatch(double Factor, string Message);

/// <summary>
/// The per-field plausibility check of a column: when the median of its positive values (canonical unit, at least
/// <see cref="MinValues"/> of them) lies outside the field's Typical range of config/fields.json and multiplying by a
/// power of ten (10^±1 … 10^±8) brings it inside, the printed unit is wrong — 百万美元 printed as 万美元, fractions
/// (0.31) under %, 亿元 read as 万元. Of the powers that fit, the one nearest the range's geometric centre is named.
/// A median outside the range that no power of ten explains is left to the per-cell Min/Max check.
/// </summary>
internal static class ScaleCheck
{
    public const int MinValues = 8;

    public static ScaleMismatch? Check(HeaderMatch match, IReadOnlyList<double> canonical)
    {
        if (match.Field.Typical is not { } typical)
            return null;
        var positive = canonical.Where(v => v > 0 && double.IsFinite(v)).Order().ToList();
        if (positive.Count < MinValues)
            return null;
        var median = positive.Count % 2 == 1 ? positive[positive.Count / 2]
            : (positive[positive.Count / 2 - 1] + positive[positive.Count / 2]) / 2;
        if (median >= typical.Low && median <= typical.High)
            return null;
        var centre = Math.Sqrt(typical.Low * typical.High);
        var best = Enumerable.Range(-8, 17).Where(k => k != 0).Select(k => Math.Pow(10, k))
            .Where(f => median * f >= typical.Low && median * f <= typical.High)
            .OrderBy(f => Math.Abs(Math.Log10(median * f / centre))).Cast<double?>().FirstOrDefault();
        if (best is not { } factor)
            return null;
        return new ScaleMismatch(factor, Describe(match, median, factor));
    }

    private static string Describe(HeaderMatch m, double median, double factor)
    {
        var times = factor > 1 ? factor : 1 / factor;
        var direction = factor > 1 ? "too small" : "too large";
        var unit = m.Unit;
        var guess = m.Field.Family == "percent" && factor > 1 && Math.Abs(factor - 100) < 1e-9
            ? "are they fractions (0.31 for 31%)?"
            : HeaderText.Rescaled(HeaderText.Label(unit), factor) is { } u ? $"is the unit {u}?" : "is the unit right?";
        var typical = m.Field.Typical!.Value;
        return string.Create(CultureInfo.InvariantCulture,
            $"{m.PanelName}: values look {times:0.##########}× {direction} for {unit} (unit from {m.UnitSource}); {guess} " +
            $"(median {median:G6} {m.Field.CanonicalUnit}, typical {typical.Low:G6}–{typical.High:G6} in config/fields.json)");
    }
}
