namespace NQPF.Stages.Report;

/// <summary>
/// The report model as frames, the one form every writer (HTML, Word, LaTeX, Excel) reads, so they print the same
/// cells: report/meta (key, value), sections (section, title, appendix), blocks (section, seq, kind "paragraph" |
/// "table" | "figure", style, ref, text), tables (table_id, number, title, source, kind, header_rows, rows, cols),
/// cells (table_id, row — header rows first —, col, text), notes (table_id, seq, text), rules (table_id, row: body rows
/// with a thin rule above), links (table_id, row, target), figures (figure_id, number, title, caption, source, svg,
/// png: the documents holding the drawing), and the refresh comparison diff_files, diff_coverage, diff_weights,
/// diff_estimates (empty without a previous run; see <see cref="RunDiff"/>).
/// </summary>
internal static class ReportFrames
{
    public static Dictionary<string, Frame> Build(ReportModel model)
    {
        var tables = model.Tables.ToList();
        var blocks = model.Sections.SelectMany(s => s.Blocks.Select((b, i) => (Section: s.Id, Seq: (long)i, Block: b))).ToList();
        var cells = tables.SelectMany(t => t.Header.Concat(t.Rows)
            .SelectMany((row, r) => row.Select((text, c) => (t.Id, Row: (long)r, Col: (long)c, Text: text)))).ToList();
        var notes = tables.SelectMany(t => t.Notes.Select((text, i) => (t.Id, Seq: (long)i, Text: text))).ToList();
        var rules = tables.SelectMany(t => t.RulesBefore.Select(r => (t.Id, Row: (long)r))).ToList();
        var links = tables.SelectMany(t => t.Links.Select(l => (t.Id, Row: (long)l.Key, Target: l.Value))).ToList();
        var figures = model.Figures.ToList();
        var diff = model.Diff ?? RunDiff.Compute(new Dictionary<string, Frame>(), new Dictionary<string, Frame>(), new ReportOptions());
        return new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["meta"] = new(Str("key", ["title", "language", "simulated", "previous_run_id"]),
                Str("value", [model.Title, model.Chinese ? "zh" : "en", model.Simulated ? "true" : "false", model.PreviousRunId])),
            ["sections"] = new(Str("section", model.Sections.Select(s => s.Id)), Str("title", model.Sections.Select(s => s.Title)),
                new BoolColumn("appendix", [.. model.Sections.Select(s => s.Appendix)])),
            ["blocks"] = new(Str("section", blocks.Select(b => b.Section)), new LongColumn("seq", [.. blocks.Select(b => b.Seq)]),
                Str("kind", blocks.Select(b => b.Block switch { TableBlock => "table", FigureBlock => "figure", _ => "paragraph" })),
                Str("style", blocks.Select(b => (b.Block as ParagraphBlock)?.Style ?? "")),
                Str("ref", blocks.Select(b => b.Block switch { TableBlock t => t.Table.Id, FigureBlock f => f.Figure.Id, _ => "" })),
                Str("text", blocks.Select(b => (b.Block as ParagraphBlock)?.Text ?? ""))),
            ["tables"] = new(Str("table_id", tables.Select(t => t.Id)), Str("number", tables.Select(t => t.Number)),
                Str("title", tables.Select(t => t.Title)), Str("source", tables.Select(t => t.Source)),
                Str("kind", tables.Select(t => t.Kind.ToString().ToLowerInvariant())),
                new LongColumn("header_rows", [.. tables.Select(t => (long)t.Header.Count)]),
                new LongColumn("rows", [.. tables.Select(t => (long)t.Rows.Count)]), new LongColumn("cols", [.. tables.Select(t => (long)t.ColumnCount)])),
            ["cells"] = new(Str("table_id", cells.Select(c => c.Id)), new LongColumn("row", [.. cells.Select(c => c.Row)]),
                new LongColumn("col", [.. cells.Select(c => c.Col)]), Str("text", cells.Select(c => c.Text))),
            ["notes"] = new(Str("table_id", notes.Select(n => n.Id)), new LongColumn("seq", [.. notes.Select(n => n.Seq)]), Str("text", notes.Select(n => n.Text))),
            ["rules"] = new(Str("table_id", rules.Select(r => r.Id)), new LongColumn("row", [.. rules.Select(r => r.Row)])),
            ["links"] = new(Str("table_id", links.Select(l => l.Id)), new LongColumn("row", [.. links.Select(l => l.Row)]), Str("target", links.Select(l => l.Target))),
            ["figures"] = new(Str("figure_id", figures.Select(f => f.Id)), Str("number", figures.Select(f => f.Number)),
                Str("title", figures.Select(f => f.Title)), Str("caption", figures.Select(f => f.Caption)), Str("source", figures.Select(f => f.Source)),
                Str("svg", figures.Select(f => FigurePath(f.Id, "svg"))), Str("png", figures.Select(f => FigurePath(f.Id, "png")))),
            ["diff_files"] = diff.Files,
            ["diff_coverage"] = diff.Coverage,
            ["diff_weights"] = diff.Weights,
            ["diff_estimates"] = diff.Estimates,
        };
    }

    /// <summary>Where a figure's drawing is among the report's documents ("figures/figure-event-bb.svg").</summary>
    public static string FigurePath(string id, string extension) => "figures/" + id + "." + extension;

    private static StringColumn Str(string name, IEnumerable<string?> values) => new(name, [.. values]);
}
