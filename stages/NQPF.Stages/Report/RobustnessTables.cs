namespace NQPF.Stages.Report;

/// <summary>The robustness tables: pre-trend tests, placebo, PSM-DID and balance, alternative specifications, staggered estimators.</summary>
internal static class RobustnessTables
{
    /// <summary>Heterogeneity-robust estimators beside TWFE, in the order a reader compares them.</summary>
    public static readonly IReadOnlyList<string> Estimators = ["twfe_event", "cs", "sa", "bjs", "twfe_bacon"];

    public static IEnumerable<ReportBlock> Pretrend(ReportContext c, IReadOnlyList<Frame> f)
    {
        var (pre, summary) = (f[0], f[1]);
        var robust = Estimators.Where(e => e is "cs" or "sa" or "bjs").ToList();
        var rows = Enumerable.Range(0, pre.RowCount).Select(i =>
        {
            var t = pre.Strings("treatment")[i] ?? "";
            return (IReadOnlyList<string>)[c.Variable(t), RegressionLayout.Count(pre.Longs("leads")[i]), RegressionLayout.Fixed(pre.Doubles("f")[i], 2),
                StudyGrids.P(pre.Doubles("f_p")[i]), .. robust.Select(e => StudyGrids.P(SummaryValue(summary, t, e, "pretrend_p")))];
        }).ToList();
        var heads = new List<string> { c.Labels["col.policy"], c.Labels.Pick("Leads", "前期数"), "F", "p" };
        heads.AddRange(robust.Select(e => "p: " + c.Labels["estimator." + e]));
        var table = new ReportTable("table-pretrend", "", c.Labels["title.pretrend"], ReportDatasets.Pretrend.Key + ", " + ReportDatasets.StaggeredSummary.Key,
            ReportTableKind.Plain, [heads], rows,
            [c.Labels.Pick("F: joint test that every lead of the TWFE event study is 0 (clustered vcov); the other columns give each heterogeneity-robust estimator's joint pre-test (no controls). TWFE leads mix in other cohorts' effects when effects differ by cohort (Sun & Abraham 2021).",
                "F：TWFE 事件研究所有前期系数为 0 的联合检验（聚类协方差）；其余各列为异质性稳健估计量的联合前期检验（不含控制变量）。效应因队列而异时，TWFE 前期系数会混入其他队列的效应（Sun & Abraham 2021）。"),
             c.Labels["note.se"] + " " + (pre.RowCount > 0 ? pre.Strings("recipe")[0] : "")]);
        yield return new TableBlock(table);
    }

    public static IEnumerable<ReportBlock> Placebo(ReportContext c, IReadOnlyList<Frame> f)
    {
        var s = f[0];
        var rows = Enumerable.Range(0, s.RowCount).Select(i => (IReadOnlyList<string>)
        [
            c.Variable(s.Strings("treatment")[i] ?? ""), c.Labels["placebo." + s.Strings("kind")[i]], RegressionLayout.Count(s.Longs("draws")[i] - s.Longs("failed")[i]),
            c.Layout.Number(s.Doubles("real_estimate")[i]), c.Layout.Number(s.Doubles("mean")[i]), c.Layout.Number(s.Doubles("sd")[i]),
            "[" + c.Layout.Number(s.Doubles("q025")[i]) + ", " + c.Layout.Number(s.Doubles("q975")[i]) + "]", StudyGrids.P(s.Doubles("p_value")[i]),
            RegressionLayout.Fixed(s.Doubles("share_significant")[i], 3),
        ]).ToList();
        yield return ResultTables.Plain(c, "table-placebo", "title.placebo", ReportDatasets.PlaceboSummary,
            ["col.policy", "col.kind", "col.draws", "col.real", "col.placebo_mean", "col.placebo_sd", "col.interval", "col.p_empirical", "col.share_sig"], rows,
            [c.Labels.Pick("Each draw re-estimates the baseline with controls on randomised pilots; empirical p = (1 + #|placebo| ≥ |real|) / (1 + draws).",
                "每次抽样在随机化试点上重新估计含控制变量的基准模型；经验 p = (1 + #|安慰剂| ≥ |真实|) / (1 + 抽样次数)。")]);
    }

