using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>
/// Assembles the report model: the findings first (question, sample, banner, scorecard), then — when the raw data
/// changed since the previous successful run — what changed, then the study's tables and figures in paper order
/// (<see cref="StudyTables"/>), then the appendix. Tables and figures are numbered in reading order ("Table 3",
/// appendix "Table A2", "Figure 1"), and the scorecard's table references are filled in with those numbers. The data
/// are marked simulated when the raw folder holds the marker file written by <c>simulate</c> (<see cref="SimulatedMarker"/>).
/// </summary>
internal sealed class ReportBuilder(ReportOptions options, TruthSummary? truth = null, IndicatorSystem? indicators = null)
{
    /// <summary>File that <c>simulate</c> writes into the raw folder beside the simulated yearbooks.</summary>
    public const string SimulatedMarker = "SIMULATED.md";

    public ReportModel Build(IReadOnlyDictionary<string, Frame> tables, IReadOnlyDictionary<string, Frame> previous, string? previousRunId)
    {
        var context = new ReportContext(options, new DeclaredInputs(tables), truth, indicators);
        var simulated = IsSimulated(tables);
        var sections = new List<ReportSection> { FindingsSection.Build(context, simulated) };
        RunDiffResult? diff = null;
        if (previous.Count > 0)
        {
            diff = RunDiff.Compute(previous, tables, options);
            sections.Add(DiffSection(context, diff, previousRunId));
        }
        foreach (var (id, appendix) in StudyTables.Sections)
        {
            var blocks = StudyTables.All.Where(s => s.Section == id).SelectMany(s => StudyTables.Blocks(s, context)).ToList();
            sections.Add(new ReportSection(id, context.Labels["section." + id], blocks, appendix));
        }
        var title = string.IsNullOrWhiteSpace(options.Title) ? context.Labels["title.report"] : options.Title;
        return new ReportModel(title, context.Labels.Chinese, simulated, previousRunId, diff, Number(sections, context.Labels));
    }

    public static bool IsSimulated(IReadOnlyDictionary<string, Frame> tables) =>
        tables.TryGetValue(ReportDatasets.RawFiles.Key, out var raw) && raw.Has("path")
        && raw.Strings("path").Any(p => string.Equals(Path.GetFileName(p), SimulatedMarker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Numbers tables and figures in reading order and replaces "{table-id}" cells by the referenced number.</summary>
    private static List<ReportSection> Number(List<ReportSection> sections, ReportLabels labels)
    {
        var (table, appendixTable, figure) = (0, 0, 0);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        var numbered = sections.Select(s => s with
        {
            Blocks = [.. s.Blocks.Select(b => b switch
            {
                TableBlock { Table.Kind: ReportTableKind.Scorecard } => b,
                TableBlock t => new TableBlock(t.Table with { Number = Name(labels, "table", s.Appendix ? "A" + ++appendixTable : (++table).ToString(CultureInfo.InvariantCulture)) }),
                FigureBlock f => new FigureBlock(f.Figure with { Number = Name(labels, "figure", (++figure).ToString(CultureInfo.InvariantCulture)) }),
                _ => b,
            })],
        }).ToList();
        foreach (var t in numbered.SelectMany(s => s.Tables))
        {
            numbers.TryAdd(t.Id, t.Number);
            var family = t.Id.LastIndexOf('-') is var dash and > 0 ? t.Id[..dash] : t.Id;
            numbers.TryAdd(family, t.Number);
        }
        return [.. numbered.Select(s => s with { Blocks = [.. s.Blocks.Select(b => b is TableBlock { Table.Kind: ReportTableKind.Scorecard } sc ? Resolve(sc, numbers) : b)] })];
    }

    private static TableBlock Resolve(TableBlock scorecard, Dictionary<string, string> numbers)
    {
        var rows = scorecard.Table.Rows.Select(r => (IReadOnlyList<string>)[.. r.Select(cell =>
            cell.StartsWith('{') && cell.EndsWith('}') ? numbers.GetValueOrDefault(cell[1..^1], "") : cell)]).ToList();
        var links = scorecard.Table.Links.Where(l => numbers.ContainsKey(l.Value)).ToDictionary(l => l.Key, l => l.Value);
        return new TableBlock(scorecard.Table with { Rows = rows, Links = links });
    }

    private static string Name(ReportLabels labels, string kind, string number) =>
        labels.Chinese ? (kind == "table" ? "表 " : "图 ") + number : (kind == "table" ? "Table " : "Figure ") + number;

    private static ReportSection DiffSection(ReportContext c, RunDiffResult diff, string? previousRunId)
    {
        var labels = c.Labels;
        var formatter = new TableFormatter(c.Options, labels);
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock(labels.Pick(
                string.Create(CultureInfo.InvariantCulture, $"The raw data differ from the previous successful run {previousRunId}: {diff.Files.RowCount} raw files added, removed or changed; {diff.FlaggedEstimates} key estimates flagged (moved more than {c.Options.DiffThresholdSe:G3} old SE, changed sign or significance at {c.Options.SignificanceLevel:G3}, added or removed)."),
                string.Create(CultureInfo.InvariantCulture, $"原始数据与上一次成功运行 {previousRunId} 不同：{diff.Files.RowCount} 个原始文件新增、删除或变更；{diff.FlaggedEstimates} 个关键估计被标记（变化超过 {c.Options.DiffThresholdSe:G3} 个原标准误、符号或在 {c.Options.SignificanceLevel:G3} 水平上的显著性改变、新增或删除）。"))),
            new TableBlock(formatter.Format("table-diff-files", labels["title.diff_files"], "report/diff_files", diff.Files)),
            new TableBlock(formatter.Format("table-diff-coverage", labels["title.diff_coverage"], "report/diff_coverage", diff.Coverage)),
            new TableBlock(formatter.Format("table-diff-weights", labels["title.diff_weights"], "report/diff_weights", diff.Weights)),
            new TableBlock(formatter.Format("table-diff-estimates", labels["title.diff_estimates"], "report/diff_estimates", diff.Estimates)),
        };
        return new ReportSection("diff", labels["section.diff"], blocks);
    }
}
