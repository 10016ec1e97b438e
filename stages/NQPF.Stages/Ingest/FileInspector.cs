using System.Globalization;
using System.Text;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>
/// What <c>nqpf inspect</c> prints for a file: for each sheet how it would be read (header rows, each column → field
/// with scope, unit and where the unit came from, columns not read and the nearest known fields), then what reading it
/// gives (cities matched and not, with examples; rows skipped; years; values), and a manifest entry the user can edit.
/// Uses the same <see cref="SheetParser"/> and <see cref="FileIngester"/> as the ingest stage, so it shows exactly
/// what a run would do.
/// </summary>
internal sealed class FileInspector(FieldCatalog catalog, CityRoster roster, IngestOptions options)
{
    private readonly SheetParser _parser = new(catalog, options);

    /// <summary>The layout of each sheet and the proposed manifest entry (null when no sheet has a header).</summary>
    public (string Text, ManifestEntry? Entry) Layouts(Workbook book, ManifestEntry? given)
    {
        var sb = new StringBuilder();
        ManifestEntry? entry = null;
        foreach (var sheet in book.Sheets.Where(x => !x.Hidden && (given?.Sheet is null || x.Name == given.Sheet)))
        {
            var layout = sheet.Rows.All(r => r.IsBlank) ? null : _parser.FindLayout(book.FileName, sheet, given);
            if (layout is null)
            {
                sb.Append(F($"  sheet '{sheet.Name}': no header. {_parser.Closest(sheet).Description}\n"));
                continue;
            }
            sb.Append(Describe(sheet, layout));
            entry ??= Proposal(book, sheet, layout);
        }
        return (sb.ToString(), entry);
    }

    /// <summary>What ingesting the file gives (throws what the ingest stage would throw).</summary>
    public string Outcome(Workbook book, ManifestEntry? given)
    {
        var o = new FileIngester(catalog, roster, options).Ingest(book, given);
        var r = o.Report;
        var sb = new StringBuilder();
        var years = o.Panel.Select(p => p.Year).Distinct().Order().ToList();
        sb.Append(F($"  years: {(years.Count == 0 ? "none" : years.Count == 1 ? years[0].ToString(CultureInfo.InvariantCulture) : $"{years[0]}–{years[^1]} ({years.Count})")}\n"));
        var matched = o.Panel.Select(p => p.CityCode).Distinct().Take(3).Select(c => $"{c} {roster.Get(c).Name}");
        sb.Append(F($"  cities: {r.DataRows} data rows, {r.CitiesMatched} units matched ({r.InSampleCities} in the sample), e.g. {string.Join(", ", matched)}\n"));
        var unknown = o.Findings.Where(f => f.Kind == FindingKind.UnknownCity).ToList();
        if (unknown.Count > 0)
            sb.Append(F($"  unmatched: {unknown.Count} rows, e.g. {string.Join(", ", unknown.Take(5).Select(f => $"'{f.City}' (row {f.Row})"))}\n"));
        foreach (var pair in o.Findings.Where(f => f.Kind is FindingKind.NamePairOneMatched or FindingKind.NamesDisagree).GroupBy(f => f.Kind))
            sb.Append(F($"  {pair.Key}: {pair.Count()} rows, e.g. row {pair.First().Row}: {pair.First().Detail}\n"));
        sb.Append(F($"  rows skipped: {r.ProvinceRows} province, {o.Findings.Count(f => f.Kind == FindingKind.TotalRow)} total, {r.FootnoteRows} footnote, {o.Findings.Count(f => f.Kind == FindingKind.CountyLevelRow)} county-level\n"));
        sb.Append(F($"  values: {r.ValuesParsed} read, {r.MissingCells} missing, {r.UnparseableCells} not numbers, {r.OutOfRangeCells} out of range\n"));
        foreach (var f in o.Findings.Where(f => f.Kind is FindingKind.YearSource or FindingKind.ScaleConverted or FindingKind.UnitFromNote).DistinctBy(f => f.Detail))
            sb.Append(F($"  {f.Kind}: {f.Detail}\n"));
        return sb.ToString();
    }

