using System.Globalization;

namespace NQPF.Stages.Report;

/// <summary>
/// The report's four figures, drawn from whatever upstream tables fit (found by name and columns, so a stage that
/// lands later fills them in): the event study (a table named *event* with a relative-time column and estimates),
/// the placebo distributions (robustness/placebo_draws: density histogram and Gaussian kernel density, with the real
/// estimate from robustness/placebo_summary marked), the Goodman-Bacon decomposition (a table named *bacon* with
/// estimate and weight), and the estimator comparison (a table named *comparison* or *estimators*, or one with an
/// estimator column and no event-time column, e.g. robustness/staggered_summary). A figure whose table is absent says
/// what it waits for.
/// </summary>
internal sealed class ReportFigures(ReportLabels labels)
{
    private static readonly string[] RelTimeNames = ["rel_time", "event_time", "relative_time", "rel_year", "period", "e"];
    private static readonly string[] GroupNames = ["estimator", "treatment", "policy", "model", "specification", "outcome", "kind", "type"];
    private const int MaxPlaceboFigures = 6;

    public (IReadOnlyList<ReportFigure> Figures, IReadOnlyList<string> Missing) Build(IReadOnlyDictionary<string, Frame> tables)
    {
        var figures = new List<ReportFigure>();
        var missing = new List<string>();
        Add(EventStudy(tables), labels.Pick(
            "Event study: waiting for an estimate table named *event* with a relative-time column (rel_time/event_time) and estimates.",
            "事件研究图：等待 estimate 阶段输出含相对时间列与系数的 *event* 表。"));
        Add(Placebo(tables), labels.Pick(
            "Placebo: waiting for robustness/placebo_draws.", "安慰剂检验图：等待 robustness/placebo_draws。"));
        Add(Bacon(tables), labels.Pick(
            "Bacon decomposition: waiting for a table named *bacon* with estimate and weight columns.",
            "Bacon 分解图：等待含 estimate 与 weight 列的 *bacon* 表。"));
        Add(Comparison(tables), labels.Pick(
            "Estimator comparison: waiting for a table named *comparison* or *estimators*, or with an estimator column, with estimates.",
            "估计量比较图：等待含系数的 *comparison* 或 *estimators* 表（或含 estimator 列的表）。"));
        return (figures, missing);

        void Add(IReadOnlyList<ReportFigure> made, string why)
        {
            if (made.Count > 0)
                figures.AddRange(made);
            else
                missing.Add(why);
        }
    }

    private IReadOnlyList<ReportFigure> EventStudy(IReadOnlyDictionary<string, Frame> tables)
    {
        var result = new List<ReportFigure>();
        foreach (var (key, frame) in Named(tables, "event"))
        {
            var rel = RelTimeNames.FirstOrDefault(n => frame.Has(n) && frame[n] is LongColumn or DoubleColumn);
            if (rel is null || EstimateColumns.Find(frame) is not var (estimate, se))
                continue;
            var series = Groups(frame).Select(g =>
            {
                var x = g.Rows.Select(i => Number(frame[rel], i)).ToArray();
                var y = g.Rows.Select(i => frame.Doubles(estimate)[i]).ToArray();
                var (low, high) = Interval(frame, estimate, se, g.Rows);
                return new ChartSeries(g.Label, ChartKind.ErrorBars, x, y, low, high);
            }).ToList();
            var chart = new Chart(labels.Pick("Years relative to the pilot", "相对政策实施年份"), labels["estimate"], series,
                [new ChartLine(-0.5, labels.Pick("treatment starts", "政策实施"))], [new ChartLine(0, "0")]);
            result.Add(new ReportFigure("figure-event-study-" + Slug(key), labels.Pick("Event study", "事件研究") + " (" + key + ")",
                key, SvgChart.Render(chart), labels.Pick("Points: estimates; bars: 95% confidence intervals.", "点为系数估计，竖线为 95% 置信区间。")));
        }
        return result;
    }

