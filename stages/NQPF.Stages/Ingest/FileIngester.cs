using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>What one file gave: panel values, targets, findings, its report row and the years it holds.</summary>
internal sealed record FileOutcome(IReadOnlyList<PanelRow> Panel, IReadOnlyList<TargetRow> Targets,
    IReadOnlyList<Finding> Findings, FileReport Report, IReadOnlySet<int> Years);

/// <summary>
/// Turns one read workbook into panel values (or growth targets): finds each sheet's header, reads data rows until a
/// footnote, skips province heading rows, matches cities by code/name/alias by year, parses cells (missing markers,
/// thousands separators), rescales to canonical units, checks plausibility bounds and resolves duplicates through
/// <paramref name="seen"/> (identical → dropped with a finding, conflicting → error naming both cells).
/// </summary>
internal sealed class FileIngester(FieldCatalog catalog, CityRoster roster, IngestOptions options,
    Dictionary<(string City, int Year, string Field), (double Value, string Where)> seen)
{
    /// <summary>The file each yearbook year came from: a second file with the same year fails the stage.</summary>
    private readonly Dictionary<int, string> _yearFiles = [];

    private readonly SheetParser _parser = new(catalog, options);
    private readonly HashSet<string> _provinces = roster.Cities.Select(c => FieldCatalog.Fold(c.Province)).ToHashSet(StringComparer.Ordinal);

    public FileOutcome Ingest(Workbook book)
    {
        var file = book.FileName;
        var s = new Tally();
        var findings = new List<Finding>();
        var panel = new List<PanelRow>();
        var targets = new List<TargetRow>();
        var years = new HashSet<int>();
        var layouts = new List<(Sheet Sheet, SheetLayout Layout)>();
        foreach (var sheet in book.Sheets)
        {
            if (sheet.Hidden)
            {
                findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.HiddenSheet,
                    "hidden sheet skipped: ingest reads the sheets a reader sees (unhide it to have it read)"));
                continue;
            }
            s.RowsRead += sheet.Rows.Count(r => !r.IsBlank);
            if (sheet.Rows.All(r => r.IsBlank))
            {
                findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.EmptySheet, "sheet has no data"));
                continue;
            }
            var layout = _parser.FindLayout(file, sheet);
            if (layout is null)
            {
                findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.NoHeaderSheet,
                    $"no header row (city name/code column and ≥ {options.MinMappedFields} known fields) in the first {options.MaxHeaderSearchRows} non-blank rows"));
                continue;
            }
            layouts.Add((sheet, layout));
        }
        if (layouts.Count == 0)
            throw NoHeader(book);
        var isTargets = layouts.Any(l => l.Layout.IsTargets);
        foreach (var (sheet, layout) in layouts)
        {
            Describe(file, sheet, layout, findings, s);
            if (layout.IsTargets)
                ReadTargets(file, sheet, layout, targets, findings, s);
            else
                ReadValues(file, sheet, layout, panel, findings, years, s);
        }
        if (!isTargets && s.DataRows == 0)
        {
            var (sheet, layout) = layouts[0];
            throw new DataValidationException(
                $"{file}, sheet '{sheet.Name}': a header at row {sheet.Rows[layout.HeaderRow].Number} but no data rows below it " +
                "in any sheet: the file holds no yearbook values (truncated export?).");
        }
        var report = new FileReport(file, book.Format, book.Encoding ?? "", isTargets ? "growth_targets" : "yearbook",
            years.Count == 1 ? years.First() : 0, book.Sheets.Count,
            string.Join("; ", layouts.Select(l => $"{l.Sheet.Name}: {HeaderRows(l.Sheet, l.Layout)}")),
            s.RowsRead, s.DataRows, s.Matched.Count, s.Matched.Count(c => roster.Get(c).InSample),
            string.Join("|", s.Matched.Where(c => !roster.Get(c).InSample).Select(c => roster.Get(c).Name).Order(StringComparer.Ordinal)),
            s.Unknown, string.Join("|", layouts.SelectMany(l => l.Layout.Unmapped).Distinct()), layouts.Sum(l => l.Layout.Columns.Count),
            s.Values, s.Missing, string.Join(" ", s.Markers.Order(StringComparer.Ordinal)), s.Separators, s.Unparseable, s.OutOfRange,
            s.Duplicates, string.Join("; ", s.Rescaled.Distinct()), string.Join("|", s.Aliases.Distinct()), s.ShortNames, s.ProvinceRows, s.Footnotes);
        return new FileOutcome(panel, targets, findings, report, years);
    }

    private DataValidationException NoHeader(Workbook book)
    {
        var file = book.FileName;
        var sheets = string.Join(", ", book.Sheets.Select(x => $"'{x.Name}'"));
        var visible = book.Sheets.Where(x => !x.Hidden).ToList();
        if (visible.Count == 0)
        {
            return new DataValidationException(book.Sheets.Count == 0
                ? $"{file}: the workbook has no sheets."
                : $"{file}: every sheet is hidden ({sheets}); ingest reads only the sheets a reader sees.");
        }
        if (visible.All(x => x.Rows.All(r => r.IsBlank)))
            return new DataValidationException($"{file}: the workbook holds no data: every sheet is empty ({sheets}).");
        var closest = visible.Select(x => _parser.Closest(x)).OrderByDescending(c => c.Score).First();
        var encoding = book.Format == "csv" && book.Encoding is { } e ? $" The text was read as {e}." : "";
        return new DataValidationException(
            $"{file}: no recognisable header: no sheet has, within its first {options.MaxHeaderSearchRows} non-blank rows, " +
            $"a row with a city name or code column (e.g. 城市, 行政区划代码) and at least {options.MinMappedFields} fields of " +
            $"config/fields.json (sheets: {sheets}). {closest.Description}{encoding}");
    }

    private void Describe(string file, Sheet sheet, SheetLayout layout, List<Finding> findings, Tally s)
    {
        var header = sheet.Rows[layout.HeaderRow];
        if (layout.TitleRows > 0)
            findings.Add(new(file, sheet.Name, sheet.Rows[0].Number, "", "", FindingKind.TitleRows, $"{layout.TitleRows} title row(s) above the header skipped"));
        if (layout.ScopeRow is { } sr)
            findings.Add(new(file, sheet.Name, sheet.Rows[sr].Number, "", "", FindingKind.ScopeRow, "group-header row of scopes (全市/市辖区) applied to the columns below"));
        if (layout.UnitRow is { } ur)
            findings.Add(new(file, sheet.Name, sheet.Rows[ur].Number, "", "", FindingKind.UnitRow, "second header row of units read"));
        foreach (var text in layout.Unmapped)
            findings.Add(new(file, sheet.Name, header.Number, "", "", FindingKind.UnmappedHeader, $"header '{text}' is not a field of config/fields.json"));
        foreach (var c in layout.Columns.Where(c => c.Match.Factor != 1.0))
        {
            var m = c.Match;
            var note = $"{m.PanelName}: {m.Unit} → {m.Field.CanonicalUnit} × {m.Factor.ToString("R", CultureInfo.InvariantCulture)}";
            s.Rescaled.Add(note);
            findings.Add(new(file, sheet.Name, header.Number, SheetParser.ColumnLetter(c.Index), "", FindingKind.Rescaled, note));
        }
    }

    private void ReadValues(string file, Sheet sheet, SheetLayout layout, List<PanelRow> panel, List<Finding> findings,
        HashSet<int> years, Tally s)
    {
        var fileYear = SheetParser.YearFromFileName(file);
        var rows = sheet.Rows;
        for (var i = layout.DataStart; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.IsBlank)
                continue;
            if (IsFootnote(row))
            {
                var rest = rows.Skip(i).Count(r => !r.IsBlank);
                s.Footnotes += rest;
                findings.Add(new(file, sheet.Name, row.Number, "A", "", FindingKind.Footnote, $"{rest} footnote row(s) from here on skipped"));
                break;
            }
            var name = layout.NameColumn >= 0 ? row.Cell(layout.NameColumn)?.Trim() : null;
            var code = layout.CodeColumn >= 0 ? row.Cell(layout.CodeColumn)?.Trim() : null;
            if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(code))
            {
                var values = layout.Columns.Where(c => CellValue.Parse(row.Cell(c.Index), catalog.MissingMarkers).Status != CellStatus.Missing)
                    .Select(c => $"{SheetParser.ColumnLetter(c.Index)} '{row.Cell(c.Index)}'").ToList();
                if (values.Count > 0)
                {
                    findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn)), "",
                        FindingKind.MissingCity, $"the row has values ({string.Join(", ", values.Take(3))}) but no city name or code; row skipped"));
                }
                continue;
            }
            if (name is not null && _provinces.Contains(FieldCatalog.Fold(name)) && layout.Columns.All(c => string.IsNullOrWhiteSpace(row.Cell(c.Index))))
            {
                s.ProvinceRows++;
                findings.Add(new(file, sheet.Name, row.Number, "A", name, FindingKind.ProvinceRow, "province heading row skipped"));
                continue;
            }
            s.DataRows++;
            var year = RowYear(file, sheet, layout, row, fileYear);
            if (years.Add(year) && !_yearFiles.TryAdd(year, file) && _yearFiles[year] != file)
            {
                throw new DataValidationException(
                    $"Year {year} is present in two files: {_yearFiles[year]} and {file}. Keep one file per year in the raw folder.");
            }
            var match = roster.Match(code, name, year);
            var printed = name ?? code ?? "";
            if (match is { Kind: CityMatchKind.Code or CityMatchKind.FormerCode } && !string.IsNullOrWhiteSpace(name)
                && roster.Named(name, year) is { } named && named.Code != match.City.Code)
            {
                findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.CodeColumn)), name,
                    FindingKind.CodeNameMismatch, $"code '{code}' is {match.City.Code} {match.City.Name} but the name '{name}' is " +
                    $"{named.Code} {named.Name}; row skipped"));
                continue;
            }
            var extra = row.Cells.Skip(sheet.Rows[layout.HeaderRow].Cells.Count).Count(c => !string.IsNullOrWhiteSpace(c));
            if (extra > 0)
            {
                findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(sheet.Rows[layout.HeaderRow].Cells.Count), printed,
                    FindingKind.CellsBeyondHeader, $"{extra} non-blank cell(s) right of the last header column were not read (shifted row?)"));
            }
            if (match is null)
            {
                s.Unknown++;
                findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn)), printed,
                    FindingKind.UnknownCity, $"'{printed}' (code '{code}') matches no unit of config/cities.csv in {year}; row skipped"));
                continue;
            }
            NoteMatch(file, sheet, row, match, year, findings, s);
            foreach (var col in layout.Columns)
                ReadCell(file, sheet, row, col, match.City, year, panel, findings, s);
        }
    }

    private void NoteMatch(string file, Sheet sheet, SheetRow row, CityMatch match, int year, List<Finding> findings, Tally s)
    {
        var city = match.City;
        if (s.Matched.Add(city.Code) && !city.InSample)
            findings.Add(new(file, sheet.Name, row.Number, "", city.Name, FindingKind.OutOfSample, $"{city.Code} {city.Name}: {city.ExclusionReason}"));
        if (!city.ValidIn(year))
            findings.Add(new(file, sheet.Name, row.Number, "", city.Name, FindingKind.NotValidInYear,
                $"{city.Code} {city.Name} reports at prefecture level only in {city.ValidFrom}-{city.ValidTo}, not {year}"));
        if (match.Kind == CityMatchKind.ShortName)
        {
            s.ShortNames++;
            return;
        }
        var kind = match.Kind switch
        {
            CityMatchKind.Alias => FindingKind.AliasMatched,
            CityMatchKind.FormerName or CityMatchKind.FormerCode => FindingKind.FormerNameMatched,
            _ => null,
        };
        if (kind is null)
            return;
        var note = $"'{match.Printed}' → {city.Code} {city.Name}";
        s.Aliases.Add(note);
        findings.Add(new(file, sheet.Name, row.Number, "", match.Printed, kind, note));
    }

    private void ReadCell(string file, Sheet sheet, SheetRow row, ColumnMap col, City city, int year, List<PanelRow> panel,
        List<Finding> findings, Tally s)
    {
        var text = row.Cell(col.Index);
        var letter = SheetParser.ColumnLetter(col.Index);
        var where = $"{file}, sheet '{sheet.Name}', row {row.Number}, column {letter}";
        var cell = CellValue.Parse(text, catalog.MissingMarkers);
        var m = col.Match;
        switch (cell.Status)
        {
            case CellStatus.Missing:
                s.Missing++;
                s.Markers.Add(cell.Marker);
                return;
            case CellStatus.Unparseable:
                if (options.OnUnparseableCell == CellPolicy.Error)
                    throw new DataValidationException($"{where} ({city.Name}, {m.PanelName}): '{text}' is not a number.");
                s.Unparseable++;
                findings.Add(new(file, sheet.Name, row.Number, letter, city.Name, FindingKind.Unparseable, $"{m.PanelName}: '{text}' is not a number; cell left missing"));
                return;
        }
        if (cell.HadSeparators)
            s.Separators++;
        var value = cell.Number * m.Factor;
        if (value < m.Field.Min || value > m.Field.Max)
        {
            var detail = $"{m.PanelName} = {value.ToString("R", CultureInfo.InvariantCulture)} {m.Field.CanonicalUnit} is outside " +
                         $"[{m.Field.Min.ToString(CultureInfo.InvariantCulture)}, {m.Field.Max.ToString(CultureInfo.InvariantCulture)}]";
            if (options.OnOutOfRange == CellPolicy.Error)
                throw new DataValidationException($"{where} ({city.Name}): {detail}.");
            s.OutOfRange++;
            findings.Add(new(file, sheet.Name, row.Number, letter, city.Name, FindingKind.OutOfRange, detail + "; cell left missing"));
            return;
        }
        var key = (city.Code, year, m.PanelName);
        if (seen.TryGetValue(key, out var prior))
        {
            if (Math.Abs(prior.Value - value) <= 1e-9 * Math.Max(1, Math.Abs(value)))
            {
                s.Duplicates++;
                findings.Add(new(file, sheet.Name, row.Number, letter, city.Name, FindingKind.DuplicateDropped, $"{m.PanelName} repeats {prior.Where} with the same value; dropped"));
                return;
            }
            throw new DataValidationException(
                $"{where}: {city.Code} {city.Name} {year} {m.PanelName} = {value.ToString("R", CultureInfo.InvariantCulture)} " +
                $"conflicts with {prior.Value.ToString("R", CultureInfo.InvariantCulture)} at {prior.Where} (duplicate with different values).");
        }
        seen[key] = (value, where);
        s.Values++;
        panel.Add(new PanelRow(city.Code, year, m.PanelName, value, m.Field.CanonicalUnit, m.Unit, file, sheet.Name, row.Number, letter));
    }

    private void ReadTargets(string file, Sheet sheet, SheetLayout layout, List<TargetRow> targets, List<Finding> findings, Tally s)
    {
        var header = sheet.Rows[layout.HeaderRow].Cells;
        int Col(List<string> names) => header.Select((h, i) => (h, i)).Where(p => p.h is not null &&
            names.Any(n => FieldCatalog.Fold(p.h).StartsWith(FieldCatalog.Fold(n), StringComparison.Ordinal))).Select(p => p.i).DefaultIfEmpty(-1).First();
        var valueCol = Col(options.TargetValueHeaders);
        var wordingCol = Col(options.TargetWordingHeaders);
        var levelCol = Col(options.TargetLevelHeaders);
        var fileYear = SheetParser.YearFromFileName(file);
        var provinceCodes = roster.Cities.GroupBy(c => FieldCatalog.Fold(c.Province)).ToDictionary(g => g.Key, g => g.First().ProvinceCode, StringComparer.Ordinal);
        foreach (var row in sheet.Rows.Skip(layout.DataStart).Where(r => !r.IsBlank))
        {
            if (IsFootnote(row))
                break;
            s.DataRows++;
            var name = layout.NameColumn >= 0 ? row.Cell(layout.NameColumn)?.Trim() ?? "" : "";
            var code = layout.CodeColumn >= 0 ? row.Cell(layout.CodeColumn)?.Trim() ?? "" : "";
            var level = levelCol >= 0 ? row.Cell(levelCol)?.Trim() ?? "" : "";
            var year = RowYear(file, sheet, layout, row, fileYear);
            var where = $"{file}, sheet '{sheet.Name}', row {row.Number}";
            var isProvince = level is "省" or "province" || (_provinces.Contains(FieldCatalog.Fold(name)) && roster.Match(code, name, year) is null);
            string unit;
            if (isProvince && !(roster.ByCode(code)?.IsMunicipality ?? false))
            {
                unit = code.Length == 6 ? code : provinceCodes.GetValueOrDefault(FieldCatalog.Fold(name))
                    ?? throw new DataValidationException($"{where}: province '{name}' has no code and is not a province of config/cities.csv.");
            }
            else
            {
                var m = roster.Match(code, name, year);
                if (m is null)
                {
                    s.Unknown++;
                    findings.Add(new(file, sheet.Name, row.Number, "A", name, FindingKind.UnknownCity, $"'{name}' ({code}) matches no unit in {year}; target skipped"));
                    continue;
                }
                unit = m.City.Code;
                s.Matched.Add(unit);
            }
            var cell = CellValue.Parse(valueCol >= 0 ? row.Cell(valueCol) : null, catalog.MissingMarkers);
            if (cell.Status == CellStatus.Unparseable)
            {
                if (options.OnUnparseableCell == CellPolicy.Error)
                    throw new DataValidationException($"{where}, column {SheetParser.ColumnLetter(valueCol)}: growth target '{row.Cell(valueCol)}' is not a number.");
                s.Unparseable++;
                findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(valueCol), name, FindingKind.Unparseable, $"growth target '{row.Cell(valueCol)}' is not a number"));
            }
            if (cell.Status == CellStatus.Missing)
                s.Missing++;
            else
                s.Values++;
            targets.Add(new TargetRow(unit, year, cell.Status == CellStatus.Number ? cell.Number : double.NaN,
                wordingCol >= 0 ? row.Cell(wordingCol)?.Trim() ?? "" : "", isProvince ? "province" : "city", name, file, row.Number));
        }
    }

    private int RowYear(string file, Sheet sheet, SheetLayout layout, SheetRow row, int? fileYear)
    {
        if (layout.YearColumn >= 0)
        {
            var text = row.Cell(layout.YearColumn)?.Trim() ?? "";
            if (!int.TryParse(text.TrimEnd('年'), NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1949 or > 2100)
                throw new DataValidationException($"{file}, sheet '{sheet.Name}', row {row.Number}, column {SheetParser.ColumnLetter(layout.YearColumn)}: '{text}' is not a year.");
            if (fileYear is { } fy && fy != y && !layout.IsTargets)
                throw new DataValidationException($"{file}, sheet '{sheet.Name}', row {row.Number}: year {y} disagrees with the year {fy} in the file name.");
            return y;
        }
        return fileYear ?? throw new DataValidationException(
            $"{file}: cannot tell the year: no 年份 column and no single year (e.g. 2015) in the file name.");
    }

    private bool IsFootnote(SheetRow row)
    {
        var first = row.Cells.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim();
        return first is not null && options.FootnotePrefixes.Any(p => first.StartsWith(p, StringComparison.Ordinal))
               && (first.Length > 6 || first.Contains('：', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal));
    }

    private static string HeaderRows(Sheet sheet, SheetLayout l)
    {
        var first = sheet.Rows[l.ScopeRow ?? l.HeaderRow].Number;
        var last = sheet.Rows[l.UnitRow ?? l.HeaderRow].Number;
        return first == last ? $"row {first}" : $"rows {first}-{last}";
    }

    private sealed class Tally
    {
        public int RowsRead, DataRows, ShortNames, Unknown, Values, Missing, Separators, Unparseable, OutOfRange, Duplicates, ProvinceRows, Footnotes;
        public readonly HashSet<string> Matched = new(StringComparer.Ordinal);
        public readonly HashSet<string> Markers = new(StringComparer.Ordinal);
        public readonly List<string> Rescaled = [];
        public readonly List<string> Aliases = [];
    }
}