    public static IEnumerable<ReportBlock> Psm(ReportContext c, IReadOnlyList<Frame> f) =>
        [Specifications(c, "table-psm", "title.psm", ReportDatasets.PsmDid, f[0], ["psm_nearest", "psm_kernel", "psm_radius"])];

    public static IEnumerable<ReportBlock> PsmBalance(ReportContext c, IReadOnlyList<Frame> f)
    {
        var b = f[0];
        var rows = Enumerable.Range(0, b.RowCount).Select(i => (IReadOnlyList<string>)
        [
            c.Variable(b.Strings("treatment")[i] ?? ""), c.Labels["spec." + b.Strings("method")[i]], c.Variable(b.Strings("variable")[i] ?? ""),
            RegressionLayout.Fixed(b.Doubles("smd_before")[i], 3), RegressionLayout.Fixed(b.Doubles("smd_after")[i], 3),
            RegressionLayout.Fixed(b.Doubles("bias_reduction")[i], 1),
        ]).ToList();
        yield return ResultTables.Plain(c, "table-psm-balance", "title.psm_balance", ReportDatasets.PsmBalance,
            ["col.policy", "col.method", "col.variable", "col.smd_before", "col.smd_after", "col.bias_reduction"], rows,
            [c.Labels.Pick("SMD: standardised mean difference of treated and control cities (as MatchIt for the ATT); |SMD| < 0.1 is conventionally balanced.",
                "SMD：处理组与对照组的标准化均值差异（同 MatchIt 的 ATT 口径）；|SMD| < 0.1 通常视为平衡。")]);
    }

    public static IEnumerable<ReportBlock> Concurrent(ReportContext c, IReadOnlyList<Frame> f) =>
        [Specifications(c, "table-concurrent", "title.concurrent", ReportDatasets.Alternatives, f[0],
            ["baseline", .. Specs(f[0], s => s.StartsWith("exclude_concurrent_", StringComparison.Ordinal))])];

    public static IEnumerable<ReportBlock> Constructions(ReportContext c, IReadOnlyList<Frame> f) =>
        [Specifications(c, "table-constructions", "title.constructions", ReportDatasets.Alternatives, f[0],
            ["baseline", .. Specs(f[0], s => s.StartsWith("outcome_", StringComparison.Ordinal)), "winsorised"])];

    public static IEnumerable<ReportBlock> Inference(ReportContext c, IReadOnlyList<Frame> f) =>
        [Specifications(c, "table-inference", "title.inference", ReportDatasets.Alternatives, f[0],
            ["baseline", "province_cluster", "province_year_fe", "city_trends", "drop_municipalities_capitals", "lagged_controls"])];

