using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>The main results: indicator system, descriptive statistics, baseline, single vs dual, order, mechanisms, heterogeneity.</summary>
internal static class ResultTables
{
    /// <summary>
    /// The regression variables besides the indicators: outcome, pilots, and the controls and mediators of
    /// config/indicators.json, defined by their formula over the yearbook fields (Chinese report: by their label).
    /// </summary>
    public static IEnumerable<ReportBlock> Variables(ReportContext c)
    {
        if (c.Indicators is not { } system)
            yield break;
        IReadOnlyList<string> Row(string name, string role, string unit) => [c.Variable(name), c.Labels["role." + role], c.Labels["definition." + name], unit];
        var rows = new List<IReadOnlyList<string>> { Row("nqpf", "outcome", ""), Row("bb", "treatment", "0/1"), Row("cl", "treatment", "0/1") };
        rows.AddRange(system.Variables.Where(v => v.Role != Common.VariableRole.Indicator).Select(v => (IReadOnlyList<string>)
            [c.Variable(v.Name) == v.Name ? v.Name : c.Variable(v.Name) + " (" + v.Name + ")", c.Labels["role." + v.Role.ToString().ToLowerInvariant()], c.Labels.Chinese ? v.Label : v.Formula.Text, v.Unit]));
        yield return Plain(c, "table-variables", "title.variables", new DatasetNeed("config/indicators.json", []),
            ["col.variable", "col.role", "col.definition", "col.unit"], rows, []);
    }

    public static IEnumerable<ReportBlock> Indicators(ReportContext c, IReadOnlyList<Frame> f)
    {
        var w = f[0];
        var rows = Enumerable.Range(0, w.RowCount).Select(i =>
        {
            var name = w.Strings("indicator")[i] ?? "";
            var variable = c.Indicators?.Variables.FirstOrDefault(v => v.Name == name);
            return (IReadOnlyList<string>)[c.Labels["dim." + w.Strings("dimension")[i]], c.Variable(name), variable?.Unit ?? "",
                (w.Strings("direction")[i] ?? "").TrimStart('\''), RegressionLayout.Fixed(w.Doubles("weight")[i], 4)];
        }).ToList();
        var notes = new List<string>
        {
            c.Labels.Pick("Entropy weights fitted on the in-sample city-years; + marks a positive indicator, − a negative one (reversed before weighting).",
                "熵权基于样本内城市-年观测计算；+ 为正向指标，− 为负向指标（加权前取反）。"),
        };
        var unavailable = Unavailable(c, w);
        if (unavailable.Count > 0)
        {
            notes.Add(c.Labels.Pick("Not available in the data, so left out of the index (values in too few city-years, Index:MinIndicatorCoverage): ",
                "数据中缺失、未纳入指数的指标（有值的城市-年占比低于 Index:MinIndicatorCoverage）：") + string.Join(", ", unavailable) + ".");
        }
        yield return Plain(c, "table-indicators", "title.indicators", ReportDatasets.Weights,
            ["col.dimension", "col.indicator", "col.unit", "col.direction", "col.weight"], rows, notes);
    }

    /// <summary>The indicators of the configured system that have no weight: the index stage left them out because the
    /// data supply too few of their city-years.</summary>
    private static List<string> Unavailable(ReportContext c, Frame weights)
    {
        var weighted = weights.Strings("indicator").ToHashSet(StringComparer.Ordinal);
        return [.. (c.Indicators?.Indicators ?? []).Where(v => !weighted.Contains(v.Name)).Select(v => c.Variable(v.Name))];
    }

