using System.Text;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Files;

/// <summary>
/// The direct CSV-to-columns reader of the analysis verbs against the general path it short-cuts (SheetReader rows,
/// then TableFiles.FromSheet): the same frame cell for cell — column names, kinds, every double bit for bit and every
/// string — on the reference datasets and on awkward hand-made files; and no frame at all where it must not decide.
/// </summary>
public sealed class CsvColumnsTests
{
    private static readonly ReadLimits Limits = new() { MaxFileBytes = 1L << 30, MaxRows = 10_000_000, MaxColumns = 10_000 };

    private static Frame General(byte[] bytes) => TableFiles.FromSheet(new SheetReader().Read("x.csv", bytes, Limits).Sheets[0], "x.csv");

    private static void AssertSameFrame(Frame expected, Frame actual)
    {
        Assert.Equal(expected.Columns.Select(c => c.Name), actual.Columns.Select(c => c.Name));
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (int c = 0; c < expected.Columns.Count; c++)
        {
            switch (expected.Columns[c])
            {
                case DoubleColumn d:
                    var a = Assert.IsType<DoubleColumn>(actual.Columns[c]).Values;
                    for (int r = 0; r < d.Values.Length; r++)
                        Assert.True(BitConverter.DoubleToInt64Bits(d.Values[r]) == BitConverter.DoubleToInt64Bits(a[r]), $"{d.Name} row {r}: {d.Values[r]:R} vs {a[r]:R}");
                    break;
                case StringColumn s:
                    Assert.Equal(s.Values, Assert.IsType<StringColumn>(actual.Columns[c]).Values);
                    break;
                default:
                    throw new InvalidOperationException("TableFiles builds only double and string columns.");
            }
        }
    }

    [Theory]
    [InlineData("mpdta.csv")]
    [InlineData("castle.csv")]
    [InlineData("lalonde.csv")]
    [InlineData("timing_panel_275x11.csv")]
    [InlineData("staggered_2000x10.csv")]
    public void TryRead_ReferenceDataset_SameFrameAsGeneralPath(string file)
    {
        var bytes = File.ReadAllBytes(ReferenceFiles.Dataset(file));
        AssertSameFrame(General(bytes), CsvColumns.TryRead(bytes, Limits) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Theory]
    [InlineData("\uFEFF\"id\", y ,name\n1, 2.5 ,a\n\n  2,,\"b, c\"\n3,1e-3, a \n")]
    [InlineData("a;b;c\n1;2;3\n4;;x\n")]
    [InlineData("a\tb\n1\t2\n3\n")]
    [InlineData("u,v\n001,-0\n2,NaN\n3,Infinity\n , \n4,x\n")]
    [InlineData("\n\nh1,h2,h3\n1,2,3,4,5\n\"q\"\"uote\",7,8\n")]
    public void TryRead_AwkwardFile_SameFrameAsGeneralPath(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        AssertSameFrame(General(bytes), CsvColumns.TryRead(bytes, Limits) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Fact]
    public void TryRead_NotUtf8OrUnbalancedQuoteOrTooManyRows_LeavesItToTheGeneralPath()
    {
        var gb18030 = CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes("城市,年份\n北京,2011\n");
        Assert.Null(CsvColumns.TryRead(gb18030, Limits));
        Assert.Null(CsvColumns.TryRead(Encoding.UTF8.GetBytes("a,b\n\"1,2\n"), Limits));
        Assert.Null(CsvColumns.TryRead(Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n"), Limits with { MaxRows = 2 }));
    }
}
