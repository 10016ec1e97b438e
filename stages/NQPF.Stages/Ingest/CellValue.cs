using System.Globalization;
using System.Text.RegularExpressions;

namespace NQPF.Stages.Ingest;

/// <summary>How a cell's text was read.</summary>
internal enum CellStatus
{
    Number,
    Missing,
    Unparseable,
}

/// <summary>A parsed cell: status, the number (printed unit), and whether thousands separators were removed.</summary>
internal readonly partial record struct CellValue(CellStatus Status, double Number, bool HadSeparators, string Marker)
{
    /// <summary>
    /// Reads a yearbook cell: missing markers (config, e.g. blank, —, …, -) → Missing; otherwise a number after
    /// NFKC folding (full-width digits), removing spaces, a leading apostrophe (number stored as text), a trailing % and thousands separators in the 1,234,567.8
    /// pattern; anything else → Unparseable. Non-finite numbers are unparseable.
    /// </summary>
    public static CellValue Parse(string? text, IReadOnlySet<string> missingMarkers)
    {
        var folded = FieldCatalog.Fold(text ?? "");
        if (missingMarkers.Contains(folded) || missingMarkers.Contains((text ?? "").Trim()))
            return new CellValue(CellStatus.Missing, double.NaN, false, folded.Length == 0 ? "blank" : (text ?? "").Trim());
        // A number stored as text keeps Excel's leading apostrophe in some exports ('1359).
        var t = folded.TrimStart('\'').TrimEnd('%');
        var separators = false;
        if (t.Contains(',', StringComparison.Ordinal))
        {
            if (!Grouped().IsMatch(t))
                return new CellValue(CellStatus.Unparseable, double.NaN, false, "");
            t = t.Replace(",", "", StringComparison.Ordinal);
            separators = true;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? new CellValue(CellStatus.Number, v, separators, "")
            : new CellValue(CellStatus.Unparseable, double.NaN, false, "");
    }

    [GeneratedRegex("^[+-]?\\d{1,3}(,\\d{3})+(\\.\\d+)?$")]
    private static partial Regex Grouped();
}
