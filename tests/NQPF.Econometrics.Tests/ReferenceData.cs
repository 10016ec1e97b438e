using System.Globalization;
using System.Text.Json;

namespace NQPF.Econometrics.Tests;

/// <summary>The TWFE tests' view of the shared reference files (root and CSV parsing shared with <see cref="Matching.ReferenceData"/>).</summary>
internal static class ReferenceData
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Matching.ReferenceData.Root, .. parts]);

    /// <summary>A numeric CSV of datasets/ as named double columns (empty field = NaN).</summary>
    public static Dictionary<string, double[]> ReadCsv(string file) => Matching.ReferenceData.NumericCsv("datasets/" + file);

    public static JsonElement Json(string file) => Matching.ReferenceData.Json("expected/" + file);

    /// <summary>mpdta with treat_post = first.treat > 0 &amp; year ≥ first.treat (as in twfe_mpdta.json).</summary>
    public static Dictionary<string, double[]> Mpdta()
    {
        var d = ReadCsv("mpdta.csv");
        var g = d["first.treat"];
        var year = d["year"];
        d["treat_post"] = g.Select((v, i) => v > 0 && year[i] >= v ? 1.0 : 0.0).ToArray();
        return d;
    }

    public static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        var rel = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(rel <= tolerance,
            string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R}, relative difference {rel:E3} > {tolerance:E1}"));
    }
}
