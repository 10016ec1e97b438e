using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>The data rows of a value table: which rows are cities, each cell's number in the canonical unit, and the
/// per-column scale check before anything is kept.</summary>
internal sealed partial class FileIngester
{
    /// <summary>A parsed number waiting for its column's scale check.</summary>
    private sealed record Pending(SheetRow Row, ColumnMap Column, City City, int Year, double Value, string Unit);

    private void ReadValues(string file, Sheet sheet, SheetLayout layout, List<PanelRow> panel, List<Finding> findings,
        HashSet<int> years, Tally s)
    {
        var rows = sheet.Rows;
        var fileYear = DataYear(file, sheet, layout, findings);
        var pending = new List<Pending>();
        var englishColumn = EnglishColumn(sheet, layout);
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
            var english = englishColumn >= 0 ? row.Cell(englishColumn)?.Trim() : null;
            if (string.IsNullOrWhiteSpace(name))
                (name, english) = (english, null);
            if (SkipRow(file, sheet, layout, row, name, code, findings, s))
                continue;
            s.DataRows++;
            var year = layout.ColumnYears is { } wide ? wide.Values.Max() : RowYear(file, sheet, layout, row, fileYear);
            years.UnionWith(layout.ColumnYears?.Values ?? [year]);
            var match = AttributedCity(file, sheet, layout, row, (name, english, englishColumn), code, year, findings, s);
            if (match is null)
                continue;
            NoteMatch(file, sheet, row, match, year, findings, s);
            foreach (var col in layout.Columns)
                ReadCell(file, sheet, layout, row, col, match.City, layout.ColumnYears?[col.Index] ?? year, pending, findings, s);
        }
        Commit(file, sheet, pending, panel, findings, s);
    }

    /// <summary>The sheet's data year when it has no year column (title, edition name, file name), with a finding
    /// saying where it came from; null when it has a year column.</summary>
    private int? DataYear(string file, Sheet sheet, SheetLayout layout, List<Finding> findings)
    {
        if (layout.ColumnYears is not null)
            return null;
        if (_entry?.Year is { } given)
        {
            findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.YearSource, $"data year {given} from sources.json"));
            return given;
        }
        var top = new[] { layout.HeaderRow, layout.ScopeRow ?? layout.HeaderRow }.Concat(layout.SectionRows ?? []).Min();
        var found = YearSource.Find(file, sheet, top);
        if (layout.YearColumn >= 0)
        {
            // A long table's rows carry many years: a year in its file name checks them only when the rows hold one
            // year, or mostly that year (a per-year file with a stray row).
            var texts = sheet.Rows.Skip(layout.DataStart).Select(r => r.Cell(layout.YearColumn)?.Trim()).Where(t => !string.IsNullOrEmpty(t)).ToList();
            var same = found is { } y ? texts.Count(t => t == y.Year.ToString(CultureInfo.InvariantCulture)) : 0;
            return same * 2 > texts.Count || texts.Distinct().Count() == 1 ? found?.Year : null;
        }
        if (found is { Evidence.Length: > 0 })
            findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.YearSource, found.Evidence));
        return found?.Year;
    }

    /// <summary>Rows that are not a city: no name or code, a province heading or total, a 城市合计/全国合计 total.</summary>
    private bool SkipRow(string file, Sheet sheet, SheetLayout layout, SheetRow row, string? name, string? code, List<Finding> findings, Tally s)
    {
        var nameColumn = SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn));
        if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(code))
        {
            var values = layout.Columns.Where(c => CellValue.Parse(row.Cell(c.Index), catalog.MissingMarkers).Status != CellStatus.Missing)
                .Select(c => $"{SheetParser.ColumnLetter(c.Index)} '{row.Cell(c.Index)}'").ToList();
            if (values.Count > 0)
            {
                findings.Add(new(file, sheet.Name, row.Number, nameColumn, "", FindingKind.MissingCity,
                    $"the row has values ({string.Join(", ", values.Take(3))}) but no city name or code; row skipped"));
            }
            return true;
        }
        if (string.IsNullOrWhiteSpace(name) || (code is { Length: > 0 } && roster.ByCode(CityRoster.Normalise(code)) is not null))
            return false;
        var n = CityRoster.Normalise(name);
        if (n.EndsWith("合计", StringComparison.Ordinal) || n.EndsWith("总计", StringComparison.Ordinal) || n is "全国" or "合计" or "总计")
        {
            s.TotalRows++;
            findings.Add(new(file, sheet.Name, row.Number, nameColumn, name, FindingKind.TotalRow, $"total row '{name}' skipped (not a city)"));
            return true;
        }
        if (_provinces.Contains(FieldCatalog.Fold(name)) || n.EndsWith('省') || n.EndsWith("自治区", StringComparison.Ordinal))
        {
            s.ProvinceRows++;
            var filled = layout.Columns.Any(c => !string.IsNullOrWhiteSpace(row.Cell(c.Index)));
            findings.Add(new(file, sheet.Name, row.Number, nameColumn, name, FindingKind.ProvinceRow,
                filled ? "province row skipped (its province totals are not city values)" : "province heading row skipped"));
            return true;
        }
        return false;
    }

    /// <summary>The city of a data row, or null (with a finding) when the row cannot be attributed.</summary>
    private CityMatch? AttributedCity(string file, Sheet sheet, SheetLayout layout, SheetRow row,
        (string? Chinese, string? English, int EnglishColumn) names, string? code, int year, List<Finding> findings, Tally s)
    {
        var name = names.Chinese;
        if (CountyRow(file, sheet, layout, row, name ?? names.English, code, year, findings))
            return null;
        // A printed code that names no unit (a county, a typo) must not fall back to the name: the row is not attributed.
        var unknownCode = !string.IsNullOrWhiteSpace(code) && CityRoster.Normalise(code).All(char.IsAsciiDigit) && roster.Match(code, null, year) is null;
        var match = unknownCode ? null : roster.Match(code, name, year);
        var printed = name ?? code ?? "";
        if (match is { Kind: CityMatchKind.Code or CityMatchKind.FormerCode } && !string.IsNullOrWhiteSpace(name)
            && roster.Named(name, year) is { } named && named.Code != match.City.Code)
        {
            findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.CodeColumn)), name,
                FindingKind.CodeNameMismatch, $"code '{code}' is {match.City.Code} {match.City.Name} but the name '{name}' is " +
                $"{named.Code} {named.Name}; row skipped"));
            return null;
        }
        var width = sheet.Rows[layout.HeaderRow].Cells.Count;
        var extra = row.Cells.Skip(width).Count(c => !string.IsNullOrWhiteSpace(c));
        if (extra > 0)
        {
            findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(width), printed,
                FindingKind.CellsBeyondHeader, $"{extra} non-blank cell(s) right of the last header column were not read (shifted row?)"));
        }
        if (!unknownCode && !string.IsNullOrWhiteSpace(names.English))
        {
            var (paired, disagree) = PairEnglish(file, sheet, layout, row, name, (names.English, names.EnglishColumn), match, year, findings);
            if (disagree)
                return null;
            match = paired;
        }
        if (match is null)
        {
            s.Unknown++;
            findings.Add(new(file, sheet.Name, row.Number, SheetParser.ColumnLetter(Math.Max(0, layout.NameColumn)), printed,
                FindingKind.UnknownCity, unknownCode
                    ? $"'{printed}': code '{code}' is no unit of config/cities.csv in {year} (not matched by name either); row skipped"
                    : $"'{printed}' (code '{code}') matches no unit of config/cities.csv in {year}{SharedEnglish(printed, year)}; row skipped"));
        }
        return match;
    }

    private void NoteMatch(string file, Sheet sheet, SheetRow row, CityMatch match, int year, List<Finding> findings, Tally s)
    {
        var city = match.City;
        if (s.Matched.Add(city.Code) && !city.InSample)
            findings.Add(new(file, sheet.Name, row.Number, "", city.Name, FindingKind.OutOfSample, $"{city.Code} {city.Name}: {city.ExclusionReason}"));
        if (!city.ValidIn(year))
            findings.Add(new(file, sheet.Name, row.Number, "", city.Name, FindingKind.NotValidInYear,
                $"{city.Code} {city.Name} reports at prefecture level only in {city.ValidFrom}-{city.ValidTo}, not {year}"));
        if (match.Kind is CityMatchKind.ShortName or CityMatchKind.English)
        {
            s.ShortNames++;
            return;
        }
        var kind = match.Kind switch
        {
            CityMatchKind.Alias or CityMatchKind.ProvincePrefixed => FindingKind.AliasMatched,
            CityMatchKind.FormerName or CityMatchKind.FormerCode => FindingKind.FormerNameMatched,
            _ => null,
        };
        if (kind is null)
            return;
        var note = $"'{match.Printed}' → {city.Code} {city.Name}";
        s.Aliases.Add(note);
        findings.Add(new(file, sheet.Name, row.Number, "", match.Printed, kind, note));
    }

    private void ReadCell(string file, Sheet sheet, SheetLayout layout, SheetRow row, ColumnMap col, City city, int year,
        List<Pending> pending, List<Finding> findings, Tally s)
    {
        var text = row.Cell(col.Index);
        var letter = SheetParser.ColumnLetter(col.Index);
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
                    throw new DataValidationException($"{file}, sheet '{sheet.Name}', row {row.Number}, column {letter} ({city.Name}, {m.PanelName}): '{text}' is not a number.");
                s.Unparseable++;
                findings.Add(new(file, sheet.Name, row.Number, letter, city.Name, FindingKind.Unparseable, $"{m.PanelName}: '{text}' is not a number; cell left missing"));
                return;
        }
        if (cell.HadSeparators)
            s.Separators++;
        var (unit, factor) = RowUnit(file, sheet, layout, row, m);
        pending.Add(new Pending(row, col, city, year, cell.Number * factor, unit));
    }

    /// <summary>The unit of a cell: the row's unit column when neither the header nor sources.json gives one, else the column's.</summary>
    private (string Unit, double Factor) RowUnit(string file, Sheet sheet, SheetLayout layout, SheetRow row, HeaderMatch m)
    {
        if (layout.UnitColumn < 0 || m.UnitSource == "header" || m.UnitSource.StartsWith("manifest", StringComparison.Ordinal)
            || string.IsNullOrWhiteSpace(row.Cell(layout.UnitColumn)))
            return (m.Unit, m.Factor);
        var printed = row.Cell(layout.UnitColumn)!.Trim();
        var unit = HeaderText.Label(printed);
        return (printed, m.Scale * FieldCatalog.UnitFactor(m.Field, unit) ?? throw new DataValidationException(
            $"{file}, sheet '{sheet.Name}', row {row.Number}, column {SheetParser.ColumnLetter(layout.UnitColumn)}: unit '{printed}' of " +
            $"field '{m.Field.Name}' is not one of {string.Join(", ", m.Field.Units.Keys)} (config/fields.json family '{m.Field.Family}')."));
    }

    /// <summary>Checks each column's scale (stops, or converts when configured), then keeps each value in the
    /// field's bounds, dropping an identical repeat and refusing a conflicting one.</summary>
    private void Commit(string file, Sheet sheet, List<Pending> pending, List<PanelRow> panel, List<Finding> findings, Tally s)
    {
        var factors = new Dictionary<int, double>();
        foreach (var column in pending.GroupBy(p => p.Column.Index))
        {
            var first = column.First();
            if (ScaleCheck.Check(first.Column.Match, column.Select(p => p.Value).ToList()) is not { } mismatch)
                continue;
            var where = $"{file}, sheet '{sheet.Name}', column {SheetParser.ColumnLetter(column.Key)}";
            if (options.OnScaleMismatch == ScalePolicy.Error)
            {
                throw new DataValidationException($"{where}: {mismatch.Message}. Fix the unit in the file or a manifest, or set " +
                    "Ingest:OnScaleMismatch=Convert to convert and record it.");
            }
            factors[column.Key] = mismatch.Factor;
            var note = string.Create(CultureInfo.InvariantCulture, $"{first.Column.Match.PanelName}: converted ×{mismatch.Factor:R} (Ingest:OnScaleMismatch=Convert): {mismatch.Message}");
            s.Rescaled.Add(note);
            findings.Add(new(file, sheet.Name, first.Row.Number, SheetParser.ColumnLetter(column.Key), "", FindingKind.ScaleConverted, note));
        }
        foreach (var p in pending)
            Keep(file, sheet, p, p.Value * factors.GetValueOrDefault(p.Column.Index, 1.0), panel, findings, s);
    }

    private void Keep(string file, Sheet sheet, Pending p, double value, List<PanelRow> panel, List<Finding> findings, Tally s)
    {
        var m = p.Column.Match;
        var letter = SheetParser.ColumnLetter(p.Column.Index);
        // The location is only spelled out for an error or a finding: most values need none.
        string Where(string sheetName, int row, int column) => $"{file}, sheet '{sheetName}', row {row}, column {SheetParser.ColumnLetter(column)}";
        var city = p.City;
        if (value < m.Field.Min || value > m.Field.Max)
        {
            var detail = $"{m.PanelName} = {value.ToString("R", CultureInfo.InvariantCulture)} {m.Field.CanonicalUnit} is outside " +
                         $"[{m.Field.Min.ToString(CultureInfo.InvariantCulture)}, {m.Field.Max.ToString(CultureInfo.InvariantCulture)}]";
            if (options.OnOutOfRange == CellPolicy.Error)
                throw new DataValidationException($"{Where(sheet.Name, p.Row.Number, p.Column.Index)} ({city.Name}): {detail}.");
            s.OutOfRange++;
            findings.Add(new(file, sheet.Name, p.Row.Number, letter, city.Name, FindingKind.OutOfRange, detail + "; cell left missing"));
            return;
        }
        var key = (city.Code, p.Year, m.PanelName);
        if (_seen.TryGetValue(key, out var prior))
        {
            if (Math.Abs(prior.Value - value) <= 1e-9 * Math.Max(1, Math.Abs(value)))
            {
                s.Duplicates++;
                findings.Add(new(file, sheet.Name, p.Row.Number, letter, city.Name, FindingKind.DuplicateDropped, $"{m.PanelName} repeats {Where(prior.Sheet, prior.Row, prior.Column)} with the same value; dropped"));
                return;
            }
            throw new DataValidationException(
                $"{Where(sheet.Name, p.Row.Number, p.Column.Index)}: {city.Code} {city.Name} {p.Year} {m.PanelName} = {value.ToString("R", CultureInfo.InvariantCulture)} " +
                $"conflicts with {prior.Value.ToString("R", CultureInfo.InvariantCulture)} at {Where(prior.Sheet, prior.Row, prior.Column)} (duplicate with different values).");
        }
        _seen[key] = (value, sheet.Name, p.Row.Number, p.Column.Index);
        s.Values++;
        panel.Add(new PanelRow(city.Code, p.Year, m.PanelName, value, m.Field.CanonicalUnit, p.Unit, file, sheet.Name, p.Row.Number, letter));
    }
}
