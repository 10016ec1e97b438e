namespace NQPF.Stages.Report;

/// <summary>A figure as the writers see it: number, title, caption and the documents holding its SVG and PNG.</summary>
internal sealed record PrintedFigure(string Id, string Number, string Title, string Caption, string Source, string SvgPath, string PngPath);

/// <summary>A block as the writers see it: a paragraph (with its style), a table or a figure.</summary>
internal sealed record PrintedBlock(string Kind, string Style, string Text, ReportTable? Table, PrintedFigure? Figure);

internal sealed record PrintedSection(string Id, string Title, bool Appendix, IReadOnlyList<PrintedBlock> Blocks)
{
    public IEnumerable<ReportTable> Tables => Blocks.Where(b => b.Table is not null).Select(b => b.Table!);
}

/// <summary>The report read back from its frames (<see cref="ReportFrames"/>): what every writer prints.</summary>
internal sealed record PrintedReport(string Title, bool Chinese, bool Simulated, string? PreviousRunId, IReadOnlyList<PrintedSection> Sections)
{
    public IEnumerable<ReportTable> Tables => Sections.SelectMany(s => s.Tables);

    public IEnumerable<PrintedFigure> Figures => Sections.SelectMany(s => s.Blocks).Where(b => b.Figure is not null).Select(b => b.Figure!);

    public static PrintedReport Read(IReadOnlyDictionary<string, Frame> frames)
    {
        var meta = frames["meta"];
        string? Meta(string key) => Enumerable.Range(0, meta.RowCount).Where(i => meta.Strings("key")[i] == key).Select(i => meta.Strings("value")[i]).FirstOrDefault();
        var tables = ReadTables(frames).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var fig = frames["figures"];
        var figures = Enumerable.Range(0, fig.RowCount).Select(i => new PrintedFigure(fig.Strings("figure_id")[i]!, fig.Strings("number")[i]!,
            fig.Strings("title")[i]!, fig.Strings("caption")[i]!, fig.Strings("source")[i]!, fig.Strings("svg")[i]!, fig.Strings("png")[i]!))
            .ToDictionary(f => f.Id, StringComparer.Ordinal);
        var blocks = frames["blocks"];
        var bySection = Enumerable.Range(0, blocks.RowCount).ToLookup(i => blocks.Strings("section")[i]);
        var sections = frames["sections"];
        return new PrintedReport(Meta("title") ?? "", Meta("language") == "zh", Meta("simulated") == "true", Meta("previous_run_id"),
            [.. Enumerable.Range(0, sections.RowCount).Select(s => new PrintedSection(sections.Strings("section")[s]!, sections.Strings("title")[s]!,
                sections.Bools("appendix")[s], [.. bySection[sections.Strings("section")[s]].OrderBy(i => blocks.Longs("seq")[i]).Select(i =>
                {
                    var reference = blocks.Strings("ref")[i] ?? "";
                    return new PrintedBlock(blocks.Strings("kind")[i]!, blocks.Strings("style")[i] ?? "", blocks.Strings("text")[i] ?? "",
                        tables.GetValueOrDefault(reference), figures.GetValueOrDefault(reference));
                })]))]);
    }

    private static IEnumerable<ReportTable> ReadTables(IReadOnlyDictionary<string, Frame> frames)
    {
        var (tables, cells, notes) = (frames["tables"], frames["cells"], frames["notes"]);
        var (rules, links) = (frames["rules"], frames["links"]);
        var cellsOf = Enumerable.Range(0, cells.RowCount).ToLookup(i => cells.Strings("table_id")[i]);
        var notesOf = Enumerable.Range(0, notes.RowCount).ToLookup(i => notes.Strings("table_id")[i]);
        for (var t = 0; t < tables.RowCount; t++)
        {
            var id = tables.Strings("table_id")[t]!;
            var headerRows = (int)tables.Longs("header_rows")[t];
            var grid = Enumerable.Range(0, headerRows + (int)tables.Longs("rows")[t]).Select(_ => new string[tables.Longs("cols")[t]]).ToArray();
            foreach (var i in cellsOf[id])
                grid[cells.Longs("row")[i]][cells.Longs("col")[i]] = cells.Strings("text")[i] ?? "";
            var rows = grid.Select(r => (IReadOnlyList<string>)[.. r.Select(c => c ?? "")]).ToList();
            yield return new ReportTable(id, tables.Strings("number")[t]!, tables.Strings("title")[t]!, tables.Strings("source")[t]!,
                Enum.Parse<ReportTableKind>(tables.Strings("kind")[t]!, ignoreCase: true), rows[..headerRows], rows[headerRows..],
                [.. notesOf[id].OrderBy(i => notes.Longs("seq")[i]).Select(i => notes.Strings("text")[i] ?? "")])
            {
                RulesBefore = [.. Enumerable.Range(0, rules.RowCount).Where(i => rules.Strings("table_id")[i] == id).Select(i => (int)rules.Longs("row")[i])],
                Links = Enumerable.Range(0, links.RowCount).Where(i => links.Strings("table_id")[i] == id)
                    .ToDictionary(i => (int)links.Longs("row")[i], i => links.Strings("target")[i]!),
            };
        }
    }
}
