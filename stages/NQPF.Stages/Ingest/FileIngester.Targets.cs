using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>The growth-target file and the helpers shared with the value tables (the row's year, footnote rows).</summary>
internal sealed partial class FileIngester
{
    private void ReadTargets(string file, Sheet sheet, SheetLayout layout, List<TargetRow> targets, List<Finding> findings, Tally s)
    {
        var header = sheet.Rows[layout.HeaderRow].Cells;
        int Col(List<string> names) => header.Select((h, i) => (h, i)).Where(p => p.h is not null &&
            names.Any(n => FieldCatalog.Fold(p.h).StartsWith(FieldCatalog.Fold(n), StringComparison.Ordinal))).Select(p => p.i).DefaultIfEmpty(-1).First();
        var valueCol = Col(options.TargetValueHeaders);
        var wordingCol = Col(options.TargetWordingHeaders);
        var levelCol = Col(options.TargetLevelHeaders);
        var fileYear = YearSource.FromPath(file)?.Year;
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

}
