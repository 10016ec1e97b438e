using System.Text;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Estimate;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Files;

/// <summary>
/// The streaming CSV-to-columns reader of the analysis verbs against the general path it short-cuts (SheetReader rows,
/// then TableFiles.FromSheet): the same frame cell for cell — column names, kinds, every double bit for bit and every
/// string — on the reference datasets, on awkward hand-made files and on thousands of random ones; no frame at all
/// where it must not decide; and the same regression from either frame.
/// </summary>
public sealed class CsvColumnsTests : IDisposable
{
    private static readonly ReadLimits Limits = new() { MaxFileBytes = 1L << 30, MaxRows = 10_000_000, MaxColumns = 10_000 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nqpf-csvcolumns-" + Guid.NewGuid().ToString("N")[..10]);

    public CsvColumnsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Frame General(byte[] bytes) => TableFiles.FromSheet(new SheetReader().Read("x.csv", bytes, Limits).Sheets[0], "x.csv");

    /// <summary>The fast reader's frame, read once in one pass and once in two halves at once; they must agree.</summary>
    private Frame? Fast(byte[] bytes, IReadOnlyCollection<string>? columns = null, ReadLimits? limits = null)
    {
        var path = Path.Combine(_dir, "x.csv");
        File.WriteAllBytes(path, bytes);
        var whole = CsvColumns.TryRead(path, limits ?? Limits, columns);
        var halves = CsvColumns.TryRead(path, limits ?? Limits, columns, parallelBytes: 0);
        Assert.Equal(whole is null, halves is null);
        if (whole is not null) AssertSameFrame(whole, halves!);
        return whole;
    }

    internal static void AssertSameFrame(Frame expected, Frame actual)
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
        AssertSameFrame(General(bytes), Fast(bytes) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Theory]
    [InlineData("\uFEFF\"id\", y ,name\n1, 2.5 ,a\n\n  2,,\"b, c\"\n3,1e-3, a \n")]
    [InlineData("a;b;c\n1;2;3\n4;;x\n")]
    [InlineData("a\tb\n1\t2\n3\n")]
    [InlineData("u,v\n001,-0\n2,NaN\n3,Infinity\n , \n4,x\n")]
    [InlineData("\n\nh1,h2,h3\n1,2,3,4,5\n\"q\"\"uote\",7,8\n")]
    [InlineData("id,y,g\r\n1,NA,2011\r\n2,3.5E+2,\r\n\"3\",\"-1.25e-7\",\"\"\r\n")]
    [InlineData("\uFEFFx,y\n\"1\n2\",5\n\u00A07\u00A0,\u3000-8.5e1\u3000\n12345678901234567890,4.9e-324\n1e400,.5\n")]
    [InlineData("x,y\n1,2")]
    [InlineData("\"x\",\"y\"\n1,2\n3,4\n5,6\n")]
    [InlineData("\"x\n\",y\n1,2\n3,4\n5,6\n")]
    [InlineData("x,y,z\n1,2,\n")]
    [InlineData("\n\n\n \n\n\n\n\n\n\nx,y\n1,2\n")]
    public void TryRead_AwkwardFile_SameFrameAsGeneralPath(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        AssertSameFrame(General(bytes), Fast(bytes) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Fact]
    public void TryRead_NotUtf8OrUnbalancedQuoteOrTooManyRows_LeavesItToTheGeneralPath()
    {
        var gb18030 = CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes("城市,年份\n北京,2011\n");
        Assert.Null(Fast(gb18030));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,b\n\"1,2\n")));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n"), limits: Limits with { MaxRows = 2 }));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,b\n1,2\r3,4\n")));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,b\n1,x\"y\n")));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,a\n1,2\n")));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("a,,c\n1,2,3\n")));
        Assert.Null(Fast(Encoding.UTF8.GetBytes("x,y,\n1,2,\n")));
    }

    [Fact]
    public void TryRead_LongRecordsAcrossChunks_SameFrameAsGeneralPath()
    {
        // Records far longer than a few chunk boundaries, quoted cells with doubled quotes cut by a chunk's end.
        var sb = new StringBuilder("id,text,v\n");
        var rng = new Random(7);
        for (int r = 0; r < 400; r++)
            sb.Append(r).Append(",\"").Append(new string('x', rng.Next(0, 18000))).Append("\"\"q\"\"\",").Append(rng.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(r % 2 == 0 ? "\n" : "\r\n");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        Assert.True(bytes.Length > 3 << 20);
        AssertSameFrame(General(bytes), Fast(bytes) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Fact]
    public void TryRead_BlankLinesAndTextInEitherHalf_SameFrameAsGeneralPath()
    {
        // Blank lines before the middle leave a gap the second half's rows must close; a text cell in the second half
        // makes its column text for all rows.
        var sb = new StringBuilder("\n \nid,y,name\n");
        for (int r = 0; r < 2000; r++)
            sb.Append(r).Append(',').Append(r * 0.25).Append(",n").Append(r % 7).Append(r % 97 == 0 ? "\n\n" : r % 2 == 0 ? "\r\n" : "\n");
        sb.Append("2000,x,n1\n");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        AssertSameFrame(General(bytes), Fast(bytes) ?? throw new InvalidOperationException("fast path declined"));
    }

    [Fact]
    public void TryRead_SomeColumns_ThoseColumnsOfTheGeneralFrame()
    {
        var bytes = File.ReadAllBytes(ReferenceFiles.Dataset("castle.csv"));
        var general = General(bytes);
        var names = new[] { general.Columns[3].Name, general.Columns[1].Name };
        var subset = Fast(bytes, names) ?? throw new InvalidOperationException("fast path declined");
        AssertSameFrame(new Frame(general.Columns.Where(c => names.Contains(c.Name))), subset);
        // A column not in the file: every column is read, so the caller's message can list them.
        Assert.Equal(general.Columns.Count, (Fast(bytes, [names[0], "nosuch"]) ?? throw new InvalidOperationException("declined")).Columns.Count);
    }

    [Fact]
    public void TryRead_RandomFiles_SameFrameAsGeneralPathWhereverItReads()
    {
        var rng = new Random(20261206);
        int read = 0, cases = 3000;
        for (int i = 0; i < cases; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(RandomCsv(rng));
            Frame? general;
            try
            {
                general = General(bytes);
            }
            catch (Exception e) when (e is DataValidationException or ArgumentException)
            {
                general = null;
            }
            var fast = Fast(bytes);
            if (fast is null) continue;
            Assert.True(general is not null, $"case {i}: the general path refuses {Encoding.UTF8.GetString(bytes)}");
            AssertSameFrame(general, fast);
            read++;
        }
        Assert.True(read > cases / 3, $"the fast path read only {read} of {cases} random files");
    }

    private static readonly string[] Cells =
    [
        "", "1", "-0", "2.5", "1e-3", "3E+2", " 4 ", "\t5", "NA", "x", "a b", "\"q\"", "\"a,b\"", "\"x\"\"y\"", "\"multi\nline\"",
        "\u00A07\u00A0", "城市", "NaN", "Infinity", "+1", ".5", "1.", "0x10", "\"\"", "a\"b", "\"a\"b", "12345678901234567890",
        "1e400", "4.9e-324", "-1.7976931348623157E+308", "0.1000000000000000055511151231257827", "007", "1_0", "  ", "\"  \"",
    ];

    private static string RandomCsv(Random rng)
    {
        var delimiter = rng.Next(6) switch { 0 => ";", 1 => "\t", _ => "," };
        string[] breaks = ["\n", "\n", "\r\n", "\r"];
        var sb = new StringBuilder(rng.Next(8) == 0 ? "\uFEFF" : "");
        var columns = rng.Next(1, 5);
        string[] names = ["a", "b", " c ", "d", "a", ""];
        for (int c = 0; c < columns; c++)
            sb.Append(c > 0 ? delimiter : "").Append(rng.Next(12) == 0 ? names[rng.Next(names.Length)] : "h" + c);
        var rows = rng.Next(0, 7);
        for (int r = 0; r < rows; r++)
        {
            sb.Append(breaks[rng.Next(rng.Next(10) == 0 ? 4 : 3)]);
            var count = rng.Next(5) == 0 ? rng.Next(0, columns + 2) : columns;
            var numeric = rng.Next(2) == 0;
            for (int c = 0; c < count; c++)
                sb.Append(c > 0 ? delimiter : "").Append(numeric && rng.Next(4) > 0 ? Number(rng) : Cells[rng.Next(Cells.Length)]);
        }
        if (rng.Next(2) == 0) sb.Append(breaks[rng.Next(3)]);
        return sb.ToString();
    }

    private static string Number(Random rng) => rng.Next(3) switch
    {
        0 => rng.Next(-1000, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => (rng.NextDouble() * Math.Pow(10, rng.Next(-8, 9))).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => (-rng.NextDouble()).ToString("E10", System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Estimate_FastAndGeneralFrames_IdenticalResults()
    {
        var path = ReferenceFiles.Dataset("mpdta.csv");
        var bytes = await File.ReadAllBytesAsync(path);
        var spec = new ModelSpec("lemp", ["treat", "lpop"], ["year"], ["countyreal"]);
        var general = FrameRegression.Estimate(General(bytes), spec);
        var fast = FrameRegression.Estimate(await TableFiles.ReadAsync(path, CancellationToken.None, ["lemp", "treat", "lpop", "year", "countyreal"]), spec);
        Assert.Equal(general.Coefficients.Select(c => (c.Term, c.Estimate, c.Se, c.P)), fast.Coefficients.Select(c => (c.Term, c.Estimate, c.Se, c.P)));
    }

    [Fact]
    public async Task ReadAsync_ParquetColumns_SameAsTheCsvsColumns()
    {
        var csv = ReferenceFiles.Dataset("mpdta.csv");
        var whole = await TableFiles.ReadAsync(csv, CancellationToken.None);
        var parquet = Path.Combine(_dir, "mpdta.parquet");
        await File.WriteAllBytesAsync(parquet, await ParquetFrames.ToBytesAsync(whole, CancellationToken.None));
        string[] used = ["year", "lemp"];
        AssertSameFrame(await TableFiles.ReadAsync(csv, CancellationToken.None, used), await TableFiles.ReadAsync(parquet, CancellationToken.None, used));
    }
}
