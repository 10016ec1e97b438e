using System.Buffers;
using System.Globalization;
using System.Text;
using csFastFloat;

namespace NQPF.Pipeline.Files;

/// <summary>What a cell holds when read as a number.</summary>
internal enum CellKind
{
    Empty,
    Number,
    Text,
}

/// <summary>
/// Reads a CSV cell's UTF-8 bytes exactly as the general path reads the cell's string: trimmed of white space
/// (<see cref="string.Trim()"/>), then <c>double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)</c>.
/// The common cells go a short way: a cell with no white space at either end made only of an optional minus sign,
/// digits, an optional fraction and an optional exponent is read by csFastFloat (Lemire's algorithm, correctly rounded
/// as .NET's parser is, so the same double bit for bit; the test compares them on millions of cells), and an integer
/// of at most 15 digits directly (exact in a double). Every other cell is decoded and handed to .NET's parser.
/// </summary>
internal static class Utf8Cells
{
    private const int MaxShortCell = 40;

    public static bool IsWhiteSpace(ReadOnlySpan<byte> cell)
    {
        foreach (var b in cell)
        {
            if (b >= 0x80) return IsWhiteSpaceText(cell);
            if (!char.IsWhiteSpace((char)b)) return false;
        }
        return true;
    }

    private static bool IsWhiteSpaceText(ReadOnlySpan<byte> cell)
    {
        var blank = Decode(cell, out var rented).IsWhiteSpace();
        ArrayPool<char>.Shared.Return(rented);
        return blank;
    }

    public static CellKind Number(ReadOnlySpan<byte> cell, out double value)
    {
        if (cell.IsEmpty)
        {
            value = double.NaN;
            return CellKind.Empty;
        }
        if (cell.Length <= MaxShortCell && IsPlain(cell[0]) && IsPlain(cell[^1]))
        {
            switch (Shape(cell))
            {
                case 1:
                    value = Integer(cell);
                    return CellKind.Number;
                case 2 when FastDoubleParser.TryParseDouble(cell, out int used, out value) && used == cell.Length:
                    return CellKind.Number;
            }
        }
        return NumberText(cell, out value);
    }

    /// <summary>The cell's text, trimmed (empty for a blank cell).</summary>
    public static ReadOnlySpan<char> Text(ReadOnlySpan<byte> cell, Span<char> buffer)
    {
        var n = Encoding.UTF8.GetChars(cell, buffer);
        return buffer[..n].Trim();
    }

    private static bool IsPlain(byte b) => b is > 0x20 and < 0x7F;

    /// <summary>1: -?digits (at most 15); 2: -?digits(.digits)?([eE][+-]?digits)? otherwise; 0: anything else.</summary>
    private static int Shape(ReadOnlySpan<byte> cell)
    {
        int i = cell[0] == (byte)'-' ? 1 : 0;
        int digits = Digits(cell, ref i);
        if (digits == 0) return 0;
        if (i == cell.Length) return digits <= 15 ? 1 : 2;
        if (cell[i] == (byte)'.')
        {
            i++;
            if (Digits(cell, ref i) == 0) return 0;
            if (i == cell.Length) return 2;
        }
        if (cell[i] is not ((byte)'e' or (byte)'E')) return 0;
        i++;
        if (i < cell.Length && cell[i] is (byte)'+' or (byte)'-') i++;
        return Digits(cell, ref i) is > 0 and <= 3 && i == cell.Length ? 2 : 0;
    }

    private static int Digits(ReadOnlySpan<byte> cell, ref int i)
    {
        int start = i;
        while (i < cell.Length && (uint)(cell[i] - '0') <= 9) i++;
        return i - start;
    }

    /// <summary>An integer of at most 15 digits: exact as a double ("-0" is negative zero, as .NET parses it).</summary>
    private static double Integer(ReadOnlySpan<byte> cell)
    {
        var negative = cell[0] == (byte)'-';
        long v = 0;
        for (int i = negative ? 1 : 0; i < cell.Length; i++) v = v * 10 + (cell[i] - '0');
        return negative ? -(double)v : v;
    }

    private static CellKind NumberText(ReadOnlySpan<byte> cell, out double value)
    {
        var text = Decode(cell, out var rented).Trim();
        value = double.NaN;
        var kind = CellKind.Empty;
        if (!text.IsEmpty)
            kind = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) ? CellKind.Number : CellKind.Text;
        if (kind == CellKind.Text) value = double.NaN;
        ArrayPool<char>.Shared.Return(rented);
        return kind;
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> cell, out char[] rented)
    {
        rented = ArrayPool<char>.Shared.Rent(Math.Max(1, cell.Length));
        return rented.AsSpan(0, Encoding.UTF8.GetChars(cell, rented));
    }

}
