using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Runner;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Checkpoints;

/// <summary>Frame ↔ Parquet, CSV/JSON export, canonical JSON.</summary>
public sealed class FormatTests
{
    private static Frame Sample() => new(
        new StringColumn("city_code", ["110000", null, "中文城市", ""]),
        new LongColumn("year", [2011, 2012, long.MaxValue, -1]),
        new DoubleColumn("value", [1.5, double.NaN, -0.0, 1e-300]),
        new BoolColumn("flag", [true, false, true, false]));

    [Fact]
    public async Task Parquet_RoundTrip_KeepsTypesNullsAndNaN()
    {
        var frame = Sample();

        var back = await ParquetFrames.FromBytesAsync(await ParquetFrames.ToBytesAsync(frame, CancellationToken.None), "t", CancellationToken.None);

        Assert.Equal(["city_code", "year", "value", "flag"], back.Columns.Select(c => c.Name));
        Assert.Equal(frame.Strings("city_code"), back.Strings("city_code"));
        Assert.Equal(frame.Longs("year"), back.Longs("year"));
        Assert.Equal(frame.Doubles("value"), back.Doubles("value"));
        Assert.True(double.IsNegative(back.Doubles("value")[2]));
        Assert.Equal(frame.Bools("flag"), back.Bools("flag"));
    }

    [Fact]
    public async Task Parquet_SameFrameTwice_GivesIdenticalBytes()
    {
        var first = await ParquetFrames.ToBytesAsync(Sample(), CancellationToken.None);
        var second = await ParquetFrames.ToBytesAsync(Sample(), CancellationToken.None);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Parquet_ZeroRows_RoundTripsTheSchema()
    {
        var empty = new Frame(new StringColumn("s", []), new LongColumn("n", []), new DoubleColumn("x", []), new BoolColumn("b", []));

        var back = await ParquetFrames.FromBytesAsync(await ParquetFrames.ToBytesAsync(empty, CancellationToken.None), "t", CancellationToken.None);

        Assert.Equal(0, back.RowCount);
        Assert.Equal(["StringColumn", "LongColumn", "DoubleColumn", "BoolColumn"], back.Columns.Select(c => c.GetType().Name));
    }

    [Fact]
    public async Task Parquet_TruncatedFile_Throws()
    {
        var bytes = await ParquetFrames.ToBytesAsync(Sample(), CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => ParquetFrames.FromBytesAsync(bytes[..(bytes.Length / 2)], "t", CancellationToken.None));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\u2212x", "'\u2212x")]
    [InlineData("\tx", "'\tx")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("+3", "+3")]
    [InlineData("1e5", "1e5")]
    [InlineData("北京", "北京")]
    [InlineData("", "")]
    public void Neutralise_FormulaTriggersOnlyWhenNotANumber(string cell, string expected) =>
        Assert.Equal(expected, FrameExport.Neutralise(cell));

    [Fact]
    public void ToCsv_QuotesAndNeutralises()
    {
        var frame = new Frame(new StringColumn("text", ["a,b", "say \"hi\"", "=1+1", null]), new DoubleColumn("x", [-1, double.NaN, 0.1, 2]));

        var csv = FrameExport.ToCsv(frame);

        Assert.Equal("text,x\r\n\"a,b\",-1\r\n\"say \"\"hi\"\"\",\r\n'=1+1,0.1\r\n,2\r\n", csv);
    }

    private sealed record Inner(double B, string A);

    private sealed record Outer(string Z, int Y, Inner X, double[] List, DayOfWeek Day);

    [Fact]
    public void CanonicalJson_SortsKeysAtEveryLevelAndNamesEnums()
    {
        var json = CanonicalJson.Serialize(new Outer("z", 1, new Inner(0.1, "a"), [3, 1], DayOfWeek.Monday));

        Assert.Equal("{\"Day\":\"Monday\",\"List\":[3,1],\"X\":{\"A\":\"a\",\"B\":0.1},\"Y\":1,\"Z\":\"z\"}", json);
    }

    [Fact]
    public void CanonicalJson_NaNAndNull_AreStable()
    {
        Assert.Equal("{\"A\":null,\"B\":\"NaN\"}", CanonicalJson.Serialize(new Inner(double.NaN, null!)));
        Assert.Equal("null", CanonicalJson.Serialize(null));
    }
}
