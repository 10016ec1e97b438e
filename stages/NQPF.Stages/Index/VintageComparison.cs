using System.Globalization;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Index;

/// <summary>
/// How much a new run moved the weights and the history of the index relative to a previous run (e.g. after a new
/// year's yearbook arrived): for every indicator, previous and current weight and their difference; for every index
/// column, over the city-years of the history window present in both runs, the number matched, the largest and the
/// mean absolute difference, and how many moved by more than 1e-12. City-years present in only one run are counted
/// (added / dropped) but not compared. Rows: kind ("weight" | "index"), name, n, previous, current, max_abs_diff,
/// mean_abs_diff, moved (previous/current are the weights for kind "weight", the history means for kind "index").
/// </summary>
internal static class VintageComparison
{
    public const double MovedTolerance = 1e-12;

    public static Frame Compare(Frame previousWeights, Frame currentWeights, Frame previousIndex, Frame currentIndex, long firstYear, long lastYear)
    {
        var rows = new List<(string Kind, string Name, long N, double Previous, double Current, double MaxAbs, double MeanAbs, long Moved)>();
        var prevW = Weights(previousWeights);
        var curW = Weights(currentWeights);
        foreach (var name in prevW.Keys.Union(curW.Keys).Order(StringComparer.Ordinal))
        {
            var p = prevW.GetValueOrDefault(name, double.NaN);
            var c = curW.GetValueOrDefault(name, double.NaN);
            var diff = Math.Abs(c - p);
            rows.Add(("weight", name, 1, p, c, diff, diff, diff > MovedTolerance || double.IsNaN(diff) ? 1 : 0));
        }

        var prev = Keyed(previousIndex, firstYear, lastYear);
        var cur = Keyed(currentIndex, firstYear, lastYear);
        var common = prev.Keys.Intersect(cur.Keys).ToArray();
        var prevRows = common.Select(k => prev[k]).ToArray();
        var curRows = common.Select(k => cur[k]).ToArray();
        foreach (var column in currentIndex.Columns.OfType<DoubleColumn>().Where(c => previousIndex.Has(c.Name)))
        {
            var p = previousIndex.Doubles(column.Name);
            var c = column.Values;
            double max = 0, sum = 0, prevSum = 0, curSum = 0;
            long moved = 0;
            for (var k = 0; k < common.Length; k++)
            {
                var d = Math.Abs(c[curRows[k]] - p[prevRows[k]]);
                max = Math.Max(max, d);
                sum += d;
                prevSum += p[prevRows[k]];
                curSum += c[curRows[k]];
                if (d > MovedTolerance) moved++;
            }
            var n = common.Length;
            rows.Add(("index", column.Name, n, n > 0 ? prevSum / n : double.NaN, n > 0 ? curSum / n : double.NaN,
                n > 0 ? max : double.NaN, n > 0 ? sum / n : double.NaN, moved));
        }
        rows.Add(("index", "city_years_added", cur.Keys.Except(prev.Keys).LongCount(), double.NaN, double.NaN, double.NaN, double.NaN, 0));
        rows.Add(("index", "city_years_dropped", prev.Keys.Except(cur.Keys).LongCount(), double.NaN, double.NaN, double.NaN, double.NaN, 0));
        return ToFrame(rows);
    }

    /// <summary>The comparison table with no rows (no previous run to compare with).</summary>
    public static Frame Empty() => ToFrame([]);

    private static Frame ToFrame(List<(string Kind, string Name, long N, double Previous, double Current, double MaxAbs, double MeanAbs, long Moved)> rows) =>
        new(
            Text("kind", rows, r => r.Kind),
            Text("name", rows, r => r.Name),
            Long("n", rows, r => r.N),
            Double("previous", rows, r => r.Previous),
            Double("current", rows, r => r.Current),
            Double("max_abs_diff", rows, r => r.MaxAbs),
            Double("mean_abs_diff", rows, r => r.MeanAbs),
            Long("moved", rows, r => r.Moved));

    /// <summary>A short Markdown summary of <see cref="Compare"/>'s table.</summary>
    public static string Summary(Frame comparison, long firstYear, long lastYear)
    {
        var inv = CultureInfo.InvariantCulture;
        var kinds = comparison.Strings("kind");
        var names = comparison.Strings("name");
        var lines = new List<string>
        {
            $"## Vintage: movement versus the previous run ({firstYear.ToString(inv)}–{lastYear.ToString(inv)})",
            "",
            "| kind | name | n | previous | current | max abs diff | mean abs diff | moved |",
            "|---|---|---|---|---|---|---|---|",
        };
        for (var i = 0; i < comparison.RowCount; i++)
        {
            lines.Add($"| {kinds[i]} | {names[i]} | {comparison.Longs("n")[i].ToString(inv)} | {Shown(comparison.Doubles("previous")[i])} | " +
                      $"{Shown(comparison.Doubles("current")[i])} | {Shown(comparison.Doubles("max_abs_diff")[i])} | {Shown(comparison.Doubles("mean_abs_diff")[i])} | " +
                      $"{comparison.Longs("moved")[i].ToString(inv)} |");
        }
        return string.Join('\n', lines) + '\n';

        static string Shown(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, double> Weights(Frame w)
    {
        var names = w.Strings("indicator");
        var values = w.Doubles("weight");
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < w.RowCount; i++) d[names[i] ?? ""] = values[i];
        return d;
    }

    private static Dictionary<(string, long), int> Keyed(Frame index, long firstYear, long lastYear)
    {
        var codes = index.Strings(Columns.CityCode);
        var years = index.Longs(Columns.Year);
        var d = new Dictionary<(string, long), int>();
        for (var i = 0; i < index.RowCount; i++)
        {
            if (years[i] >= firstYear && years[i] <= lastYear) d[(codes[i] ?? "", years[i])] = i;
        }
        return d;
    }
}
