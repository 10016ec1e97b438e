using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Report;

/// <summary>A report section with its printed tables, read back from the report stage's frames.</summary>
internal sealed record PrintedSection(string Id, string Title, string? Missing, IReadOnlyList<ReportTable> Tables);

/// <summary>Reads the report model (report/sections, tables, cells, notes; see <c>ReportFrames</c>) back for the writers.</summary>
internal static class ReportTables
{
    public static IReadOnlyList<PrintedSection> Read(IReadOnlyDictionary<string, Frame> frames)
    {
        var sections = frames["sections"];
        var tables = frames["tables"];
        var cells = frames["cells"];
        var notes = frames["notes"];
        var cellsOf = Enumerable.Range(0, cells.RowCount).ToLookup(i => cells.Strings("table_id")[i]);
        var notesOf = Enumerable.Range(0, notes.RowCount).ToLookup(i => notes.Strings("table_id")[i]);
        var printed = new List<ReportTable>();
        for (var t = 0; t < tables.RowCount; t++)
        {
            var id = tables.Strings("table_id")[t]!;
            var grid = new string[tables.Longs("rows")[t] + 1][];
            for (var r = 0; r < grid.Length; r++)
                grid[r] = new string[tables.Longs("cols")[t]];
            foreach (var i in cellsOf[id])
                grid[cells.Longs("row")[i]][cells.Longs("col")[i]] = cells.Strings("text")[i] ?? "";
            printed.Add(new ReportTable(id, tables.Strings("section")[t]!, tables.Strings("title")[t]!, tables.Strings("source")[t]!,
                tables.Strings("kind")[t] == "regression" ? ReportTableKind.Regression : ReportTableKind.Plain,
                grid[0].Select(c => c ?? "").ToArray(), [.. grid.Skip(1).Select(r => (IReadOnlyList<string>)r.Select(c => c ?? "").ToArray())],
                [.. notesOf[id].OrderBy(i => notes.Longs("seq")[i]).Select(i => notes.Strings("text")[i] ?? "")]));
        }
        return [.. Enumerable.Range(0, sections.RowCount).Select(s => new PrintedSection(
            sections.Strings("section")[s]!, sections.Strings("title")[s]!, sections.Strings("note")[s],
            [.. printed.Where(p => p.Section == sections.Strings("section")[s])]))];
    }
}
