using System.Globalization;

namespace NQPF.Pipeline.Ledger;

/// <summary>The ledger's time format: ISO-8601 UTC with milliseconds, e.g. 2026-11-28T21:51:12.123Z (sorts as text).</summary>
internal static class IsoTime
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