    private IReadOnlyList<ReportFigure> Placebo(IReadOnlyDictionary<string, Frame> tables)
    {
        if (!tables.TryGetValue("robustness/placebo_draws", out var draws) || !draws.Has("estimate") || draws["estimate"] is not DoubleColumn)
            return [];
        var summary = tables.GetValueOrDefault("robustness/placebo_summary");
        var result = new List<ReportFigure>();
        foreach (var group in Groups(draws).Take(MaxPlaceboFigures))
        {
            var values = group.Rows.Select(i => draws.Doubles("estimate")[i]).Where(double.IsFinite).ToArray();
            if (values.Length == 0)
                continue;
            var (centres, counts, width) = Histogram(values, 30);
            var density = counts.Select(c => c / (values.Length * width)).ToArray();
            var (kdeX, kdeY) = NQPF.Econometrics.Placebo.PlaceboInference.KernelDensity(values);
            var real = RealEstimate(summary, draws, group.Rows[0]);
            var lines = new List<ChartLine> { new(0, "0") };
            if (double.IsFinite(real))
                lines.Add(new ChartLine(real, labels.Pick("real estimate ", "真实估计 ") + real.ToString("G4", CultureInfo.InvariantCulture)));
            var series = new List<ChartSeries> { new(group.Label, ChartKind.Bars, centres, density, BarWidth: width) };
            if (kdeX.Length > 0)
                series.Add(new ChartSeries(labels.Pick("kernel density", "核密度"), ChartKind.Line, kdeX, kdeY));
            var chart = new Chart(labels.Pick("Placebo coefficient", "安慰剂系数"), labels["density"], series, lines, []);
            result.Add(new ReportFigure("figure-placebo-" + Slug(group.Label), labels.Pick("Placebo distribution", "安慰剂检验分布") + ": " + group.Label,
                "robustness/placebo_draws", SvgChart.Render(chart),
                labels.Pick(
                    string.Create(CultureInfo.InvariantCulture, $"{values.Length} draws: density histogram and Gaussian kernel density (bandwidth bw.nrd0); dashed line: the real estimate."),
                    string.Create(CultureInfo.InvariantCulture, $"{values.Length} 次抽样：密度直方图与高斯核密度（带宽 bw.nrd0）；虚线为真实估计。"))));
        }
        return result;
    }

    private IReadOnlyList<ReportFigure> Bacon(IReadOnlyDictionary<string, Frame> tables)
    {
        var result = new List<ReportFigure>();
        foreach (var (key, frame) in Named(tables, "bacon"))
        {
            var estimate = EstimateColumns.First(frame, EstimateColumns.EstimateNames);
            if (estimate is null || !frame.Has("weight") || frame[estimate] is not DoubleColumn || frame["weight"] is not DoubleColumn)
                continue;
            var series = Groups(frame).Select(g => new ChartSeries(g.Label, ChartKind.Points,
                [.. g.Rows.Select(i => frame.Doubles("weight")[i])], [.. g.Rows.Select(i => frame.Doubles(estimate)[i])])).ToList();
            var w = frame.Doubles("weight");
            var b = frame.Doubles(estimate);
            var total = w.Sum();
            var overall = total > 0 ? w.Zip(b, (x, y) => x * y).Sum() / total : double.NaN;
            var chart = new Chart(labels["weight"], labels["estimate"], series, [],
                double.IsFinite(overall) ? [new ChartLine(overall, "TWFE = Σ w·b = " + overall.ToString("G4", CultureInfo.InvariantCulture))] : []);
            result.Add(new ReportFigure("figure-bacon-" + Slug(key), labels.Pick("Goodman-Bacon decomposition", "Goodman-Bacon 分解") + " (" + key + ")",
                key, SvgChart.Render(chart), labels.Pick("Each point is a 2×2 comparison: its weight and its DiD estimate.", "每个点为一个 2×2 比较的权重与 DiD 估计。")));
        }
        return result;
    }

