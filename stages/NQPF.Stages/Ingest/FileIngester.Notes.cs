using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>A unit stated only in a note — a note cell below the data (单位：亿元) or a NOTE/说明 sheet of the workbook —
/// is the unit of the data sheet's columns that print none, with a finding saying where it came from.</summary>
internal sealed partial class FileIngester
{
    private static readonly string[] NoteSheetNames = ["note", "notes", "readme", "说明", "注释", "备注", "数据说明", "指标说明"];

    private sealed record NoteUnitCell(string Unit, string Where, string Text);

    /// <summary>The layout with the note's unit applied to every column that prints no unit and whose field accepts it;
    /// unchanged when a unit column, the header or the manifest gives the units, or no note states one.</summary>
    private SheetLayout WithNoteUnit(Workbook book, Sheet sheet, SheetLayout layout, List<Finding> findings)
    {
        if (layout.IsTargets || layout.UnitColumn >= 0 || !layout.Columns.Any(c => Unitless(c.Match)))
            return layout;
        // Notes below the data come first (nearest the columns), then the note sheets in workbook order.
        var notes = NoteUnitsIn(sheet, layout.DataStart)
            .Concat(book.Sheets.Where(x => x != sheet && IsNoteSheet(x)).SelectMany(x => NoteUnitsIn(x, 0))).ToList();
        if (notes.Count == 0)
            return layout;
        var columns = new List<ColumnMap>();
        foreach (var c in layout.Columns)
        {
            var note = Unitless(c.Match) ? notes.FirstOrDefault(n => FieldCatalog.UnitFactor(c.Match.Field, n.Unit) is not null) : null;
            if (note is null)
            {
                columns.Add(c);
                continue;
            }
            var factor = FieldCatalog.UnitFactor(c.Match.Field, note.Unit)!.Value;
            columns.Add(c with { Match = c.Match with { Unit = note.Unit, Factor = factor * c.Match.Scale, UnitSource = "note: " + note.Where } });
            findings.Add(new(book.FileName, sheet.Name, sheet.Rows[layout.HeaderRow].Number, SheetParser.ColumnLetter(c.Index), "",
                FindingKind.UnitFromNote, string.Create(CultureInfo.InvariantCulture,
                    $"{c.Match.PanelName}: no unit printed in the header; unit {note.Unit} read from {note.Where} ('{note.Text}'), × {factor:R} to {c.Match.Field.CanonicalUnit}")));
        }
        return layout with { Columns = columns };
    }

    private static bool Unitless(HeaderMatch m) => m.UnitSource.StartsWith("none printed", StringComparison.Ordinal);

    private static bool IsNoteSheet(Sheet sheet) =>
        NoteSheetNames.Any(n => sheet.Name.Trim().Equals(n, StringComparison.OrdinalIgnoreCase) || sheet.Name.Contains(n, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<NoteUnitCell> NoteUnitsIn(Sheet sheet, int from)
    {
        for (var i = from; i < sheet.Rows.Count; i++)
        {
            var row = sheet.Rows[i];
            for (var c = 0; c < row.Cells.Count; c++)
            {
                if (catalog.NoteUnit(row.Cell(c)) is { } unit)
                    yield return new NoteUnitCell(unit, $"sheet '{sheet.Name}' cell {SheetParser.ColumnLetter(c)}{row.Number}", row.Cell(c)!.Trim());
            }
        }
    }
}
