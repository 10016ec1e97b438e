using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>The appendix: data-quality summaries (the full tables are one <c>export</c> away), cohorts, run settings, raw-file hashes.</summary>
internal static class AppendixTables
{
    public static IEnumerable<ReportBlock> Findings(ReportContext c, IReadOnlyList<Frame> f) =>
        [Counts(c, "table-findings", "title.findings_counts", ReportDatasets.Findings, f[0], ["file", "kind"], ["col.file", "col.kind_finding"], "01-ingest/findings")];

    public static IEnumerable<ReportBlock> Imputations(ReportContext c, IReadOnlyList<Frame> f) =>
        [Counts(c, "table-imputations", "title.imputations", ReportDatasets.Imputations, f[0], ["variable", "method"], ["col.variable", "col.imputation"], "02-clean/imputations")];

    public static IEnumerable<ReportBlock> Cohorts(ReportContext c, IReadOnlyList<Frame> f)
    {
        var s = f[0];
        var rows = Enumerable.Range(0, s.RowCount).Select(i => (IReadOnlyList<string>)
            [s.Strings("measure")[i] ?? "", s.Strings("policy")[i] ?? "", s.Strings("group")[i] ?? "", RegressionLayout.Count(s.Longs("value")[i]), s.Strings("note")[i] ?? ""]).ToList();
        yield return ResultTables.Plain(c, "table-cohorts", "title.cohorts", ReportDatasets.Cohorts,
            ["col.measure", "col.policy", "col.group", "col.value", "col.note"], rows, []);
    }

    public static IEnumerable<ReportBlock> Settings(ReportContext c, IReadOnlyList<Frame> f)
    {
        var s = f[0];
        var rows = Enumerable.Range(0, s.RowCount).Select(i => (IReadOnlyList<string>)
            [s.Strings("stage")[i] ?? "", s.Strings("section")[i] + ":" + s.Strings("setting")[i], s.Strings("value")[i] ?? ""]).ToList();
        yield return ResultTables.Plain(c, "table-settings", "title.settings", ReportDatasets.Settings, ["col.stage", "col.setting", "col.value"], rows,
            [c.Labels.Pick("Every option of every stage as it entered the stages' fingerprints (configuration file, environment and command-line overrides applied).",
                "各阶段全部选项（已应用配置文件、环境变量与命令行覆盖），即进入指纹的设置。")]);
    }

    public static IEnumerable<ReportBlock> Hashes(ReportContext c, IReadOnlyList<Frame> f)
    {
        var r = f[0];
        var rows = Enumerable.Range(0, r.RowCount).Select(i => (IReadOnlyList<string>)
            [r.Strings("path")[i] ?? "", r.Strings("sha256")[i] ?? "", RegressionLayout.Count(r.Longs("bytes")[i])]).ToList();
        yield return ResultTables.Plain(c, "table-hashes", "title.hashes", ReportDatasets.RawFiles, ["col.file", "col.sha256", "col.bytes"], rows, []);
    }

    /// <summary>Rows of <paramref name="frame"/> counted by the text columns <paramref name="by"/>, with where the full table is.</summary>
    private static TableBlock Counts(ReportContext c, string id, string titleKey, DatasetNeed source, Frame frame, string[] by, string[] heads, string checkpoint)
    {
        var groups = Enumerable.Range(0, frame.RowCount)
            .GroupBy(i => string.Join("\u001f", by.Select(b => frame.Strings(b)[i] ?? "")), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var rows = groups.Select(g => (IReadOnlyList<string>)[.. g.Key.Split('\u001f'), g.Count().ToString(CultureInfo.InvariantCulture)]).ToList();
        var note = c.Labels.Pick(
            string.Create(CultureInfo.InvariantCulture, $"{frame.RowCount} rows in all; the full table: nqpf export <run-id> {checkpoint}."),
            string.Create(CultureInfo.InvariantCulture, $"共 {frame.RowCount} 行；完整数据：nqpf export <run-id> {checkpoint}。"));
        return ResultTables.Plain(c, id, titleKey, source, [.. heads, "col.count"], rows, [note]);
    }
}
