using System.Text;

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
    /// Decodes <paramref name="bytes"/>: a UTF-8 or UTF-16 byte-order mark wins; otherwise strict UTF-8 if the bytes
    /// are valid UTF-8, else GB18030 (a superset of GBK/GB2312). Returns the text and the encoding's name
    /// ("utf-8-bom", "utf-16le", "utf-16be", "utf-8", "gb18030").
    /// </summary>
    /// <exception cref="DecoderFallbackException">the bytes are neither valid UTF-8 nor valid GB18030.</exception>
    public static (string Text, string Name) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return (StrictUtf8.GetString(bytes[3..]), "utf-8-bom");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (new UnicodeEncoding(false, false, true).GetString(bytes[2..]), "utf-16le");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (new UnicodeEncoding(true, false, true).GetString(bytes[2..]), "utf-16be");
        try
        {
            return (StrictUtf8.GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Gb18030.GetString(bytes), "gb18030");
        }
    }
}
