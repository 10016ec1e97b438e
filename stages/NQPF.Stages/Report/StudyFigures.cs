using System.Globalization;
using NQPF.Econometrics.Placebo;
using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>
/// The report's figures as data (<see cref="Figure"/>, the one figure model that the injected renderer draws as SVG for
/// the page and PNG beside it): the event study with the estimators side by side, the placebo densities and
/// coefficient-vs-p scatter, the Goodman-Bacon scatter, and the heterogeneity coefficient plot.
/// </summary>
internal static class StudyFigures
{
    private const double Z = 1.959963984540054;

    /// <summary>Per pilot: each estimator's event-time effects with 95% intervals, dodged around each event time.</summary>
    public static IEnumerable<ReportBlock> EventStudy(ReportContext c, IReadOnlyList<Frame> f)
    {
        var ev = f[0];
        var estimators = RobustnessTables.Estimators.Where(e => ev.Strings("estimator").Contains(e)).ToList();
        foreach (var t in ev.Strings("treatment").Distinct().Select(t => t ?? ""))
        {
            var series = estimators.Select((e, k) =>
            {
                var rows = Enumerable.Range(0, ev.RowCount).Where(i => ev.Strings("treatment")[i] == t && ev.Strings("estimator")[i] == e).ToList();
                var offset = (k - (estimators.Count - 1) / 2.0) * 0.16;
                return new FigureSeries(c.Labels["estimator." + e], SeriesStyle.ErrorBars, [.. rows.Select(i => ev.Longs(ReportDatasets.EventTime)[i] + offset)],
                    [.. rows.Select(i => ev.Doubles("estimate")[i])], [.. rows.Select(i => ev.Doubles("ci_low")[i])], [.. rows.Select(i => ev.Doubles("ci_high")[i])]);
            }).ToList();
            var figure = new Figure(c.Labels.Format("figure.event", c.Variable(t)), c.Labels["axis.event_time"], c.Labels["axis.effect"], series,
                [new ReferenceLine(-0.5, c.Labels.Pick("pilot starts", "政策实施"))], [new ReferenceLine(0, "0")], 960, 520);
            yield return new FigureBlock(new ReportFigure("figure-event-" + t, "", figure.Title, c.Labels.Pick(
                "Points: estimated effect at each year relative to the pilot (reference e = −1); bars: 95% intervals (Callaway & Sant'Anna: uniform bootstrap band; others pointwise). Estimators are offset around each year so their intervals do not overlap.",
                "点为相对政策年份的效应估计（基期 e = −1），竖线为 95% 置信区间（Callaway & Sant'Anna 为一致自助法置信带，其余为逐点区间）；各估计量在每年附近错开以免重叠。"),
                ReportDatasets.StaggeredEvent.Key, figure));
        }
    }

    /// <summary>Per pilot: Gaussian kernel densities (bw.nrd0) of the placebo coefficients of each randomisation, and the real estimate.</summary>
    public static IEnumerable<ReportBlock> Placebo(ReportContext c, IReadOnlyList<Frame> f)
    {
        var (draws, summary) = (f[0], f[1]);
        foreach (var t in draws.Strings("treatment").Distinct().Select(t => t ?? ""))
        {
            var series = new List<FigureSeries>();
            foreach (var kind in draws.Strings("kind").Distinct().Select(k => k ?? ""))
            {
                var values = Enumerable.Range(0, draws.RowCount).Where(i => draws.Strings("treatment")[i] == t && draws.Strings("kind")[i] == kind)
                    .Select(i => draws.Doubles("estimate")[i]).Where(double.IsFinite).ToList();
                var (x, y) = PlaceboInference.KernelDensity(values);
                if (x.Length > 0)
                    series.Add(new FigureSeries(c.Labels["placebo." + kind], SeriesStyle.Line, x, y));
            }
            var figure = new Figure(c.Labels.Format("figure.placebo", c.Variable(t)), c.Labels["axis.placebo"], c.Labels["axis.density"], series,
                RealEstimateLine(c, summary, t), [], 960, 460);
            yield return new FigureBlock(new ReportFigure("figure-placebo-" + t, "", figure.Title, c.Labels.Pick(
                "Kernel densities (Gaussian, bandwidth bw.nrd0) of the placebo coefficients; dashed line: the real estimate.",
                "安慰剂系数的核密度（高斯核，带宽 bw.nrd0）；虚线为真实估计。"), ReportDatasets.PlaceboDraws.Key, figure));
        }
    }

    /// <summary>Per pilot: each placebo draw's coefficient against its p-value, one colour per randomisation, with the real
    /// estimate and p = 0.1 marked: a credible effect lies far right of a cloud that mostly sits above the line.</summary>
    public static IEnumerable<ReportBlock> PlaceboScatter(ReportContext c, IReadOnlyList<Frame> f)
    {
        var (draws, summary) = (f[0], f[1]);
        foreach (var t in draws.Strings("treatment").Distinct().Select(t => t ?? ""))
        {
            var mine = Enumerable.Range(0, draws.RowCount).Where(i => draws.Strings("treatment")[i] == t
                && double.IsFinite(draws.Doubles("estimate")[i]) && double.IsFinite(draws.Doubles("p")[i])).ToList();
            var series = mine.Select(i => draws.Strings("kind")[i] ?? "").Distinct().Select(kind =>
            {
                var rows = mine.Where(i => draws.Strings("kind")[i] == kind).ToList();
                return new FigureSeries(c.Labels["placebo." + kind], SeriesStyle.Markers, [.. rows.Select(i => draws.Doubles("estimate")[i])],
                    [.. rows.Select(i => draws.Doubles("p")[i])]);
            }).ToList();
            var figure = new Figure(c.Labels.Format("figure.placebo_scatter", c.Variable(t)), c.Labels["axis.placebo"], c.Labels["axis.p_value"], series,
                RealEstimateLine(c, summary, t), [new ReferenceLine(0.1, "p = 0.1")], 960, 460);
            yield return new FigureBlock(new ReportFigure("figure-placebo-scatter-" + t, "", figure.Title, c.Labels.Pick(
                "Each point is one placebo draw: its coefficient and its p-value (clustered SE); dashed lines: the real estimate and p = 0.1.",
                "每个点为一次安慰剂抽样的系数及其 p 值（聚类标准误）；虚线为真实估计与 p = 0.1。"), ReportDatasets.PlaceboDraws.Key, figure));
        }
    }

