using System.IO.Compression;
using System.Text;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Files;

public class SheetReaderTests
{
    private static readonly ReadLimits Limits = new();

    /// <summary>A committed workbook: the simulated 2012 edition (data year 2011) in the official layout.</summary>
    private const string Edition2012 = "地级市（及以上城市）统计资料（2012年）.xlsx";

    private static Workbook Read(string name, byte[] bytes, ReadLimits? limits = null) =>
        new SheetReader().Read(name, bytes, limits ?? Limits);

    private static DataValidationException Fails(string name, byte[] bytes, ReadLimits? limits = null) =>
        Assert.Throws<DataValidationException>(() => Read(name, bytes, limits));

    [Fact]
    public void Read_Gb18030Csv_DetectsEncodingAndReadsChinese()
    {
        var bytes = TextEncodings.Gb18030.GetBytes("城市,地区生产总值(万元)\r\n北京市,\"1,234\"\r\n");
        var book = Read("csy_2012.csv", bytes);
        Assert.Equal("gb18030", book.Encoding);
        Assert.Equal("地区生产总值(万元)", book.Sheets[0].Rows[0].Cells[1]);
        Assert.Equal("1,234", book.Sheets[0].Rows[1].Cells[1]);
    }

    [Fact]
    public void Read_Utf8BomCsv_DetectsBom()
    {
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("城市,年份\n北京,2013\n")).ToArray();
        var book = Read("a.csv", bytes);
        Assert.Equal("utf-8-bom", book.Encoding);
        Assert.Equal("城市", book.Sheets[0].Rows[0].Cells[0]);
    }

    [Fact]
    public void Read_EmptyFile_FailsNamingFile() =>
        Assert.Equal("csy_2013.csv: the file is empty (0 bytes).", Fails("csy_2013.csv", []).Message);

    [Fact]
    public void Read_TextRenamedXlsx_FailsAsUnreadableWorkbook() =>
        Assert.StartsWith("csy_2013.xlsx: unreadable workbook: the file does not start with an Excel signature",
            Fails("csy_2013.xlsx", Encoding.UTF8.GetBytes("城市,年份\n")).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_TruncatedXlsx_FailsAsUnreadableWorkbook()
    {
        var full = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "data-raw", Edition2012));
        var e = Fails(Edition2012, full[..(full.Length / 2)]);
        Assert.StartsWith(Edition2012 + ": unreadable workbook", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnterminatedQuote_FailsAsTruncated() =>
        Assert.Equal("cut.csv: line 2: a quoted field is never closed (the file is truncated or malformed).",
            Fails("cut.csv", Encoding.UTF8.GetBytes("城市,值\n北京,\"12,3")).Message);

    [Fact]
    public void Read_InvalidBytes_FailsNamingEncoding() =>
        Assert.StartsWith("bad.csv: the text is neither UTF-8 nor GB18030",
            Fails("bad.csv", [0x41, 0x2C, 0x42, 0x0A, 0x81, 0x20, 0x0A]).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_FileOverSizeLimit_Refused() =>
        Assert.Contains("more than the limit Ingest:Limits:MaxFileBytes = 10",
            Fails("big.csv", Encoding.UTF8.GetBytes("城市,年份,a,b\n"), new ReadLimits { MaxFileBytes = 10 }).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_TooManyColumns_Refused()
    {
        var line = string.Join(',', Enumerable.Range(0, 50));
        var e = Fails("wide.csv", Encoding.UTF8.GetBytes(line + "\n"), new ReadLimits { MaxColumns = 20 });
        Assert.Equal("wide.csv: line 1 has 50 columns, more than the limit Ingest:Limits:MaxColumns = 20.", e.Message);
    }

    [Fact]
    public void Read_OverlongLine_RefusedBeforeParsing()
    {
        var e = Fails("long.csv", Encoding.UTF8.GetBytes("a,b\n" + new string('x', 5000) + "\n"), new ReadLimits { MaxLineChars = 1000 });
        Assert.Equal("long.csv: line 2 has more than 1,000 characters, the limit Ingest:Limits:MaxLineChars; refused before parsing.", e.Message);
    }

    [Fact]
    public void Read_ZipBomb_RefusedWithinLimit()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 8; i++)
                s.Write(zeros);
        }
        var e = Fails("bomb.xlsx", ms.ToArray(), new ReadLimits { MaxDecompressedBytes = 4 << 20 });
        Assert.Contains("zip entry 'xl/worksheets/sheet1.xml'", e.Message, StringComparison.Ordinal);
        Assert.Contains("possible zip bomb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommittedXlsx_ReadsSheetsWithRowNumbers()
    {
        var book = Read(Edition2012, File.ReadAllBytes(Path.Combine(RepoPaths.Root, "data-raw", Edition2012)));
        Assert.Equal("xlsx", book.Format);
        Assert.Equal(["2012城市数据"], book.Sheets.Select(s => s.Name));
        Assert.Equal("中国2012年地级以上城市数据", book.Sheets[0].Rows[0].Cells[0]);
        Assert.Equal("城 市", book.Sheets[0].Rows.First(r => r.Number == 4).Cells[0]);
    }
}
