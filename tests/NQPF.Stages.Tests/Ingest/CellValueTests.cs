using NQPF.Stages.Ingest;

namespace NQPF.Stages.Tests.Ingest;

public class CellValueTests
{
    private static readonly HashSet<string> Markers = ["", "—", "…", "-", "--"];

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("—")]
    [InlineData("…")]
    [InlineData("-")]
    public void Parse_MissingMarker_Missing(string text) => Assert.Equal(CellStatus.Missing, CellValue.Parse(text, Markers).Status);

    [Theory]
    [InlineData("1,234,567", 1234567, true)]
    [InlineData("-1,234.5", -1234.5, true)]
    [InlineData("１２３４", 1234, false)]
    [InlineData(" 12.5% ", 12.5, false)]
    [InlineData("1e3", 1000, false)]
    public void Parse_Number_Value(string text, double expected, bool separators)
    {
        var c = CellValue.Parse(text, Markers);
        Assert.Equal(CellStatus.Number, c.Status);
        Assert.Equal(expected, c.Number);
        Assert.Equal(separators, c.HadSeparators);
    }

    [Theory]
    [InlineData("1,23")]
    [InlineData("abc")]
    [InlineData("12万")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Parse_NotANumber_Unparseable(string text) => Assert.Equal(CellStatus.Unparseable, CellValue.Parse(text, Markers).Status);
}
