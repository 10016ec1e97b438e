using System.Globalization;
using System.Text.RegularExpressions;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>A mapped column of a sheet: its 0-based index and the field/scope/unit it holds.</summary>
internal sealed record ColumnMap(int Index, HeaderMatch Match);

/// <summary>Where a sheet's header is and what its columns mean.</summary>
internal sealed record SheetLayout(
    bool IsTargets,
    int HeaderRow,
    int? ScopeRow,
    int? UnitRow,
    int DataStart,
    int NameColumn,
    int CodeColumn,
    int YearColumn,
    IReadOnlyList<ColumnMap> Columns,
    IReadOnlyList<string> Unmapped,
    int TitleRows);

/// <summary>
/// Finds the header of a sheet: the first of its leading rows that has a city name or code column and at least
/// <see cref="IngestOptions.MinMappedFields"/> recognised fields (a yearbook table), or a growth-target column (the
/// targets file). A row of scope tokens just above it (全市 … 市辖区 …, each spanning rightwards) gives column scopes;
/// a row of units just below it gives units. The sheet name may be a scope (a 市辖区 sheet).
/// </summary>
internal sealed partial class SheetParser(FieldCatalog catalog, IngestOptions options)
{
    public static string ColumnLetter(int index)
    {
        var s = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
            s = (char)('A' + (i - 1) % 26) + s;
        return s;
    }

    /// <summary>Returns the layout, or null when no header row is found within the search window.</summary>
    public SheetLayout? FindLayout(string file, Sheet sheet)
    {
        var rows = sheet.Rows;
        var searched = 0;
        for (var i = 0; i < rows.Count && searched < options.MaxHeaderSearchRows; i++)
        {
            if (rows[i].IsBlank)
                continue;
            searched++;
            var cells = rows[i].Cells;
            var name = IndexOf(cells, c => catalog.KeyColumn(c) == "name");
            var code = IndexOf(cells, c => catalog.KeyColumn(c) == "code");
            if (name < 0 && code < 0)
                continue;
            var year = IndexOf(cells, c => catalog.KeyColumn(c) == "year");
            if (IndexOf(cells, c => Matches(c, options.TargetValueHeaders)) >= 0)
                return new SheetLayout(true, i, null, null, i + 1, name, code, year, [], [], CountNonBlank(rows, i));
            var fieldCount = cells.Count(catalog.IsFieldHeader);
            if (fieldCount < options.MinMappedFields)
                continue;
            return Layout(file, sheet, i, name, code, year);
        }
        return null;
    }

    private SheetLayout Layout(string file, Sheet sheet, int header, int name, int code, int year)
    {
        var rows = sheet.Rows;
        var cells = rows[header].Cells;
        int? scopeRow = header > 0 && IsScopeRow(rows[header - 1]) ? header - 1 : null;
        var unitRow = header + 1 < rows.Count && IsUnitRow(rows[header + 1], cells) ? header + 1 : (int?)null;
        var sheetScope = catalog.ScopeToken(sheet.Name);
        var columns = new List<ColumnMap>();
        var unmapped = new List<string>();
        string? spanScope = null;
        for (var c = 0; c < cells.Count; c++)
        {
            if (scopeRow is { } sr && catalog.ScopeToken(rows[sr].Cell(c)) is { } s)
                spanScope = s;
            var text = cells[c];
            if (string.IsNullOrWhiteSpace(text) || c == name || c == code || c == year || catalog.KeyColumn(text) is not null)
                continue;
            var where = $"{file}, sheet '{sheet.Name}', row {rows[header].Number}, column {ColumnLetter(c)}";
            var match = catalog.MatchHeader(text, unitRow is { } ur ? rows[ur].Cell(c) : null, spanScope ?? sheetScope, where);
            if (match is null)
                unmapped.Add(text.Trim());
            else
                columns.Add(new ColumnMap(c, match));
        }
        var dupe = columns.GroupBy(m => m.Match.PanelName).FirstOrDefault(g => g.Count() > 1);
        if (dupe is not null)
        {
            var list = dupe.ToList();
            throw new DataValidationException(
                $"{file}, sheet '{sheet.Name}', row {rows[header].Number}: columns {ColumnLetter(list[0].Index)} and " +
                $"{ColumnLetter(list[1].Index)} both hold field '{dupe.Key}' ('{cells[list[0].Index]}', '{cells[list[1].Index]}').");
        }
        return new SheetLayout(false, header, scopeRow, unitRow, (unitRow ?? header) + 1, name, code, year, columns, unmapped,
            CountNonBlank(rows, scopeRow ?? header));
    }

    private bool IsScopeRow(SheetRow row)
    {
        var filled = row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        return filled.Count > 0 && filled.All(c => catalog.ScopeToken(c) is not null);
    }

    private bool IsUnitRow(SheetRow row, IReadOnlyList<string?> header)
    {
        var fieldColumns = 0;
        var units = 0;
        for (var c = 0; c < header.Count; c++)
        {
            if (!catalog.IsFieldHeader(header[c]))
                continue;
            fieldColumns++;
            if (catalog.IsUnit(row.Cell(c)))
                units++;
        }
        return fieldColumns > 0 && units * 2 >= fieldColumns;
    }

    private static int CountNonBlank(IReadOnlyList<SheetRow> rows, int before) => rows.Take(before).Count(r => !r.IsBlank);

    private static bool Matches(string? cell, List<string> names)
    {
        if (string.IsNullOrWhiteSpace(cell))
            return false;
        var folded = FieldCatalog.Fold(cell);
        var bracket = folded.IndexOf('(');
        var core = bracket > 0 ? folded[..bracket] : folded;
        return names.Any(n => FieldCatalog.Fold(n) == core);
    }

    private static int IndexOf(IReadOnlyList<string?> cells, Func<string?, bool> predicate)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (predicate(cells[i]))
                return i;
        }
        return -1;
    }

    /// <summary>The one year in a file name (csy_2015.xlsx → 2015); null when none or several distinct years.</summary>
    public static int? YearFromFileName(string file)
    {
        var years = YearPattern().Matches(Path.GetFileNameWithoutExtension(file))
            .Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).Distinct().ToList();
        return years.Count == 1 ? years[0] : null;
    }

    [GeneratedRegex("(?<!\\d)(19|20)\\d{2}(?!\\d)")]
    private static partial Regex YearPattern();
}
