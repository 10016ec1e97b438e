using System.Globalization;
using System.Text.Json;
using NQPF.Tests.Shared;

namespace NQPF.Econometrics.Tests.Matching;

/// <summary>Reads the R reference files of <c>tests/reference</c> (located by <see cref="ReferenceFiles"/>).</summary>
internal static class ReferenceData
{
    public static string Root => ReferenceFiles.Root;

    public static JsonElement Json(string relative) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, relative))).RootElement;

    /// <summary>Reads a reference CSV (quoted header, unquoted numbers) into columns of doubles; quoted text cells (e.g. castle's state name) become NaN.</summary>
    public static Dictionary<string, double[]> NumericCsv(string relative)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, relative));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var cols = header.ToDictionary(h => h, _ => new double[lines.Length - 1]);
        for (var r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            for (var c = 0; c < header.Length; c++)
                cols[header[c]][r - 1] = cells[c].Length == 0 || cells[c][0] == '"' ? double.NaN : double.Parse(cells[c], CultureInfo.InvariantCulture);
        }
        return cols;
    }
}
