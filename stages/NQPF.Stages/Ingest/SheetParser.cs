using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>A mapped column of a sheet: its 0-based index and the field/scope/unit it holds.</summary>
internal sealed record ColumnMap(int Index, HeaderMatch Match);

/// <summary>Where a sheet's header is and what its columns mean.</summary>
/// <param name="ScopeRow">A row of 全市/市辖区 tokens above or below the variable row.</param>
/// <param name="SectionRows">Rows above the variable row (人口状况, 劳动力就业状况(人)) whose units apply to their columns.</param>
/// <param name="UnitColumn">A column holding each row's unit (long tables: year | 地级市 | 外商直接投资 | 单位), or -1.</param>
/// <param name="Skipped">Columns of known fields not read (a scope the field is not read in), with the reason.</param>
/// <param name="ColumnYears">A wide table (years across the columns, one field named by the title, sheet or file):
/// the year of each value column.</param>
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
    int TitleRows,
    IReadOnlyList<int>? SectionRows = null,
    int UnitColumn = -1,
    IReadOnlyList<(int Column, string Reason)>? Skipped = null,
    IReadOnlyDictionary<int, int>? ColumnYears = null);

/// <summary>
/// Finds the header of a sheet: the first of its leading rows that has a city name or code column and at least
/// <see cref="IngestOptions.MinMappedFields"/> recognised fields (a yearbook table), or a growth-target column (the
/// targets file). A row of scope tokens just above it (全市 … 市辖区 …, each spanning rightwards) gives column scopes;
/// a row of units just below it gives units. The sheet name may be a scope (a 市辖区 sheet).
/// </summary>
internal sealed partial class SheetParser(FieldCatalog catalog, IngestOptions options)
{
    /// <summary>The 0-based index of a column letter (A → 0, AA → 26); null for null.</summary>
    public static int? Letter(string? letters)
    {
        if (string.IsNullOrWhiteSpace(letters))
            return null;
        var index = 0;
        foreach (var ch in letters.Trim().ToUpperInvariant())
        {
            if (ch is < 'A' or > 'Z')
                throw new DataValidationException($"sources.json: '{letters}' is not a column letter (A, B, …, AA).");
            index = index * 26 + (ch - 'A' + 1);
        }
        return index - 1;
    }

    /// <summary>Excel's letters of a 0-based column index (A, …, Z, AA, …); A to ZZ are made once and shared.</summary>
    public static string ColumnLetter(int index) => index is >= 0 and < 702 ? CommonLetters.Value[index] : Letters(index);

    private static readonly Lazy<string[]> CommonLetters = new(() => [.. Enumerable.Range(0, 702).Select(Letters)]);

    private static string Letters(int index)
    {
        var s = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
            s = (char)('A' + (i - 1) % 26) + s;
        return s;
    }

    /// <summary>
    /// Returns the layout, or null when no header row is found within the search window. The variable row needs the
    /// city name or code column in it or in a header row next to it (城市 written once over a merged block), and at
    /// least <see cref="IngestOptions.MinMappedFields"/> known fields — one is enough in a long table with a year column
    /// or above a scope row (a per-table workbook of one variable in two scopes).
    /// </summary>
    public SheetLayout? FindLayout(string file, Sheet sheet, ManifestEntry? entry = null)
    {
        var rows = sheet.Rows;
        if (entry?.HeaderRow is { } headerRow)
        {
            var at = rows.Select((r, i) => (r, i)).FirstOrDefault(p => p.r.Number == headerRow && !p.r.IsBlank);
            return at.r is null ? throw new DataValidationException($"{file}, sheet '{sheet.Name}': sources.json gives header row {headerRow}, which is blank or absent.")
                : Layout(file, sheet, at.i, Keys(rows, at.i), entry);
        }
        var searched = 0;
        for (var i = 0; i < rows.Count && searched < options.MaxHeaderSearchRows; i++)
        {
            if (rows[i].IsBlank)
                continue;
            searched++;
            var cells = rows[i].Cells;
            var keys = Keys(rows, i);
            if (keys.Name < 0 && keys.Code < 0)
                continue;
            if (IndexOf(cells, c => Matches(c, options.TargetValueHeaders)) >= 0)
                return new SheetLayout(true, i, null, null, i + 1, keys.Name, keys.Code, keys.Year, [], [], CountNonBlank(rows, i));
            if (keys.Year < 0 && WideLayout(file, sheet, i, keys) is { } wide)
                return wide;
            var fieldCount = cells.Count(catalog.IsFieldHeader);
            if (fieldCount < (keys.Year >= 0 || HasScopeRow(rows, i) ? 1 : options.MinMappedFields))
                continue;
            return Layout(file, sheet, i, keys, entry);
        }
        return null;
    }