    public static IEnumerable<ReportBlock> Descriptives(ReportContext c, IReadOnlyList<Frame> f)
    {
        var d = f[0];
        var rows = Enumerable.Range(0, d.RowCount).Select(i => (IReadOnlyList<string>)
        [
            c.Variable(d.Strings("variable")[i] ?? ""), RegressionLayout.Count(d.Longs("n")[i]), RegressionLayout.Fixed(d.Doubles("mean")[i], 3),
            RegressionLayout.Fixed(d.Doubles("sd")[i], 3), RegressionLayout.Fixed(d.Doubles("min")[i], 3), RegressionLayout.Fixed(d.Doubles("max")[i], 3),
        ]).ToList();
        yield return Plain(c, "table-descriptives", "title.descriptives", ReportDatasets.Descriptives,
            ["col.variable", "col.n", "col.mean", "col.sd", "col.min", "col.max"], rows, []);
    }

    public static IEnumerable<ReportBlock> Baseline(ReportContext c, IReadOnlyList<Frame> f) =>
        [Regression(c, "table-baseline", c.Labels["title.baseline"], ReportDatasets.Baseline.Key, f[0], All(f[0]))];

    /// <summary>A regression table with the Wald test of its models (difference, F, p) as rows under the coefficients.</summary>
    public static IEnumerable<ReportBlock> WithWald(ReportContext c, IReadOnlyList<Frame> f, string table)
    {
        var wald = f[1];
        IReadOnlyList<(string, string)> Tests(long model)
        {
            var i = Enumerable.Range(0, wald.RowCount).FirstOrDefault(r => wald.Strings("table")[r] == table && wald.Longs("model")[r] == model, -1);
            return i < 0 ? [] :
            [
                (c.Labels["row.difference"] + " (" + c.Grids.ModelHead(wald.Strings("hypothesis")[i] ?? "", "") + ")", RegressionLayout.Fixed(wald.Doubles("difference")[i], c.Options.Decimals)),
                (c.Labels["row.wald_f"], RegressionLayout.Fixed(wald.Doubles("f")[i], 2)),
                (c.Labels["row.wald_p"], StudyGrids.P(wald.Doubles("p")[i])),
            ];
        }
        var id = table == "order" ? "table-order" : "table-single-dual";
        var need = table == "order" ? ReportDatasets.Order : ReportDatasets.SingleDual;
        return [Regression(c, id, c.Labels["title." + table], need.Key + ", " + ReportDatasets.Wald.Key, f[0], All(f[0]), Tests)];
    }

    public static IEnumerable<ReportBlock> Mechanisms(ReportContext c, IReadOnlyList<Frame> f) =>
        [Regression(c, "table-mechanisms", c.Labels["title.mechanisms"], ReportDatasets.Mechanisms.Key, f[0], All(f[0]))];

    public static IEnumerable<ReportBlock> Mediation(ReportContext c, IReadOnlyList<Frame> f)
    {
        var m = f[0];
        var layout = c.Layout;
        var rows = Enumerable.Range(0, m.RowCount).Select(i => (IReadOnlyList<string>)
        [
            c.Variable(m.Strings("treatment")[i] ?? ""), c.Variable(m.Strings("mediator")[i] ?? ""), layout.Number(m.Doubles("a")[i]),
            layout.Number(m.Doubles("b")[i]), layout.Number(m.Doubles("indirect")[i]) + layout.Stars(m.Doubles("sobel_p")[i]),
            StudyGrids.P(m.Doubles("sobel_p")[i]), "[" + layout.Number(m.Doubles("boot_low")[i]) + ", " + layout.Number(m.Doubles("boot_high")[i]) + "]",
            RegressionLayout.Fixed(m.Doubles("indirect")[i] / m.Doubles("total")[i], 3),
        ]).ToList();
        var draws = m.RowCount > 0 ? m.Longs("boot_draws")[0] : 0;
        yield return Plain(c, "table-mediation", "title.mediation", ReportDatasets.Mediation,
            ["col.policy", "col.mediator", "col.a", "col.b", "col.indirect", "col.sobel_p", "col.boot_ci", "col.share"], rows,
            [c.Labels.Pick(string.Create(CultureInfo.InvariantCulture, $"Indirect effect a·b with the Sobel SE √(b²se_a² + a²se_b²); percentile cluster-bootstrap CI over cities ({draws} draws). Share = a·b / total effect."),
                string.Create(CultureInfo.InvariantCulture, $"间接效应 a·b，Sobel 标准误 √(b²se_a² + a²se_b²)；按城市聚类的百分位自助法置信区间（{draws} 次）。占比 = a·b / 总效应。")),
             c.Layout.StarNote()]);
    }

