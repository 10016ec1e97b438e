using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Clean;

/// <summary>Year-level series from a config table (first column "year"): every numeric column becomes a field.</summary>
internal static class YearSeries
{
    public static Dictionary<(long Year, string Field), double> Read(Sheet sheet, string fileName)
    {
        var records = SheetTable.Records(sheet, fileName, "year");
        var result = new Dictionary<(long, string), double>();
        if (records.Count == 0) return result;
        var numeric = records[0].Keys.Where(k => k is not "year" and not "__row"
            && records.All(r => r[k].Length == 0 || double.TryParse(r[k], NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();
        foreach (var r in records)
        {
            if (!long.TryParse(r["year"], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
                throw new ConfigValidationException($"{fileName} row {r["__row"]}: year '{r["year"]}' is not a year.");
            foreach (var column in numeric.Where(c => r[c].Length > 0))
            {
                if (!result.TryAdd((year, column), double.Parse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture)))
                    throw new ConfigValidationException($"{fileName} row {r["__row"]}: year {year.ToString(CultureInfo.InvariantCulture)} appears twice.");
            }
        }
        return result;
    }
}
