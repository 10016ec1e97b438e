using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.Text;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Files;

/// <summary>
/// Hostile files against the reader's limits with the default configuration (config/appsettings.json Ingest:Limits
/// equals <see cref="ReadLimits"/>'s defaults): each is refused with a message naming the file and the limit, in
/// bounded memory (heap bytes allocated by the reading thread, measured) and time (a generous guard against hangs,
/// not a benchmark; measured times are in the comments).
/// </summary>
public sealed class HostileFileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly ReadLimits Defaults = new();

    private (DataValidationException Error, long Allocated, TimeSpan Elapsed) Refuse(string name, ReadOnlyMemory<byte> content,
        ReadLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DataValidationException>(() => new SheetReader().Read(name, content, limits ?? Defaults));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{content.Length:N0} bytes refused in {clock.Elapsed.TotalMilliseconds:F0} ms, {allocated:N0} bytes allocated: {e.Message}");
        return (e, allocated, clock.Elapsed);
    }

    [Fact]
    public void DefaultLimits_EqualTheShippedConfiguration()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Config("appsettings.json")));
        var limits = json.RootElement.GetProperty("Ingest").GetProperty("Limits");
        Assert.Equal(Defaults.MaxFileBytes, limits.GetProperty("MaxFileBytes").GetInt64());
        Assert.Equal(Defaults.MaxColumns, limits.GetProperty("MaxColumns").GetInt32());
        Assert.Equal(Defaults.MaxLineChars, limits.GetProperty("MaxLineChars").GetInt32());
        Assert.Equal(Defaults.MaxDecompressedBytes, limits.GetProperty("MaxDecompressedBytes").GetInt64());
        Assert.Equal(Defaults.MaxCompressionRatio, limits.GetProperty("MaxCompressionRatio").GetDouble());
    }

    /// <summary>
    /// A 1 GiB file that is one single line, never written as 1 GiB: a sparse file (no blocks on disk) mapped into
    /// memory, so the reader gets a real 1 GiB buffer whose pages are only materialised if read. The size limit refuses
    /// it before a byte is looked at. Measured: 1,952 bytes allocated, 5 ms.
    /// </summary>
    [Fact]
    public void Read_OneGibSingleLine_RefusedBySizeLimitBeforeReading()
    {
        var path = Path.Combine(Path.GetTempPath(), "nqpf-hostile-" + Guid.NewGuid().ToString("N")[..10] + ".csv");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew))
                file.SetLength(1L << 30);
            using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = map.CreateViewAccessor(0, 1L << 30, MemoryMappedFileAccess.Read);
            using var memory = new MappedMemory(view, 1 << 30);

            var (e, allocated, elapsed) = Refuse("huge-2013.csv", memory.Memory);

            Assert.Equal("huge-2013.csv: the file has 1,073,741,824 bytes, more than the limit Ingest:Limits:MaxFileBytes = 67,108,864.", e.Message);
            Assert.True(allocated < 64 * 1024, $"{allocated:N0} bytes allocated");
            Assert.True(elapsed < TimeSpan.FromSeconds(10), elapsed.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A single line just under the size limit (48 MiB): the line check decodes in 64 KiB chunks and stops at the
    /// 1,000,001st character, so the 48 MiB are never turned into a string. Measured: 133 KB allocated, 47 ms.
    /// </summary>
    [Fact]
    public void Read_48MibSingleLine_RefusedByLineLimitWithoutBuildingTheText()
    {
        var line = new byte[48 << 20];
        line.AsSpan().Fill((byte)'7');

        var (e, allocated, elapsed) = Refuse("line-2013.csv", line);

        Assert.Equal("line-2013.csv: line 1 has more than 1,000,000 characters, the limit Ingest:Limits:MaxLineChars; refused before parsing.", e.Message);
        Assert.True(allocated < 4 << 20, $"{allocated:N0} bytes allocated");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), elapsed.ToString());
    }

    /// <summary>
    /// A million empty columns fit in 999,999 characters (under the line limit): the column limit refuses the row.
    /// Measured: 39 MB allocated (the CSV parser's column index for that one row, bounded by the line limit), 170 ms.
    /// </summary>
    [Fact]
    public void Read_MillionEmptyColumns_RefusedByColumnLimit()
    {
        var bytes = Encoding.ASCII.GetBytes(new string(',', 999_999) + "\n");

        var (e, allocated, elapsed) = Refuse("wide-2013.csv", bytes);

        Assert.Equal("wide-2013.csv: line 1 has 1,000,000 columns, more than the limit Ingest:Limits:MaxColumns = 2,000.", e.Message);
        Assert.True(allocated < 64L << 20, $"{allocated:N0} bytes allocated");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), elapsed.ToString());
    }

    /// <summary>A million columns with values (2,000,000 characters) are refused by the line limit before parsing.
    /// Measured: 133 KB allocated, 22 ms.</summary>
    [Fact]
    public void Read_MillionValuedColumns_RefusedByLineLimit()
    {
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,", 1_000_000)) + "\n");

        var (e, allocated, _) = Refuse("wide-2013.csv", bytes);

        Assert.Equal("wide-2013.csv: line 1 has more than 1,000,000 characters, the limit Ingest:Limits:MaxLineChars; refused before parsing.", e.Message);
        Assert.True(allocated < 4 << 20, $"{allocated:N0} bytes allocated");
    }

    /// <summary>
    /// A zip bomb shaped like an .xlsx: a well-formed worksheet padded with 32 MiB of blanks, deflated to 33 KB
    /// (ratio ~1000). The streamed ratio check stops at 200 × the compressed size (6.6 MB of output), long before the
    /// 256 MiB MaxDecompressedBytes. Measured: 109 KB allocated, 0.5 s.
    /// </summary>
    [Fact]
    public void Read_ZipBombXlsx_RefusedByRatioAfterAFewMegabytes()
    {
        var bomb = Bomb(entries: 1, mebibytes: 32, CompressionLevel.Optimal);

        var (e, allocated, elapsed) = Refuse("bomb-2013.xlsx", bomb);

        Assert.Equal("bomb-2013.xlsx: zip entry 'xl/worksheets/sheet1.xml' expands more than 200× " +
                     "(Ingest:Limits:MaxCompressionRatio): refused as a possible zip bomb.", e.Message);
        Assert.True(allocated < 4L * bomb.Length + (4 << 20), $"{allocated:N0} bytes allocated for a {bomb.Length:N0}-byte package");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), elapsed.ToString());
    }

    /// <summary>
    /// Two worksheets of 160 MiB each under a lenient ratio (config may raise it): each entry's declared size is under
    /// MaxDecompressedBytes (256 MiB), but the real output bytes counted across entries pass it during the second one.
    /// Measured on a 3.2 MB package: 3.5 MB allocated (its copy and a read buffer), 3.4 s (inflating 256 MiB).
    /// </summary>
    [Fact]
    public void Read_ZipBombXlsx_WithLenientRatio_RefusedByCountedDecompressedTotal()
    {
        var bomb = Bomb(entries: 2, mebibytes: 160, CompressionLevel.Fastest);

        var (e, allocated, elapsed) = Refuse("bomb-2013.xlsx", bomb, Defaults with { MaxCompressionRatio = 1e9 });

        Assert.StartsWith("bomb-2013.xlsx: zip entry 'xl/worksheets/sheet2.xml' decompresses to more than 268,43", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("over the limit Ingest:Limits:MaxDecompressedBytes = 268,435,456: refused as a possible zip bomb.", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4L * bomb.Length + (4 << 20), $"{allocated:N0} bytes allocated for a {bomb.Length:N0}-byte package");
        Assert.True(elapsed < TimeSpan.FromSeconds(30), elapsed.ToString());
    }

    /// <summary>An .xlsx-shaped package of <paramref name="entries"/> well-formed worksheet parts, each an empty
    /// &lt;sheetData&gt; padded with <paramref name="mebibytes"/> MiB of blanks, so only the size checks can stop it.</summary>
    private static byte[] Bomb(int entries, int mebibytes, CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var blanks = new byte[1 << 20];
            blanks.AsSpan().Fill((byte)' ');
            for (var k = 1; k <= entries; k++)
            {
                using var s = zip.CreateEntry($"xl/worksheets/sheet{k}.xml", level).Open();
                s.Write("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"u8);
                for (var i = 0; i < mebibytes; i++)
                    s.Write(blanks);
                s.Write("</sheetData></worksheet>"u8);
            }
        }
        return ms.ToArray();
    }

    /// <summary>A read-only memory-mapped view exposed as <see cref="ReadOnlyMemory{T}"/> (no copy).</summary>
    private sealed unsafe class MappedMemory : MemoryManager<byte>
    {
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte* _pointer;
        private readonly int _length;

        public MappedMemory(MemoryMappedViewAccessor view, int length)
        {
            _view = view;
            _length = length;
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _pointer = pointer + view.PointerOffset;
        }

        public override Span<byte> GetSpan() => new(_pointer, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

        public override void Unpin() { }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
