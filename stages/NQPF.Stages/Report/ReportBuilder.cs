using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>The whole report: sections in order, whether the data are simulated, the refresh comparison if any.</summary>
public sealed record ReportModel(string Title, bool Simulated, string? PreviousRunId, RunDiffResult? Diff, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// Assembles the report from whatever tables the run has: each upstream dataset goes to the section of its stage
/// (estimate tables by name: baseline/single/dual/order, mechanism/mediat/channel, hetero, else "other estimates"), is
/// formatted generically (<see cref="TableFormatter"/>), and a section whose stage produced nothing says so. Very long
/// tables (panels, draws) are listed with their size instead of printed; findings and imputations are also counted by
/// kind. The data are marked simulated when the raw folder holds the marker file written by <c>simulate</c>
/// (<see cref="SimulatedMarker"/>) or ingest findings quote the simulated yearbooks' footnote.
/// </summary>
internal sealed class ReportBuilder(ReportOptions options)
{
    /// <summary>File that <c>simulate</c> writes into the raw folder beside the simulated yearbooks.</summary>
    public const string SimulatedMarker = "SIMULATED.md";

    /// <summary>Text of the footnote every simulated yearbook sheet carries.</summary>
    public const string SimulatedFootnote = "NQPF.Pipeline simulate";

    private readonly ReportLabels _labels = new(options);
    private readonly TableFormatter _formatter = new(options, new ReportLabels(options));

    private sealed record SectionSpec(string Id, string Stage, Func<string, bool> Takes);

    private static readonly SectionSpec[] Specs =
    [
        new("data", "ingest|clean", _ => true),
        new("cohorts", "cohorts", _ => true),
        new("index", "index", _ => true),
        new("baseline", "estimate", n => Any(n, "baseline", "single", "dual", "order")),
        new("mechanisms", "estimate", n => Any(n, "mechanism", "mediat", "channel")),
        new("heterogeneity", "estimate", n => Any(n, "hetero")),
        new("estimates", "estimate", n => !Any(n, "baseline", "single", "dual", "order", "mechanism", "mediat", "channel", "hetero")),
        new("robustness", "robustness", _ => true),
    ];

    public ReportModel Build(IReadOnlyDictionary<string, Frame> tables, IReadOnlyDictionary<string, Frame> previous, string? previousRunId)
    {
        var sections = new List<ReportSection>();
        RunDiffResult? diff = null;
        if (previous.Count > 0)
        {
            diff = RunDiff.Compute(previous, tables, options);
            sections.Add(DiffSection(diff, previousRunId));
        }
        foreach (var spec in Specs)
            sections.Add(spec.Id == "data" ? DataSection(tables) : StageSection(spec, tables));
        sections.Add(FigureSection(tables));
        sections.Add(SettingsSection(tables));
        return new ReportModel(options.Title, IsSimulated(tables), previousRunId, diff, sections);
    }

    public static bool IsSimulated(IReadOnlyDictionary<string, Frame> tables)
    {
        if (tables.TryGetValue("run/raw_files", out var raw)
            && raw.Strings("path").Any(p => string.Equals(Path.GetFileName(p), SimulatedMarker, StringComparison.OrdinalIgnoreCase)))
            return true;
        return tables.TryGetValue("ingest/findings", out var findings) && findings.Columns.OfType<StringColumn>()
            .Any(c => c.Values.Any(v => v is not null && v.Contains(SimulatedFootnote, StringComparison.Ordinal)));
    }

    private ReportSection DataSection(IReadOnlyDictionary<string, Frame> tables)
    {
        var paragraphs = new List<string>();
        var (cities, years) = RunDiff.Panel(tables);
        if (cities.Count > 0)
        {
            var source = tables.ContainsKey("clean/panel") ? "clean/panel" : "ingest/panel";
            paragraphs.Add(_labels.Pick(
                string.Create(CultureInfo.InvariantCulture, $"{cities.Count} cities, years {years.Min()}–{years.Max()} ({years.Count} years) in {source}."),
                string.Create(CultureInfo.InvariantCulture, $"{source}：{cities.Count} 个城市，{years.Min()}–{years.Max()} 年（{years.Count} 年）。")));
        }
        if (tables.TryGetValue("clean/sample", out var sample) && sample.Has("included") && sample["included"] is BoolColumn)
        {
            var included = sample.Bools("included").Count(b => b);
            paragraphs.Add(_labels.Pick(
                string.Create(CultureInfo.InvariantCulture, $"Sample: {included} of {sample.RowCount} cities included (clean/sample)."),
                string.Create(CultureInfo.InvariantCulture, $"样本：{sample.RowCount} 个城市中纳入 {included} 个（clean/sample）。")));
        }
        var keys = tables.Keys.Where(k => k == "run/raw_files" || k.StartsWith("ingest/", StringComparison.Ordinal)
                                          || k.StartsWith("clean/", StringComparison.Ordinal)).ToList();
        var result = Tables("data", keys.OrderBy(k => k == "run/raw_files" ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal), tables);
        var missing = keys.Count(k => k != "run/raw_files") == 0
            ? NotYet("ingest") : null;
        return new ReportSection("data", _labels["section.data"], result, [], paragraphs, missing);
    }

    private ReportSection StageSection(SectionSpec spec, IReadOnlyDictionary<string, Frame> tables)
    {
        var ofStage = tables.Keys.Where(k => k.StartsWith(spec.Stage + "/", StringComparison.Ordinal)).ToList();
        var keys = ofStage.Where(k => spec.Takes(k[(spec.Stage.Length + 1)..])).Order(StringComparer.Ordinal).ToList();
        string? missing = null;
        if (ofStage.Count == 0)
            missing = NotYet(spec.Stage);
        else if (keys.Count == 0)
            missing = _labels.Pick($"The {spec.Stage} stage produced no table for this section in this run.", $"本次运行中 {spec.Stage} 阶段没有输出属于本节的表。");
        if (spec.Id == "estimates" && missing is not null && ofStage.Count > 0)
            missing = _labels.Pick("Every estimate table is shown in the sections above.", "所有估计结果已在上文各节列出。");
        return new ReportSection(spec.Id, _labels["section." + spec.Id], Tables(spec.Id, keys, tables), [], [], missing);
    }

    private ReportSection FigureSection(IReadOnlyDictionary<string, Frame> tables)
    {
        var (figures, waiting) = new ReportFigures(_labels).Build(tables);
        return new ReportSection("figures", _labels["section.figures"], [], figures, waiting,
            figures.Count == 0 ? _labels.Pick("No figure can be drawn from this run's tables yet.", "本次运行的表尚不足以绘图。") : null);
    }

    private ReportSection SettingsSection(IReadOnlyDictionary<string, Frame> tables)
    {
        if (!tables.TryGetValue("run/settings", out var settings))
            return new ReportSection("settings", _labels["section.settings"], [], [], [], _labels.Pick("No settings were recorded.", "未记录运行设置。"));
        var formatter = new TableFormatter(options with { MaxRows = 100000 }, _labels);
        var table = formatter.Format("table-run-settings", "settings", _labels["section.settings"], "run/settings", settings);
        var paragraphs = new List<string>
        {
            _labels.Pick("Every option of every stage as it entered the stages' fingerprints (configuration file, environment and command-line overrides applied), including the coding options and the SE recipes.",
                "各阶段全部选项（已应用配置文件、环境变量与命令行覆盖），即进入指纹的设置，包括政策编码选项与标准误算法。"),
        };
        return new ReportSection("settings", _labels["section.settings"], [table], [], paragraphs, null);
    }

    private ReportSection DiffSection(RunDiffResult diff, string? previousRunId)
    {
        var paragraphs = new List<string>
        {
            _labels.Pick(
                string.Create(CultureInfo.InvariantCulture, $"The raw data differ from the previous successful run {previousRunId}: {diff.Files.RowCount} raw files added, removed or changed; {diff.FlaggedEstimates} key estimates flagged (moved more than {options.DiffThresholdSe:G3} old SE, changed sign or significance at {options.SignificanceLevel:G3}, added or removed)."),
                string.Create(CultureInfo.InvariantCulture, $"原始数据与上一次成功运行 {previousRunId} 不同：{diff.Files.RowCount} 个原始文件新增、删除或变更；{diff.FlaggedEstimates} 个关键估计被标记（变化超过 {options.DiffThresholdSe:G3} 个原标准误、符号或在 {options.SignificanceLevel:G3} 水平上的显著性改变、新增或删除）。")),
        };
        var formatter = new TableFormatter(options with { MaxRows = 100000 }, _labels);
        var tables = new List<ReportTable>
        {
            formatter.Format("table-diff-files", "diff", _labels.Pick("Raw files", "原始文件"), "report/diff_files", diff.Files),
            formatter.Format("table-diff-coverage", "diff", _labels.Pick("Cities and years", "城市与年份"), "report/diff_coverage", diff.Coverage),
            formatter.Format("table-diff-weights", "diff", _labels.Pick("Index weights", "指数权重"), "report/diff_weights", diff.Weights),
            formatter.Format("table-diff-estimates", "diff", _labels.Pick("Key estimates", "关键估计"), "report/diff_estimates", diff.Estimates),
        };
        return new ReportSection("diff", _labels["section.diff"], tables, [], paragraphs, null);
    }

    private List<ReportTable> Tables(string section, IEnumerable<string> keys, IReadOnlyDictionary<string, Frame> tables)
    {
        var result = new List<ReportTable>();
        var large = new List<(string Key, Frame Frame)>();
        foreach (var key in keys)
        {
            var frame = tables[key];
            if (key is "ingest/findings" or "clean/imputations" && frame.RowCount > 0)
                result.Add(Counts(section, key, frame));
            if (frame.RowCount > options.MaxRows * 5 && key is not "ingest/findings" and not "clean/imputations")
            {
                large.Add((key, frame));
                continue;
            }
            result.Add(_formatter.Format(Id(key), section, _labels[key], key, frame));
        }
        if (large.Count > 0)
        {
            var frame = new Frame(
                new StringColumn("dataset", [.. large.Select(l => (string?)l.Key)]),
                new LongColumn("rows", [.. large.Select(l => (long)l.Frame.RowCount)]),
                new StringColumn("columns", [.. large.Select(l => (string?)string.Join(", ", l.Frame.Columns.Select(c => c.Name)))]));
            result.Add(_formatter.Format("table-" + section + "-large", section,
                _labels.Pick("Large checkpoints (not printed; see `export`)", "大型检查点（未列出，见 `export`）"), section, frame));
        }
        return result;
    }

    /// <summary>Rows of a findings-like table counted by its text columns "kind", "variable"/"method" (those present).</summary>
    private ReportTable Counts(string section, string key, Frame frame)
    {
        var by = new[] { "file", "kind", "variable", "method" }.Where(c => frame.Has(c) && frame[c] is StringColumn).ToList();
        var groups = Enumerable.Range(0, frame.RowCount)
            .GroupBy(i => string.Join("\u001f", by.Select(c => frame.Strings(c)[i] ?? "")), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var columns = by.Select((c, j) => (Column)new StringColumn(c, [.. groups.Select(g => (string?)g.Key.Split('\u001f')[j])]))
            .Append(new LongColumn("count", [.. groups.Select(g => (long)g.Count())]));
        return _formatter.Format(Id(key) + "-counts", section, _labels[key] + _labels.Pick(" (counts)", "（计数）"), key, new Frame(columns));
    }

    private string NotYet(string stage) => _labels.Pick(
        $"The {stage} stage has not produced tables in this run yet (it is not registered, or the run stopped before it). This section fills in when it does.",
        $"本次运行中 {stage} 阶段尚未输出表（未注册或运行在此之前停止）；该阶段输出后本节将自动补全。");

    private static string Id(string key) => "table-" + key.Replace('/', '-').Replace('_', '-');

    private static bool Any(string name, params string[] words) => words.Any(w => name.Contains(w, StringComparison.Ordinal));
}