    /// <summary>One regression table per grouping (subgroups and the interaction model), in the estimate stage's order.</summary>
    public static IEnumerable<ReportBlock> Heterogeneity(ReportContext c, IReadOnlyList<Frame> f)
    {
        var h = f[0];
        foreach (var table in h.Strings("table").Distinct())
        {
            var grouping = (table ?? "").Replace("heterogeneity_", "", StringComparison.Ordinal);
            var rows = Enumerable.Range(0, h.RowCount).Where(i => h.Strings("table")[i] == table).ToList();
            yield return Regression(c, "table-heterogeneity-" + grouping.Replace('_', '-'), c.Labels.Format("title.heterogeneity", c.Variable(grouping)),
                ReportDatasets.Heterogeneity.Key, h, rows);
        }
    }

    public static IEnumerable<ReportBlock> HeterogeneityTests(ReportContext c, IReadOnlyList<Frame> f)
    {
        var t = f[0];
        var layout = c.Layout;
        var rows = Enumerable.Range(0, t.RowCount).Select(i => (IReadOnlyList<string>)
        [
            c.Variable(t.Strings("grouping")[i] ?? ""), c.Variable(t.Strings("treatment")[i] ?? ""), layout.Number(t.Doubles("beta_1")[i]),
            layout.Number(t.Doubles("beta_0")[i]), layout.Number(t.Doubles("difference")[i]) + layout.Stars(t.Doubles("permutation_p")[i]),
            StudyGrids.P(t.Doubles("permutation_p")[i]), layout.Number(t.Doubles("interaction")[i]) + layout.Stars(t.Doubles("interaction_p")[i]),
            layout.Se(t.Doubles("interaction_se")[i]), StudyGrids.P(t.Doubles("interaction_p")[i]),
        ]).ToList();
        yield return Plain(c, "table-heterogeneity-tests", "title.heterogeneity_tests", ReportDatasets.HeterogeneityTests,
            ["col.grouping", "col.policy", "col.beta1", "col.beta0", "col.difference", "col.permutation_p", "axis.interaction", "se", "col.interaction_p"], rows,
            [c.Labels.Pick("β₁, β₀: the pilot's coefficient in the subgroup regressions (group = 1, group = 0); permutation p: Fisher test of β₁ − β₀ with the group labels permuted across cities; interaction: pilot × group in the pooled model with clustered SE.",
                "β₁、β₀：分组回归（组 = 1、组 = 0）中的试点系数；费舍尔组合检验：在城市间随机置换分组标签检验 β₁ − β₀；交互项：合并样本中试点×分组，聚类标准误。"), layout.StarNote()]);
    }

    internal static ReportBlock Regression(ReportContext c, string id, string title, string source, Frame frame, IReadOnlyList<int> rows,
        Func<long, IReadOnlyList<(string, string)>>? extra = null)
    {
        var grid = c.Grids.FromModels(frame, rows, extra);
        var notes = new List<string> { c.Layout.RecipeNote(rows.Select(i => frame.Strings("vcov")[i])) };
        return new TableBlock(c.Layout.Build(id, "", title, source, grid, notes));
    }

    internal static TableBlock Plain(ReportContext c, string id, string titleKey, DatasetNeed source, IReadOnlyList<string> heads,
        IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<string> notes)
    {
        return new TableBlock(new ReportTable(id, "", c.Labels[titleKey], source.Key, ReportTableKind.Plain, [[.. heads.Select(h => c.Labels[h])]], rows, notes));
    }

    private static int[] All(Frame frame) => [.. Enumerable.Range(0, frame.RowCount)];
}
