namespace NQPF.Stages.Report;

/// <summary>
/// The report model as frames, so the pipeline's writers (Word, Excel) print exactly what the page shows:
/// report/sections (section, title, status "ok" or "missing", note), report/tables (table_id, section, title, source,
/// kind "plain" or "regression", rows, cols), report/cells (table_id, row — 0 is the header —, col, text),
/// report/notes (table_id, seq, text), and the refresh comparison report/diff_files, diff_coverage, diff_weights,
/// diff_estimates (empty when the run has no previous run to compare with; see <see cref="RunDiff"/>).
/// </summary>
internal static class ReportFrames
{
    public static Dictionary<string, Frame> Build(ReportModel model)
    {
        var tables = model.Sections.SelectMany(s => s.Tables).ToList();
        var cells = tables.SelectMany(t => new[] { t.Header }.Concat(t.Rows)
            .SelectMany((row, r) => row.Select((text, c) => (t.Id, Row: (long)r, Col: (long)c, Text: text)))).ToList();
        var notes = tables.SelectMany(t => t.Notes.Select((text, i) => (t.Id, Seq: (long)i, Text: text))).ToList();
        var diff = model.Diff ?? RunDiff.Compute(new Dictionary<string, Frame>(), new Dictionary<string, Frame>(), new ReportOptions());
        return new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["sections"] = new(
                Str("section", model.Sections.Select(s => s.Id)),
                Str("title", model.Sections.Select(s => s.Title)),
                Str("status", model.Sections.Select(s => s.Missing is null ? "ok" : "missing")),
                Str("note", model.Sections.Select(s => s.Missing))),
            ["tables"] = new(
                Str("table_id", tables.Select(t => t.Id)),
                Str("section", tables.Select(t => t.Section)),
                Str("title", tables.Select(t => t.Title)),
                Str("source", tables.Select(t => t.Source)),
                Str("kind", tables.Select(t => t.Kind == ReportTableKind.Regression ? "regression" : "plain")),
                new LongColumn("rows", [.. tables.Select(t => (long)t.Rows.Count)]),
                new LongColumn("cols", [.. tables.Select(t => (long)t.Header.Count)])),
            ["cells"] = new(
                Str("table_id", cells.Select(c => c.Id)),
                new LongColumn("row", [.. cells.Select(c => c.Row)]),
                new LongColumn("col", [.. cells.Select(c => c.Col)]),
                Str("text", cells.Select(c => c.Text))),
            ["notes"] = new(
                Str("table_id", notes.Select(n => n.Id)),
                new LongColumn("seq", [.. notes.Select(n => n.Seq)]),
                Str("text", notes.Select(n => n.Text))),
            ["diff_files"] = diff.Files,
            ["diff_coverage"] = diff.Coverage,
            ["diff_weights"] = diff.Weights,
            ["diff_estimates"] = diff.Estimates,
        };
    }

    private static StringColumn Str(string name, IEnumerable<string?> values) => new(name, [.. values]);
}
