using System.Globalization;
using System.Text.Json;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// Loads the shared reference datasets (CSV written by R with exact doubles) and the expected results (JSON).
/// The folder is found by walking up from the test binary to a directory holding shared/reference, or from
/// the NQPF_REFERENCE environment variable.
/// </summary>
internal static class ReferenceData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("NQPF_REFERENCE");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "reference");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/reference not found above " + AppContext.BaseDirectory + "; set NQPF_REFERENCE.");
    }

    /// <summary>A numeric CSV as named double columns (empty field = NaN).</summary>
    public static Dictionary<string, double[]> ReadCsv(string file)
    {
        var lines = File.ReadAllLines(Path("datasets", file));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var cols = header.Select(_ => new double[lines.Length - 1]).ToArray();
        for (var r = 1; r < lines.Length; r++)
        {
            var f = lines[r].Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                var s = f[c];
                cols[c][r - 1] = s.Length == 0 ? double.NaN
                    : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
            }
        }
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++) result[header[c]] = cols[c];
        return result;
    }

    public static JsonElement Json(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path("expected", file)));
        return doc.RootElement.Clone();
    }

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
