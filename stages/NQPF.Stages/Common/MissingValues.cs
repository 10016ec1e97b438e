using System.Globalization;

namespace NQPF.Stages.Common;

/// <summary>
/// How analysis files write a missing number: an empty cell, or one of the markers R (<c>NA</c>), Stata (<c>.</c>),
/// Excel (<c>#N/A</c>) and database exports (<c>NULL</c>, <c>N/A</c>) write. A column whose other cells are all numbers
/// is numeric with these cells missing; in a text column they stay text (a unit may be called "NA").
/// </summary>
public static class MissingValues
{
    /// <summary>The markers as a reader sees them in a message.</summary>
    public const string Described = "empty, NA, N/A, #N/A, . or NULL";

    /// <summary>Whether a trimmed cell is a missing-number marker (letters in any case).</summary>
    public static bool IsMarker(ReadOnlySpan<char> cell) =>
        cell is "." || cell.Equals("NA", StringComparison.OrdinalIgnoreCase) || cell.Equals("N/A", StringComparison.OrdinalIgnoreCase)
        || cell.Equals("#N/A", StringComparison.OrdinalIgnoreCase) || cell.Equals("NULL", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A trimmed cell as a number: true with NaN for an empty or missing-marker cell, true with the number for an
    /// invariant-culture number, false for any other text.
    /// </summary>
    public static bool TryNumber(ReadOnlySpan<char> cell, out double value)
    {
        if (cell.IsEmpty || IsMarker(cell))
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Why a text column cannot be read as numbers: its first cell that is neither a number nor missing, with its data
    /// row (1 = the first row below the header); null when there is none.
    /// </summary>
    public static string? FirstNonNumber(IReadOnlyList<string?> cells)
    {
        for (var r = 0; r < cells.Count; r++)
        {
            var cell = cells[r]?.Trim();
            if (TryNumber(cell, out _))
                continue;
            return string.Create(CultureInfo.InvariantCulture, $"data row {r + 1} has '{cell}', which is not a number (a missing value may be {Described})");
        }
        return null;
    }
}
