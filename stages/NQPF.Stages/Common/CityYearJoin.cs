using System.Globalization;

namespace NQPF.Stages.Common;

/// <summary>
/// The one rule for joining city-year tables of earlier stages, the same in every stage: the base table (the rows the
/// stage estimates on) decides the rows, and every base city-year must be present in each joined table — a missing
/// one is a <see cref="DataValidationException"/> naming the table, the city and the year, never a silent NaN. A joined
/// table's extra rows are ignored; a joined table with a blank city code or two rows for one city-year is refused.
/// </summary>
internal static class CityYearJoin
{
    /// <summary>For each base row (<paramref name="codes"/>, <paramref name="years"/>), its row in <paramref name="table"/>.</summary>
    public static int[] Rows(Frame table, string tableName, string?[] codes, long[] years, string baseName)
    {
        var rowOf = new Dictionary<(string, long), int>();
        var tc = table.Strings(Columns.CityCode);
        var ty = table.Longs(Columns.Year);
        for (var i = 0; i < table.RowCount; i++)
        {
            var code = tc[i] ?? throw new DataValidationException($"{tableName} row {Row(i)}: city_code is missing.");
            if (!rowOf.TryAdd((code, ty[i]), i))
                throw new DataValidationException($"{tableName} has two rows for city {code}, year {Row(ty[i])}.");
        }
        var rows = new int[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            if (!rowOf.TryGetValue((codes[i] ?? "", years[i]), out rows[i]))
                throw new DataValidationException($"{tableName} has no row for city {codes[i]} in {Row(years[i])} (present in {baseName}).");
        }
        return rows;
    }

    /// <summary><paramref name="source"/> reordered to the base rows.</summary>
    public static T[] Pick<T>(T[] source, int[] rows)
    {
        var result = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++) result[i] = source[rows[i]];
        return result;
    }

    private static string Row(long value) => value.ToString(CultureInfo.InvariantCulture);
}
