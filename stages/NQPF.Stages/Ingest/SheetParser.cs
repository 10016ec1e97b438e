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

    /// <summary>
    /// The row closest to a header, for the message when a sheet has none: the non-blank row of the search window with
    /// the most known fields (a city column breaks ties), or a full header found beyond the window.
    /// </summary>
    public (int Score, string Description) Closest(Sheet sheet)
    {
        (int Score, string Description) best = (0, $"No row of sheet '{sheet.Name}' within the window names a field of config/fields.json.");
        var searched = 0;
        for (var i = 0; i < sheet.Rows.Count && searched < options.MaxHeaderSearchRows + 1000; i++)
        {
            var row = sheet.Rows[i];
            if (row.IsBlank)
                continue;
            searched++;
            var fields = row.Cells.Where(catalog.IsFieldHeader).Select(c => c!.Trim()).ToList();
            var key = row.Cells.Any(c => catalog.KeyColumn(c) is "name" or "code");
            if (searched > options.MaxHeaderSearchRows)
            {
                if (key && fields.Count >= options.MinMappedFields)
                {
                    return (int.MaxValue, $"Sheet '{sheet.Name}' row {row.Number} looks like the header but lies beyond the first " +
                        $"{options.MaxHeaderSearchRows} non-blank rows (Ingest:MaxHeaderSearchRows).");
                }
                continue;
            }
            var score = fields.Count * 2 + (key ? 1 : 0);
            if (score <= best.Score || fields.Count == 0)
                continue;
            best = (score, key
                ? $"The closest is sheet '{sheet.Name}' row {row.Number}: a city column but only {fields.Count} known field(s) " +
                  $"({string.Join(", ", fields)}), fewer than Ingest:MinMappedFields = {options.MinMappedFields}."
                : $"The closest is sheet '{sheet.Name}' row {row.Number}: {fields.Count} known field(s) ({string.Join(", ", fields.Take(5))}) " +
                  "but no city name or code column (e.g. 城市, 行政区划代码).");
        }
        return best;
    }

    private SheetLayout Layout(string file, Sheet sheet, int header, int name, int code, int year)
    {
        var rows = sheet.Rows;
        var cells = rows[header].Cells;
        int? scopeRow = header > 0 && IsScopeRow(rows[header - 1]) ? header - 1 : null;
        var unitRow = header + 1 < rows.Count && IsUnitRow(rows[header + 1], cells) ? header + 1 : (int?)null;
        if (unitRow is null && header + 1 < rows.Count)
            CheckNotGarbledUnitRow(file, sheet, rows[header + 1], cells, name, code);
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

    /// <summary>A row of scope tokens (全市 … 市辖区 …); key-column headers merged down from it (城市) may stand beside them.</summary>
    private bool IsScopeRow(SheetRow row)
    {
        var filled = row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        return filled.Any(c => catalog.ScopeToken(c) is not null)
               && filled.All(c => catalog.ScopeToken(c) is not null || catalog.KeyColumn(c) is not null);
    }

    /// <summary>
    /// A row right under the header with no city and text (not numbers, not missing markers) under at least half of the
    /// field columns is a unit row whose units are not understood: reading the values in assumed units would be wrong.
    /// </summary>
    private void CheckNotGarbledUnitRow(string file, Sheet sheet, SheetRow row, IReadOnlyList<string?> header, int name, int code)
    {
        if (!string.IsNullOrWhiteSpace(row.Cell(Math.Max(0, name))) || (code >= 0 && !string.IsNullOrWhiteSpace(row.Cell(code))))
            return;
        var fieldColumns = Enumerable.Range(0, header.Count).Where(c => catalog.IsFieldHeader(header[c])).ToList();
        var text = fieldColumns.Where(c => CellValue.Parse(row.Cell(c), catalog.MissingMarkers).Status == CellStatus.Unparseable).ToList();
        var numbers = fieldColumns.Count(c => CellValue.Parse(row.Cell(c), catalog.MissingMarkers).Status == CellStatus.Number);
        if (fieldColumns.Count == 0 || numbers > 0 || text.Count * 2 < fieldColumns.Count)
            return;
        throw new DataValidationException(
            $"{file}, sheet '{sheet.Name}', row {row.Number}: the row under the header looks like a row of units, but " +
            string.Join(", ", text.Select(c => $"'{row.Cell(c)}' (column {ColumnLetter(c)})")) +
            " are not units of config/fields.json; fix the units (e.g. 万元, 万人, 件, %) so the values can be scaled.");
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