    private IReadOnlyList<ReportFigure> Comparison(IReadOnlyDictionary<string, Frame> tables)
    {
        var result = new List<ReportFigure>();
        var byEstimator = tables.Where(t => !t.Key.StartsWith("run/", StringComparison.Ordinal)
                                            && t.Value.Has("estimator") && t.Value["estimator"] is StringColumn
                                            && !RelTimeNames.Any(t.Value.Has))
            .OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value));
        foreach (var (key, frame) in Named(tables, "comparison").Concat(Named(tables, "estimators")).Concat(byEstimator).DistinctBy(p => p.Key))
        {
            if (EstimateColumns.Find(frame) is not var (estimate, se) || frame.RowCount == 0)
                continue;
            var keys = EstimateColumns.KeyColumns(frame);
            var series = Enumerable.Range(0, Math.Min(frame.RowCount, 12)).Select(i =>
            {
                var (low, high) = Interval(frame, estimate, se, [i]);
                var label = string.Join(" ", keys.Select(k => frame[k] is StringColumn s ? s.Values[i] : null).Where(s => s is not null));
                return new ChartSeries(label.Length == 0 ? (i + 1).ToString(CultureInfo.InvariantCulture) : label,
                    ChartKind.ErrorBars, [i + 1.0], [frame.Doubles(estimate)[i]], low, high);
            }).ToList();
            var chart = new Chart(labels.Pick("Estimator", "估计方法"), labels["estimate"], series, [], [new ChartLine(0, "0")]);
            result.Add(new ReportFigure("figure-comparison-" + Slug(key), labels.Pick("Estimator comparison", "不同估计量比较") + " (" + key + ")",
                key, SvgChart.Render(chart), labels.Pick("Points: estimates; bars: 95% confidence intervals.", "点为系数估计，竖线为 95% 置信区间。")));
        }
        return result;
    }

    private static IEnumerable<(string Key, Frame Frame)> Named(IReadOnlyDictionary<string, Frame> tables, string word) =>
        tables.Where(t => !t.Key.StartsWith("run/", StringComparison.Ordinal) && t.Key.Split('/')[1].Contains(word, StringComparison.Ordinal))
            .OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value));

    /// <summary>Rows grouped by the text grouping columns present (estimator, treatment, kind, …), in first-seen order.</summary>
    private static IReadOnlyList<(string Label, int[] Rows)> Groups(Frame frame)
    {
        var columns = GroupNames.Where(n => frame.Has(n) && frame[n] is StringColumn).ToList();
        return [.. Enumerable.Range(0, frame.RowCount)
            .GroupBy(i => string.Join(" · ", columns.Select(c => frame.Strings(c)[i] ?? "")))
            .Select(g => (g.Key.Length == 0 ? "estimates" : g.Key, g.ToArray()))];
    }

    /// <summary>95% interval: ci_low/ci_high when present, else estimate ± 1.959964·se.</summary>
    private static (double[] Low, double[] High) Interval(Frame frame, string estimate, string se, int[] rows)
    {
        if (frame.Has("ci_low") && frame.Has("ci_high") && frame["ci_low"] is DoubleColumn && frame["ci_high"] is DoubleColumn)
            return ([.. rows.Select(i => frame.Doubles("ci_low")[i])], [.. rows.Select(i => frame.Doubles("ci_high")[i])]);
        const double z = 1.959963984540054;
        return ([.. rows.Select(i => frame.Doubles(estimate)[i] - z * frame.Doubles(se)[i])],
            [.. rows.Select(i => frame.Doubles(estimate)[i] + z * frame.Doubles(se)[i])]);
    }

    private static double RealEstimate(Frame? summary, Frame draws, int row)
    {
        if (summary is null || !summary.Has("real_estimate"))
            return double.NaN;
        for (var i = 0; i < summary.RowCount; i++)
        {
            var same = new[] { "treatment", "kind" }.All(c => !summary.Has(c) || !draws.Has(c)
                || summary.Strings(c)[i] == draws.Strings(c)[row]);
            if (same)
                return summary.Doubles("real_estimate")[i];
        }
        return double.NaN;
    }

    /// <summary>Equal-width histogram over [min, max] with <paramref name="bins"/> bins (one bin of width 1 when all equal).</summary>
    internal static (double[] Centres, double[] Counts, double Width) Histogram(double[] values, int bins)
    {
        var (min, max) = (values.Min(), values.Max());
        if (max <= min)
            return ([min], [values.Length], 1);
        var width = (max - min) / bins;
        var counts = new double[bins];
        foreach (var v in values)
            counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        return ([.. Enumerable.Range(0, bins).Select(b => min + (b + 0.5) * width)], counts, width);
    }

    private static double Number(Column column, int row) => column switch
    {
        LongColumn l => l.Values[row],
        DoubleColumn d => d.Values[row],
        _ => double.NaN,
    };

    private static string Slug(string text) =>
        new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
