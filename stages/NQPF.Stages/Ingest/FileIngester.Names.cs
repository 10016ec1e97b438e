using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>The English-name column beside the Chinese one (official editions from 2018, per-table workbooks): each
/// row's two names are checked against each other, so one that fails is rescued by the other and two that name
/// different units stop the row instead of a guess.</summary>
internal sealed partial class FileIngester
{
    private const int EnglishSampleRows = 40;

    /// <summary>A column other than the name/code columns whose sampled data cells are mostly English names of the
    /// roster; -1 when there is none (or when the name column itself holds the English names).</summary>
    private int EnglishColumn(Sheet sheet, SheetLayout layout)
    {
        var rows = sheet.Rows.Skip(layout.DataStart).Where(r => !r.IsBlank).Take(EnglishSampleRows).ToList();
        var width = sheet.Rows[layout.HeaderRow].Cells.Count;
        var mapped = layout.Columns.Select(c => c.Index).Concat([layout.NameColumn, layout.CodeColumn, layout.YearColumn, layout.UnitColumn]).ToHashSet();
        for (var c = 0; c < width; c++)
        {
            if (mapped.Contains(c))
                continue;
            var cells = rows.Select(r => r.Cell(c)).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            var known = cells.Count(roster.IsEnglishName);
            if (cells.Count >= 2 && known * 2 >= cells.Count)
                return c;
        }
        return -1;
    }

    /// <summary>Checks a row's Chinese match against its English name: one matching alone is used and the pair
    /// reported; both matching different units is reported and the row skipped (Disagree).</summary>
    private (CityMatch? Match, bool Disagree) PairEnglish(string file, Sheet sheet, SheetLayout layout, SheetRow row, string? name,
        (string Text, int Column) english, CityMatch? match, int year, List<Finding> findings)
    {
        var candidates = roster.English(english.Text, year);
        var a = SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn));
        var b = SheetParser.ColumnLetter(english.Column);
        var pair = $"{a} '{name}', {b} '{english.Text}'";
        if (match is not null && candidates.Contains(match.City))
            return (match, false);
        if (match is not null && candidates.Count == 0)
        {
            findings.Add(new(file, sheet.Name, row.Number, b, english.Text, FindingKind.NamePairOneMatched,
                $"{pair}: the Chinese name is {match.City.Code} {match.City.Name}; the English name matches no unit (read by the Chinese name)"));
            return (match, false);
        }
        if (match is not null)
        {
            findings.Add(new(file, sheet.Name, row.Number, b, name ?? "", FindingKind.NamesDisagree,
                $"{pair}: the Chinese name is {match.City.Code} {match.City.Name} but the English name is " +
                $"{string.Join(" or ", candidates.Select(c => $"{c.Code} {c.Name}"))}; row skipped"));
            return (null, true);
        }
        if (candidates is not [var only])
            return (null, false);
        findings.Add(new(file, sheet.Name, row.Number, a, name ?? "", FindingKind.NamePairOneMatched,
            $"{pair}: the Chinese name matches no unit; the English name is {only.Code} {only.Name} (read by the English name)"));
        return (new CityMatch(only, CityMatchKind.English, name ?? english.Text), false);
    }

    /// <summary>Why an English name alone did not match: it is shared by several units that year.</summary>
    private string SharedEnglish(string printed, int year) =>
        CityRoster.IsLatin(printed) && roster.English(printed, year) is { Count: > 1 } shared
            ? $" (the English name is shared by {string.Join(", ", shared.Select(c => $"{c.Code} {c.Name}"))}: print the Chinese name or the code)"
            : "";

    /// <summary>A county-level row (county-level city, county, district) by its code or exact name: skipped with a
    /// finding, never matched to a prefecture through a shortened name.</summary>
    private bool CountyRow(string file, Sheet sheet, SheetLayout layout, SheetRow row, string? name, string? code, int year, List<Finding> findings)
    {
        if (roster.CountyLevel(code, name, year) is not { } county)
            return false;
        var prefecture = roster.ByCode(county.PrefectureCode) is { } p ? $"{p.Code} {p.Name}" : county.PrefectureCode;
        findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn)), name ?? code ?? "",
            FindingKind.CountyLevelRow, $"'{name ?? code}' is the county-level unit {county.Code} {county.Name} (prefecture {prefecture}) in {year}; " +
            "row skipped (not a prefecture-level city)"));
        return true;
    }
}
