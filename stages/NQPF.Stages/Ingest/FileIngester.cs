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
internal sealed partial class FileIngester(FieldCatalog catalog, CityRoster roster, IngestOptions options)
{
    private readonly SheetParser _parser = new(catalog, options);

    /// <summary>Provinces (not the municipalities, which are cities too), compared folded.</summary>
    private readonly HashSet<string> _provinces = roster.Cities.Where(c => !c.IsMunicipality)
        .Select(c => FieldCatalog.Fold(c.Province)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Values of the file being read by (city, year, panel field): a repeat within one file is dropped when
    /// identical and an error when it differs. Several files supplying one value are resolved by <see cref="SourceMerger"/>.</summary>
    private readonly Dictionary<(string City, int Year, string Field), (double Value, string Sheet, int Row, int Column)> _seen = [];

    /// <summary>The source-manifest entry of the file being read (null: detection alone).</summary>
    private ManifestEntry? _entry;

    public FileOutcome Ingest(Workbook book, ManifestEntry? entry = null)
    {
        var file = book.FileName;
        _seen.Clear();
        _entry = entry;
        var s = new Tally();
        var findings = new List<Finding>();
        var panel = new List<PanelRow>();
        var targets = new List<TargetRow>();
        var years = new HashSet<int>();
        var layouts = new List<(Sheet Sheet, SheetLayout Layout)>();
        foreach (var sheet in book.Sheets)
        {
            if (entry?.Sheet is { } only && sheet.Name != only)
            {
                findings.Add(new(file, sheet.Name, 0, "", "", FindingKind.NoHeaderSheet, $"sheet not read: sources.json reads sheet '{only}' of this file"));
                continue;
            }
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
            var layout = _parser.FindLayout(file, sheet, entry);
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
        layouts = [.. layouts.Select(l => (l.Sheet, WithNoteUnit(book, l.Sheet, l.Layout, findings)))];
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
        foreach (var r in layout.SectionRows ?? [])
            findings.Add(new(file, sheet.Name, sheet.Rows[r].Number, "", "", FindingKind.SectionRow, "section row above the variables: a unit in it applies to its columns"));
        foreach (var text in layout.Unmapped)
            findings.Add(new(file, sheet.Name, header.Number, "", "", FindingKind.UnmappedHeader, $"header '{text}' is not a field of config/fields.json"));
        foreach (var (column, reason) in layout.Skipped ?? [])
            findings.Add(new(file, sheet.Name, header.Number, SheetParser.ColumnLetter(column), "", FindingKind.ScopeNotRead, reason));
        foreach (var c in layout.Columns.Where(c => c.Match.Factor != 1.0))
        {
            var m = c.Match;
            var note = $"{m.PanelName}: {m.Unit} → {m.Field.CanonicalUnit} × {m.Factor.ToString("R", CultureInfo.InvariantCulture)}";
            s.Rescaled.Add(note);
            findings.Add(new(file, sheet.Name, header.Number, SheetParser.ColumnLetter(c.Index), "", FindingKind.Rescaled, note));
        }
    }

    private static string HeaderRows(Sheet sheet, SheetLayout l)
    {
        var rows = new[] { l.HeaderRow, l.ScopeRow ?? l.HeaderRow, l.UnitRow ?? l.HeaderRow }.Concat(l.SectionRows ?? []).ToList();
        var first = sheet.Rows[rows.Min()].Number;
        var last = sheet.Rows[rows.Max()].Number;
        return first == last ? $"row {first}" : $"rows {first}-{last}";
    }

    private sealed class Tally
    {
        public int RowsRead, DataRows, ShortNames, Unknown, Values, Missing, Separators, Unparseable, OutOfRange, Duplicates, ProvinceRows, Footnotes, TotalRows;
        public readonly HashSet<string> Matched = new(StringComparer.Ordinal);
        public readonly HashSet<string> Markers = new(StringComparer.Ordinal);
        public readonly List<string> Rescaled = [];
        public readonly List<string> Aliases = [];
    }
}