    /// <summary>The vertical line at the real estimate of <paramref name="t"/> (none when the summary lacks it).</summary>
    private static List<ReferenceLine> RealEstimateLine(ReportContext c, Frame summary, string t)
    {
        var real = Enumerable.Range(0, summary.RowCount).Where(i => summary.Strings("treatment")[i] == t)
            .Select(i => summary.Doubles("real_estimate")[i]).FirstOrDefault(double.NaN);
        return double.IsFinite(real)
            ? [new ReferenceLine(real, c.Labels.Pick("real estimate ", "真实估计 ") + real.ToString("F4", CultureInfo.InvariantCulture))]
            : [];
    }

    /// <summary>Per pilot: each 2×2 comparison's estimate against its weight, one colour per comparison type, and the TWFE estimate they average to.</summary>
    public static IEnumerable<ReportBlock> Bacon(ReportContext c, IReadOnlyList<Frame> f)
    {
        var b = f[0];
        foreach (var t in b.Strings(Columns.Treatment).Distinct().Select(t => t ?? ""))
        {
            var mine = Enumerable.Range(0, b.RowCount).Where(i => b.Strings(Columns.Treatment)[i] == t).ToList();
            var series = mine.Select(i => b.Strings("type")[i] ?? "").Distinct().Select(type =>
            {
                var rows = mine.Where(i => b.Strings("type")[i] == type).ToList();
                return new FigureSeries(c.Labels["bacon." + type], SeriesStyle.Markers, [.. rows.Select(i => b.Doubles("weight")[i])], [.. rows.Select(i => b.Doubles("estimate")[i])]);
            }).ToList();
            var twfe = b.Doubles("twfe")[mine[0]];
            var figure = new Figure(c.Labels.Format("figure.bacon", c.Variable(t)), c.Labels["axis.weight"], c.Labels["axis.did2x2"], series, [],
                [new ReferenceLine(twfe, "TWFE " + twfe.ToString("F4", CultureInfo.InvariantCulture)), new ReferenceLine(0, "0", Dashed: false)], 960, 460);
            yield return new FigureBlock(new ReportFigure("figure-bacon-" + t, "", figure.Title, c.Labels.Pick(
                "Each point is one 2×2 DiD of a treatment cohort against a comparison group (balanced panel, no controls); the TWFE coefficient is their weighted mean (dashed line). Later-vs-earlier comparisons use already-treated cities as controls and bias TWFE when effects grow over time.",
                "每个点为一组处理队列与对照组的 2×2 双重差分（平衡面板，无控制变量）；TWFE 系数为其加权平均（虚线）。晚处理组对早处理组的比较以已处理城市作对照，效应随时间增长时会使 TWFE 产生偏误。"),
                ReportDatasets.Bacon.Key, figure));
        }
    }

    /// <summary>Pilot × group interaction coefficients with 95% intervals, one category per grouping, pilots dodged.</summary>
    public static IEnumerable<ReportBlock> Heterogeneity(ReportContext c, IReadOnlyList<Frame> f)
    {
        var t = f[0];
        var groupings = t.Strings("grouping").Distinct().Select(g => g ?? "").ToList();
        var pilots = t.Strings("treatment").Distinct().Select(p => p ?? "").ToList();
        var series = pilots.Select((p, k) =>
        {
            var rows = Enumerable.Range(0, t.RowCount).Where(i => t.Strings("treatment")[i] == p).ToList();
            var offset = (k - (pilots.Count - 1) / 2.0) * 0.2;
            return new FigureSeries(c.Variable(p), SeriesStyle.ErrorBars, [.. rows.Select(i => groupings.IndexOf(t.Strings("grouping")[i] ?? "") + offset)],
                [.. rows.Select(i => t.Doubles("interaction")[i])],
                [.. rows.Select(i => t.Doubles("interaction")[i] - Z * t.Doubles("interaction_se")[i])],
                [.. rows.Select(i => t.Doubles("interaction")[i] + Z * t.Doubles("interaction_se")[i])]);
        }).ToList();
        var figure = new Figure(c.Labels["figure.heterogeneity"], c.Labels["col.grouping"], c.Labels["axis.interaction"], series, [], [new ReferenceLine(0, "0")], 960, 480)
        {
            XTicks = [.. groupings.Select((g, i) => new AxisTick(i, c.Variable(g)))],
        };
        yield return new FigureBlock(new ReportFigure("figure-heterogeneity", "", figure.Title, c.Labels.Pick(
            "Interaction of each pilot with each grouping (pooled model, clustered SE); bars: 95% intervals. A positive value: the effect is larger in the group.",
            "各试点与各分组的交互项系数（合并样本，聚类标准误），竖线为 95% 置信区间；正值表示该组效应更大。"), ReportDatasets.HeterogeneityTests.Key, figure));
    }
}