    /// <summary>Each estimator's overall ATT per pilot, its pre-trend p, N; notes: harmonised settings, inference, references.</summary>
    public static IEnumerable<ReportBlock> Staggered(ReportContext c, IReadOnlyList<Frame> f)
    {
        var s = f[0];
        var treatments = s.Strings("treatment").Distinct().Select(t => t ?? "").ToList();
        var estimators = Estimators.Where(e => s.Strings("estimator").Contains(e)).ToList();
        var cells = new Dictionary<(int, int, string), Coefficient>();
        for (var i = 0; i < s.RowCount; i++)
        {
            var e = estimators.IndexOf(s.Strings("estimator")[i] ?? "");
            if (e >= 0)
                cells[(0, e, s.Strings("treatment")[i] ?? "")] = new Coefficient(s.Doubles("att")[i], s.Doubles("se")[i], Verdicts.NormalP(s.Doubles("att")[i], s.Doubles("se")[i]));
        }
        var extra = treatments.Select(t => new GridRow(c.Labels.Format("row.pretrend_p", c.Variable(t)),
            [.. estimators.Select(e => StudyGrids.P(SummaryValue(s, t, e, "pretrend_p")))])).ToList();
        var stats = new List<GridRow>
        {
            new(c.Labels["row.city_fe"], [.. estimators.Select(_ => c.Labels["yes"])]),
            new(c.Labels["row.year_fe"], [.. estimators.Select(_ => c.Labels["yes"])]),
            new(c.Labels["row.n"], [.. estimators.Select(e => RegressionLayout.Count(SummaryLong(s, treatments[0], e, "observations")))]),
        };
        var grid = new RegressionGrid([[.. estimators.Select(e => c.Labels["estimator." + e])]], [new RegressionPanel(null, treatments)], cells, extra, stats);
        var settings = Enumerable.Range(0, s.RowCount).Where(i => s.Strings("estimator")[i] == "cs").Select(i => s.Strings("settings")[i]).FirstOrDefault() ?? "";
        var notes = new List<string>
        {
            c.Labels.Pick("ATT: overall post-treatment effect of each estimator (TWFE event study: equal-weight mean of e ≥ 0; Callaway & Sant'Anna: simple aggregation; Goodman-Bacon: the static TWFE coefficient it decomposes, no SE). Stars from the normal p of ATT/SE.",
                "ATT：各估计量的处理后总体效应（TWFE 事件研究为 e ≥ 0 系数的等权均值；Callaway & Sant'Anna 为简单加总；Goodman-Bacon 为其分解的静态 TWFE 系数，无标准误）。星号依据 ATT/SE 的正态 p 值。"),
            c.Labels.Pick("Settings: ", "设置：") + settings,
            c.Layout.StarNote(),
            c.Labels["note.references"],
        };
        yield return new TableBlock(c.Layout.Build("table-staggered", "", c.Labels["title.staggered"], ReportDatasets.StaggeredSummary.Key, grid, notes));
    }

    private static ReportBlock Specifications(ReportContext c, string id, string titleKey, DatasetNeed source, Frame frame, IReadOnlyList<string> specs)
    {
        var treatments = frame.Strings("treatment").Distinct().Select(t => t ?? "").ToList();
        var grid = c.Grids.FromSpecifications(frame, specs, treatments);
        var used = Enumerable.Range(0, frame.RowCount).Where(i => specs.Contains(frame.Strings("specification")[i] ?? "")).ToList();
        var notes = new List<string> { c.Layout.RecipeNote(used.Select(i => frame.Strings("recipe")[i])) };
        notes.AddRange(used.Where(i => !string.IsNullOrWhiteSpace(frame.Strings("note")[i]))
            .Select(i => c.Labels["spec." + frame.Strings("specification")[i]] + ", " + c.Variable(frame.Strings("treatment")[i] ?? "") + ": " + frame.Strings("note")[i])
            .Distinct(StringComparer.Ordinal).Take(12));
        return new TableBlock(c.Layout.Build(id, "", c.Labels[titleKey], source.Key, grid, notes));
    }

    private static IEnumerable<string> Specs(Frame frame, Func<string, bool> take) =>
        frame.Strings("specification").Select(s => s ?? "").Distinct(StringComparer.Ordinal).Where(take);

    private static double SummaryValue(Frame s, string treatment, string estimator, string column)
    {
        var i = Enumerable.Range(0, s.RowCount).FirstOrDefault(r => s.Strings("treatment")[r] == treatment && s.Strings("estimator")[r] == estimator, -1);
        return i < 0 ? double.NaN : s.Doubles(column)[i];
    }

    private static long SummaryLong(Frame s, string treatment, string estimator, string column)
    {
        var i = Enumerable.Range(0, s.RowCount).FirstOrDefault(r => s.Strings("treatment")[r] == treatment && s.Strings("estimator")[r] == estimator, -1);
        return i < 0 ? 0 : s.Longs(column)[i];
    }
}
