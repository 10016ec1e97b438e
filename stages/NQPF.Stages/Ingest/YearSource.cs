using System.Globalization;
using System.Text.RegularExpressions;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>The data year a yearbook file is about, and where it was read.</summary>
/// <param name="Evidence">How it was found, for the findings (empty for a plain file-name year such as csy_2015).</param>
internal sealed record DataYear(int Year, string Evidence);

/// <summary>
/// Where a table's data year comes from when it has no year column. The official edition prints its edition year:
/// the title 中国2014年地级以上城市数据 (A1, or A2 in 2021) and the file name 地级市（及以上城市）统计资料（2014年）, or
/// the folder 中国城市统计年鉴2021（excel） of the per-table workbooks; an edition reports the year before (data year =
/// edition − 1). A plain year in a file name (csy_2015.csv) is the data year itself.
/// </summary>
internal static partial class YearSource
{
    /// <summary>The data year for a sheet whose header starts at row index <paramref name="headerTop"/>, or null.</summary>
    public static DataYear? Find(string relativePath, Sheet sheet, int headerTop)
    {
        foreach (var row in sheet.Rows.Take(headerTop))
        {
            foreach (var cell in row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal))
            {
                var m = TitlePattern().Match(FieldCatalog.Fold(cell!));
                if (m.Success)
                {
                    var edition = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                    return new DataYear(edition - 1, $"title '{cell!.Trim()}' (row {row.Number}) is the {edition} edition: data year {edition - 1}");
                }
            }
        }
        return FromPath(relativePath);
    }

    /// <summary>The year in the file name, else in the nearest folder name that has exactly one; an edition name
    /// (年鉴, 统计资料) gives its year minus one.</summary>
    public static DataYear? FromPath(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count == 0)
            return null;
        parts[^1] = Path.GetFileNameWithoutExtension(parts[^1]);
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            var years = YearPattern().Matches(parts[i]).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Distinct().ToList();
            if (years.Count > 1)
                return null;
            if (years.Count == 0)
                continue;
            var folded = FieldCatalog.Fold(parts[i]);
            if (folded.Contains("年鉴", StringComparison.Ordinal) || folded.Contains("统计资料", StringComparison.Ordinal))
            {
                var where = i == parts.Count - 1 ? "file name" : $"folder name '{parts[i]}'";
                return new DataYear(years[0] - 1, $"no title with the year: the {where} names the {years[0]} edition, read as data year {years[0] - 1}");
            }
            return i == parts.Count - 1 ? new DataYear(years[0], "") : new DataYear(years[0], $"year {years[0]} from the folder name '{parts[i]}'");
        }
        return null;
    }

    [GeneratedRegex("^中国((?:19|20)\\d{2})年.*城市")]
    private static partial Regex TitlePattern();

    [GeneratedRegex("(?<!\\d)(19|20)\\d{2}(?!\\d)")]
    private static partial Regex YearPattern();
}
