using System.Text;
using System.Text.Unicode;

namespace NQPF.Pipeline.Files;

/// <summary>Detects and decodes the text encodings yearbook CSV files arrive in.</summary>
internal static class TextEncodings
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextEncodings() => EnsureCodePages();

    /// <summary>Registers the code-page encodings (GB18030, and those ExcelDataReader needs). Idempotent.</summary>
    public static void EnsureCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030
    {
        get
        {
            EnsureCodePages();
            return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
    }

    /// <summary>
    /// Picks the encoding of <paramref name="bytes"/> without decoding them: a UTF-8, UTF-32 or UTF-16 byte-order mark
    /// wins (UTF-32 LE is tested before UTF-16 LE, whose mark it starts with); otherwise UTF-8 if the bytes are valid
    /// UTF-8, else GB18030 (a superset of GBK/GB2312). Returns a strict encoding (invalid bytes throw
    /// <see cref="DecoderFallbackException"/>), the length of the mark, and the name ("utf-8-bom", "utf-32le",
    /// "utf-32be", "utf-16le", "utf-16be", "utf-8", "gb18030").
    /// </summary>
    public static (Encoding Encoding, int Preamble, string Name) Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return (StrictUtf8, 3, "utf-8-bom");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
            return (new UTF32Encoding(false, false, true), 4, "utf-32le");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            return (new UTF32Encoding(true, false, true), 4, "utf-32be");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (new UnicodeEncoding(false, false, true), 2, "utf-16le");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (new UnicodeEncoding(true, false, true), 2, "utf-16be");
        return Utf8.IsValid(bytes) ? (StrictUtf8, 0, "utf-8") : (Gb18030, 0, "gb18030");
    }

    /// <summary>Decodes <paramref name="bytes"/> in the encoding <see cref="Detect"/> picks; returns the text and its name.</summary>
    /// <exception cref="DecoderFallbackException">the bytes are not valid in that encoding.</exception>
    public static (string Text, string Name) Decode(ReadOnlySpan<byte> bytes)
    {
        var (encoding, preamble, name) = Detect(bytes);
        return (encoding.GetString(bytes[preamble..]), name);
    }

    /// <summary>
    /// "utf-16le" or "utf-16be" when text without a byte-order mark looks like UTF-16: in its first 4 KB at least a
    /// quarter of the odd (LE) or even (BE) bytes are NUL, as the high byte of every ASCII digit, comma and line break
    /// is. Neither UTF-8 nor GB18030 text has NUL bytes; null otherwise.
    /// </summary>
    public static string? Utf16WithoutMark(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 4096)];
        if (sample.Length < 4)
            return null;
        int even = 0, odd = 0;
        for (var i = 0; i < sample.Length; i++)
        {
            if (sample[i] != 0)
                continue;
            if (i % 2 == 0) even++;
            else odd++;
        }
        var pairs = sample.Length / 2;
        return odd * 4 >= pairs && odd > even ? "utf-16le" : even * 4 >= pairs && even > odd ? "utf-16be" : null;
    }

    /// <summary>1-based line of byte <paramref name="index"/> (line feeds before it + 1).</summary>
    public static int LineOf(ReadOnlySpan<byte> bytes, int index) => bytes[..Math.Clamp(index, 0, bytes.Length)].Count((byte)'\n') + 1;

    /// <summary>Byte offset of the first invalid UTF-8 sequence, or -1 when all of <paramref name="bytes"/> is UTF-8.</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> buffer = stackalloc char[4096];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], buffer, out var read, out _, replaceInvalidSequences: false);
            if (status == System.Buffers.OperationStatus.InvalidData || status == System.Buffers.OperationStatus.NeedMoreData)
                return offset + read;
            if (status == System.Buffers.OperationStatus.Done)
                return -1;
            offset += read;
        }
        return -1;
    }
}