    private string Describe(Sheet sheet, SheetLayout l)
    {
        var rows = sheet.Rows;
        string N(int? i) => i is { } x ? rows[x].Number.ToString(CultureInfo.InvariantCulture) : "-";
        string C(int i) => i >= 0 ? SheetParser.ColumnLetter(i) : "-";
        var sb = new StringBuilder();
        var kind = l.ColumnYears is not null ? "wide table (years across the columns)" : l.YearColumn >= 0 ? "long table" : "one year per table";
        var sections = l.SectionRows is { Count: > 0 } s ? string.Join(" ", s.Select(x => N(x))) : "-";
        sb.Append(F($"  sheet '{sheet.Name}': {kind}; variable row {N(l.HeaderRow)}, section rows {sections}, "));
        sb.Append(F($"scope row {N(l.ScopeRow)}, unit row {N(l.UnitRow)}; data from row {N(l.DataStart)}\n"));
        sb.Append(F($"    key columns: city name {C(l.NameColumn)}, code {C(l.CodeColumn)}, year {C(l.YearColumn)}, unit {C(l.UnitColumn)}\n"));
        var header = rows[l.HeaderRow];
        foreach (var c in l.Columns)
        {
            var m = c.Match;
            var year = l.ColumnYears is { } y ? F($" · year {y[c.Index]}") : "";
            sb.Append(F($"    {SheetParser.ColumnLetter(c.Index)} '{Short(header.Cell(c.Index))}' → {m.PanelName} · scope {m.Scope} · unit {m.Unit} ({m.UnitSource}){year}\n"));
        }
        foreach (var (c, reason) in l.Skipped ?? [])
            sb.Append(F($"    {SheetParser.ColumnLetter(c)} not read: {reason}\n"));
        foreach (var c in UnmappedColumns(header, l))
        {
            var near = catalog.Nearest(header.Cell(c)!, 3);
            sb.Append(F($"    {SheetParser.ColumnLetter(c)} '{Short(header.Cell(c))}' unmapped; nearest: {(near.Count == 0 ? "none" : string.Join(", ", near.Select(n => $"{n.Field.Name} ('{n.Label}')")))}\n"));
        }
        return sb.ToString();
    }

    private IEnumerable<int> UnmappedColumns(SheetRow header, SheetLayout l)
    {
        var used = l.Columns.Select(c => c.Index).Concat((l.Skipped ?? []).Select(s => s.Column))
            .Concat([l.NameColumn, l.CodeColumn, l.YearColumn, l.UnitColumn]).ToHashSet();
        return Enumerable.Range(0, header.Cells.Count).Where(c => !used.Contains(c) && !string.IsNullOrWhiteSpace(header.Cell(c))
                                                                   && catalog.KeyColumn(header.Cell(c)) is null);
    }

    private ManifestEntry Proposal(Workbook book, Sheet sheet, SheetLayout l)
    {
        var header = sheet.Rows[l.HeaderRow];
        var columns = new SortedDictionary<string, ManifestColumn>(StringComparer.Ordinal);
        foreach (var c in l.ColumnYears is null ? l.Columns : [])
            columns[SheetParser.ColumnLetter(c.Index)] = new ManifestColumn(c.Match.PanelName, c.Match.Scope, c.Match.Unit, header.Cell(c.Index)?.Trim());
        foreach (var c in UnmappedColumns(header, l))
        {
            columns[SheetParser.ColumnLetter(c)] = new ManifestColumn(null, Header: header.Cell(c)?.Trim(),
                Nearest: catalog.Nearest(header.Cell(c)!, 3).Select(n => n.Field.Name).ToList());
        }
        var top = new[] { l.HeaderRow, l.ScopeRow ?? l.HeaderRow }.Concat(l.SectionRows ?? []).Min();
        var year = l.YearColumn >= 0 || l.ColumnYears is not null ? null : YearSource.Find(book.FileName, sheet, top)?.Year;
        string? Key(int c) => c >= 0 ? SheetParser.ColumnLetter(c) : null;
        return new ManifestEntry(book.FileName, book.Sheets.Count > 1 ? sheet.Name : null, header.Number, year, 0, columns,
            Key(l.NameColumn), Key(l.CodeColumn), Key(l.YearColumn));
    }

    private static string Short(string? text)
    {
        var t = (text ?? "").ReplaceLineEndings(" ").Trim();
        return t.Length <= 40 ? t : t[..40] + "…";
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
