using System.Globalization;
using System.Text;
using NQPF.Pipeline.Files;

namespace NQPF.Pipeline.Tests.Files;

/// <summary>
/// Cell bytes read as numbers against the general path's rule, <c>double.TryParse(cell.Trim(), NumberStyles.Float,
/// CultureInfo.InvariantCulture)</c> on the decoded string: the same kind (empty, number, text) and the same double bit
/// for bit, on every round-trip and exponent format of random doubles (subnormals and extremes included), on long and
/// padded digit strings, and on cells the short way must hand on.
/// </summary>
public sealed class Utf8CellsTests
{
    private static void AssertAsGeneralPath(string cell)
    {
        var text = cell.Trim();
        double parsed = double.NaN;
        var expected = text.Length == 0 ? CellKind.Empty
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out parsed) ? CellKind.Number : CellKind.Text;
        var kind = Utf8Cells.Number(Encoding.UTF8.GetBytes(cell), out var value);
        Assert.True(expected == kind, $"'{cell}': {kind}, the general path {expected}");
        if (kind == CellKind.Number)
            Assert.True(BitConverter.DoubleToInt64Bits(parsed) == BitConverter.DoubleToInt64Bits(value), $"'{cell}': {value:R}, the general path {parsed:R}");
        else
            Assert.True(double.IsNaN(value), $"'{cell}': {value:R} instead of NaN");
    }

    [Fact]
    public void Number_RandomDoublesInEveryFormat_SameBitsAsDoubleParse()
    {
        var rng = new Random(11);
        string[] formats = ["R", "G17", "G15", "E16", "E3", "F6", "G"];
        for (int i = 0; i < 100_000; i++)
        {
            var bits = rng.Next(4) == 0 ? rng.NextInt64() : BitConverter.DoubleToInt64Bits((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 30)));
            var v = BitConverter.Int64BitsToDouble(bits);
            if (!double.IsFinite(v)) continue;
            AssertAsGeneralPath(v.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Number_RandomDigitStrings_SameBitsAsDoubleParse()
    {
        var rng = new Random(12);
        var sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++)
        {
            sb.Clear();
            if (rng.Next(3) == 0) sb.Append('-');
            Digits(sb, rng, rng.Next(1, 30));
            if (rng.Next(2) == 0) Digits(sb.Append('.'), rng, rng.Next(1, 30));
            if (rng.Next(2) == 0) sb.Append(rng.Next(2) == 0 ? 'e' : 'E').Append(rng.Next(3) switch { 0 => "+", 1 => "-", _ => "" }).Append(rng.Next(0, 400));
            AssertAsGeneralPath(sb.ToString());
        }
    }

    private static void Digits(StringBuilder sb, Random rng, int count)
    {
        for (int k = 0; k < count; k++) sb.Append((char)('0' + rng.Next(10)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" 1 ")]
    [InlineData("\u00A0-2.5\u3000")]
    [InlineData("-0")]
    [InlineData("0000000000000000000000001")]
    [InlineData("999999999999999")]
    [InlineData("9007199254740993")]
    [InlineData("4.9e-324")]
    [InlineData("2.4703282292062327e-324")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1.7976931348623159e308")]
    [InlineData("1e400")]
    [InlineData("-1e-400")]
    [InlineData("1e0400")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    [InlineData("+3")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1,5")]
    [InlineData("1e")]
    [InlineData("e5")]
    [InlineData("--1")]
    [InlineData("0x1A")]
    [InlineData("NA")]
    [InlineData("1 2")]
    [InlineData("١٢")]
    public void Number_EdgeCells_AsTheGeneralPath(string cell) => AssertAsGeneralPath(cell);
}