    /// <summary>
    /// A wide table: two or more year headers (2011, 2011年) across the row, and the field named by a title row above,
    /// the sheet name or the file name (GDP_2000-2020 does not name one; 地区生产总值(亿元).xlsx does, with its unit).
    /// </summary>
    private SheetLayout? WideLayout(string file, Sheet sheet, int header, KeyColumns keys)
    {
        var rows = sheet.Rows;
        var years = new Dictionary<int, int>();
        for (var c = 0; c < rows[header].Cells.Count; c++)
        {
            var text = FieldCatalog.Fold(rows[header].Cell(c) ?? "").TrimEnd('年');
            if (text.Length == 4 && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && y is >= 1949 and <= 2100)
                years[c] = y;
        }
        if (years.Count < 2)
            return null;
        var name = Path.GetFileNameWithoutExtension(file.Replace('\\', '/').Split('/')[^1]);
        var candidates = Above(rows, header, 3).Select(r => rows[r].Cells.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x)))
            .Append(sheet.Name).Append(name).Append(TablePrefix().Replace(name, "")).Where(t => !string.IsNullOrWhiteSpace(t));
        foreach (var candidate in candidates)
        {
            var where = $"{file}, sheet '{sheet.Name}', row {rows[header].Number}";
            if (catalog.MatchHeader(candidate!, null, null, catalog.ScopeToken(sheet.Name), where, out _) is not { } match)
                continue;
            var columns = years.Keys.Select(c => new ColumnMap(c, match)).ToList();
            return new SheetLayout(false, header, null, null, header + 1, keys.Name, keys.Code, -1, columns, [],
                CountNonBlank(rows, header), null, keys.Unit, null, years);
        }
        return null;
    }

    /// <summary>Table numbers in front of a file name (2-7_地区生产总值, 2-9 …).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]+[-－][0-9]+[_ ]*")]
    private static partial System.Text.RegularExpressions.Regex TablePrefix();

    /// <summary>A scope row right below or above: a per-table workbook with one variable in two scopes is a table.</summary>
    private bool HasScopeRow(IReadOnlyList<SheetRow> rows, int i) =>
        (i + 1 < rows.Count && IsScopeRow(rows[i + 1])) || Above(rows, i, 1).Any(a => IsScopeRow(rows[a]));

    private readonly record struct KeyColumns(int Name, int Code, int Year, int Unit);

    /// <summary>Key columns of row <paramref name="i"/>, else of the header rows just around it (the row below when it
    /// is a scope or unit row, up to three non-blank rows above).</summary>
    private KeyColumns Keys(IReadOnlyList<SheetRow> rows, int i)
    {
        KeyColumns Of(SheetRow r) => new(IndexOf(r.Cells, c => catalog.KeyColumn(c) == "name"), IndexOf(r.Cells, c => catalog.KeyColumn(c) == "code"),
            IndexOf(r.Cells, c => catalog.KeyColumn(c) == "year"), IndexOf(r.Cells, c => catalog.KeyColumn(c) == "unit"));
        var own = Of(rows[i]);
        if (own.Name >= 0 || own.Code >= 0 || !rows[i].Cells.Any(catalog.IsFieldHeader))
            return own;
        if (i + 1 < rows.Count && IsScopeRow(rows[i + 1]) && Of(rows[i + 1]) is { } below && (below.Name >= 0 || below.Code >= 0))
            return below;
        foreach (var above in Above(rows, i, 3))
        {
            if (Of(rows[above]) is { } k && (k.Name >= 0 || k.Code >= 0))
                return k;
        }
        return own;
    }

    /// <summary>Indexes of up to <paramref name="count"/> non-blank rows above row <paramref name="i"/>, nearest first.</summary>
    private static IEnumerable<int> Above(IReadOnlyList<SheetRow> rows, int i, int count)
    {
        for (var j = i - 1; j >= 0 && count > 0; j--)
        {
            if (rows[j].IsBlank)
                continue;
            count--;
            yield return j;
        }
    }

    /// <summary>
    /// The row closest to a header, for the message when a sheet has none: the non-blank row of the search window with
    /// the most known fields (a city column breaks ties), or a full header found beyond the window.
    /// </summary>
    public (int Score, string Description) Closest(Sheet sheet)
    {
        var (score, description, row) = ClosestRow(sheet);
        var seen = row ?? sheet.Rows.FirstOrDefault(r => !r.IsBlank);
        return (score, seen is null ? description : description + " " + Hint(seen));
    }

    private (int Score, string Description, SheetRow? Row) ClosestRow(Sheet sheet)
    {
        (int Score, string Description, SheetRow? Row) best = (0, $"No row of sheet '{sheet.Name}' within the window names a field of config/fields.json.", null);
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
                        $"{options.MaxHeaderSearchRows} non-blank rows (Ingest:MaxHeaderSearchRows).", null);
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
                  "but no city name or code column (e.g. 城市, 行政区划代码).", row);
        }
        return best;
    }

    /// <summary>
    /// What a user needs to make a row a header: the cells seen, and for each unknown one the nearest fields with the
    /// exact alias to add to config/fields.json.
    /// </summary>
    private string Hint(SheetRow row)
    {
        var cells = row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim()).ToList();
        var unknown = cells.Where(c => !catalog.IsFieldHeader(c) && catalog.KeyColumn(c) is null && catalog.ScopeToken(c) is null
                                        && CellValue.Parse(c, catalog.MissingMarkers).Status == CellStatus.Unparseable).ToList();
        var hints = unknown.Select(c => (Cell: c, Near: catalog.Nearest(c, 2))).Where(h => h.Near.Count > 0).Take(6)
            .Select(h => $"'{h.Cell}' is nearest to {string.Join(" or ", h.Near.Select(n => $"{n.Field.Name} ('{n.Field.Label}')"))}: " +
                         $"to read it as {h.Near[0].Field.Name}, add \"{h.Cell}\" to the Aliases of \"{h.Near[0].Field.Name}\" in config/fields.json").ToList();
        var seen = $"Header cells seen in row {row.Number}: {string.Join(" | ", cells.Take(12).Select(c => $"'{c}'"))}{(cells.Count > 12 ? " …" : "")}.";
        return hints.Count == 0 ? seen : seen + " " + string.Join("; ", hints) + ".";
    }

    private SheetLayout Layout(string file, Sheet sheet, int header, KeyColumns keys, ManifestEntry? entry)
    {
        keys = new KeyColumns(Letter(entry?.CityColumn) ?? keys.Name, Letter(entry?.CodeColumn) ?? keys.Code,
            Letter(entry?.YearColumn) ?? keys.Year, keys.Unit);
        var rows = sheet.Rows;
        var cells = rows[header].Cells;
        var above = Above(rows, header, 3).ToList();
        int? scopeRow = header + 1 < rows.Count && IsScopeRow(rows[header + 1]) ? header + 1
            : above.Count > 0 && IsScopeRow(rows[above[0]]) ? above[0] : null;
        var below = scopeRow > header ? header + 1 : header;
        var unitRow = below + 1 < rows.Count && IsUnitRow(rows[below + 1], cells) ? below + 1 : (int?)null;
        if (unitRow is null && below + 1 < rows.Count)
            CheckNotGarbledUnitRow(file, sheet, rows[below + 1], cells, keys.Name, keys.Code);
        var sections = above.Where(r => r != scopeRow && !IsTitle(rows[r])).ToList();
        var sheetScope = catalog.ScopeToken(sheet.Name);
        var columns = new List<ColumnMap>();
        var unmapped = new List<string>();
        var skipped = new List<(int, string)>();
        var scopes = Spanned(scopeRow is { } sr ? rows[sr] : null, cells.Count, catalog.ScopeToken);
        var sectionUnits = sections.Select(r => Spanned(rows[r], cells.Count, catalog.SectionUnit)).ToList();
        for (var c = 0; c < cells.Count; c++)
        {
            var text = cells[c];
            var where = $"{file}, sheet '{sheet.Name}', row {rows[header].Number}, column {ColumnLetter(c)}";
            if (entry?.Columns?.GetValueOrDefault(ColumnLetter(c)) is { } given)
            {
                if (given.Field is not null)
                    columns.Add(new ColumnMap(c, catalog.Resolve(given, text, where)));
                continue;
            }
            if (string.IsNullOrWhiteSpace(text) || c == keys.Name || c == keys.Code || c == keys.Year || catalog.KeyColumn(text) is not null)
                continue;
            var section = sectionUnits.Select(u => u[c]).FirstOrDefault(u => u is not null);
            var match = catalog.MatchHeader(text, unitRow is { } ur ? rows[ur].Cell(c) : null, section, scopes[c] ?? sheetScope, where, out var reason);
            if (match is not null)
                columns.Add(new ColumnMap(c, match));
            else if (reason is not null)
                skipped.Add((c, reason));
            else
                unmapped.Add(text.Trim());
        }
        CheckDuplicates(file, sheet, rows[header], columns);
        var top = new[] { header, scopeRow ?? header }.Concat(sections).Min();
        return new SheetLayout(false, header, scopeRow, unitRow, (unitRow ?? below) + 1, keys.Name, keys.Code, keys.Year, columns, unmapped,
            CountNonBlank(rows, top), sections, keys.Unit, skipped);
    }

    private static void CheckDuplicates(string file, Sheet sheet, SheetRow header, List<ColumnMap> columns)
    {
        var dupe = columns.GroupBy(m => m.Match.PanelName).FirstOrDefault(g => g.Count() > 1);
        if (dupe is null)
            return;
        var list = dupe.ToList();
        throw new DataValidationException(
            $"{file}, sheet '{sheet.Name}', row {header.Number}: columns {ColumnLetter(list[0].Index)} and " +
            $"{ColumnLetter(list[1].Index)} both hold field '{dupe.Key}' ('{header.Cell(list[0].Index)}', '{header.Cell(list[1].Index)}'); " +
            "if they are two scopes, put 全市/市辖区 in the header or in a scope row.");
    }

    /// <summary>Per column, the value read from a header row's cell, carried rightwards over blank cells (a group header
    /// written once over the columns it spans when the cells are not merged).</summary>
    private static string?[] Spanned(SheetRow? row, int width, Func<string?, string?> read)
    {
        var values = new string?[width];
        string? current = null;
        for (var c = 0; row is not null && c < width; c++)
        {
            if (!string.IsNullOrWhiteSpace(row.Cell(c)))
                current = read(row.Cell(c));
            values[c] = current;
        }
        return values;
    }

    /// <summary>A title row: one text in its first cell (or the same text merged across the row), no other cells.</summary>
    private static bool IsTitle(SheetRow row) =>
        row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).Count() == 1
        && !string.IsNullOrWhiteSpace(row.Cell(0));

    /// <summary>A row of scope tokens (全市 … 市辖区 …, bilingual from 2016: 全 市 Total City); key-column headers merged
    /// down into it (城市) may stand beside them, and at most two other cells (an English-name column's header).</summary>
    private bool IsScopeRow(SheetRow row)
    {
        var filled = row.Cells.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var tokens = filled.Count(c => catalog.ScopeToken(c) is not null);
        var keys = filled.Count(c => catalog.KeyColumn(c) is not null);
        return tokens > 0 && filled.Count - tokens - keys <= 2 && tokens >= filled.Count - keys - tokens;
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
}
