using System.Globalization;
using System.Text.Json;
using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>Reads the R reference datasets and expected results (located by <see cref="Matching.ReferenceData.Root"/>).</summary>
internal static class ReferenceData
{
    private static string Root => Matching.ReferenceData.Root;

    public static string Dataset(string file) => Path.Combine(Root, "datasets", file);

    public static JsonElement Expected(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "expected", file))).RootElement;

    /// <summary>A reference CSV as columns of strings (header names unquoted; empty = missing).</summary>
    public static Dictionary<string, string[]> ReadCsv(string file)
    {
        var lines = File.ReadAllLines(Dataset(file));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var cols = header.ToDictionary(h => h, _ => new string[lines.Length - 1], StringComparer.Ordinal);
        for (int r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            for (int c = 0; c < header.Length; c++) cols[header[c]][r - 1] = cells[c].Trim('"');
        }
        return cols;
    }

    public static double[] Doubles(string[] s) =>
        s.Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    public static long[] Longs(string[] s) =>
        s.Select(v => v.Length == 0 ? 0L : (long)double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static readonly Lazy<Dictionary<string, string[]>> MpdtaColumns = new(() => ReadCsv("mpdta.csv"));

    /// <summary>mpdta as a staggered panel: unit countyreal, period year, cohort first.treat, outcome lemp, covariate lpop.</summary>
    public static StaggeredPanel Mpdta(int anticipation = 0)
    {
        var c = MpdtaColumns.Value;
        return StaggeredPanel.Create(
            c["countyreal"], Longs(c["year"]), Longs(c["first.treat"]), Doubles(c["lemp"]),
            new Dictionary<string, double[]> { ["lpop"] = Doubles(c["lpop"]) }, anticipation);
    }
}
