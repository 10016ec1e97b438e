using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>
/// Rambachan–Roth (HonestDiD) sensitivity of the TWFE event study, per pilot: the table (original CI first, then the
/// C-LF sets over M̄ and the FLCIs over M, for the first post period and the post-period average, then the breakdown
/// values) and HonestDiD's usual plot (the 95% sets against M̄ or M for the first post period, the original CI left of
/// the grid), both drawn from robustness/sensitivity and robustness/sensitivity_breakdown.
/// </summary>
internal static class SensitivityTables
{
    private static readonly (string Method, string Restriction)[] Blocks = [("Original", ""), ("C-LF", "RM"), ("FLCI", "SD")];

    public static IEnumerable<ReportBlock> Table(ReportContext c, IReadOnlyList<Frame> f)
    {
        var (s, b) = (f[0], f[1]);
        foreach (var t in Treatments(s))
        {
            var rows = new List<IReadOnlyList<string>>();
            foreach (var (method, restriction) in Blocks)
            {
                foreach (var value in Values(s, t, method))
                {
                    rows.Add([Method(c, method), Parameter(restriction, value),
                        Interval(c, s, Find(s, t, method, "first", value)), Interval(c, s, Find(s, t, method, "average", value))]);
                }
            }
            foreach (var restriction in new[] { "RM", "SD" })
                rows.Add([c.Labels["sensitivity.breakdown"], restriction == "RM" ? "M̄" : "M", Breakdown(b, t, restriction, "first"), Breakdown(b, t, restriction, "average")]);
            yield return new TableBlock(new ReportTable("table-sensitivity-" + t, "", c.Labels.Format("title.sensitivity", c.Variable(t)),
                ReportDatasets.Sensitivity.Key + ", " + ReportDatasets.SensitivityBreakdown.Key, ReportTableKind.Plain,
                [[c.Labels["col.sensitivity_method"], c.Labels["col.sensitivity_parameter"], c.Labels["col.sensitivity_first"], c.Labels["col.sensitivity_average"]]], rows,
                [c.Labels["note.sensitivity"]]));
        }
    }

    /// <summary>Per pilot and restriction: the first post period's sets against M̄ (C-LF) or M (FLCI), the original CI first.</summary>
    public static IEnumerable<ReportBlock> Figures(ReportContext c, IReadOnlyList<Frame> f)
    {
        var s = f[0];
        foreach (var t in Treatments(s))
        {
            foreach (var (method, restriction) in Blocks.Skip(1))
            {
                var values = Values(s, t, method).Where(v => Find(s, t, method, "first", v) is not null).ToList();
                var original = Find(s, t, "Original", "first", double.NaN);
                if (values.Count == 0 || original is not int o)
                    continue;
                var gap = values.Count > 1 ? values.Zip(values.Skip(1), (a, z) => z - a).Min() : 0.5;
                var x0 = values[0] - gap;
                var rows = values.Select(v => Find(s, t, method, "first", v)!.Value).ToList();
                var symbol = restriction == "RM" ? "M̄" : "M";
                var figure = new Figure(c.Labels.Format("figure.sensitivity", c.Variable(t), symbol), symbol, c.Labels["axis.sensitivity"],
                    [Series(c.Labels["sensitivity.original"], s, [o], [x0]), Series(Method(c, method), s, rows, values)],
                    [], [new ReferenceLine(0, "0")], 820, 440)
                {
                    XTicks = [new AxisTick(x0, c.Labels["sensitivity.original"]), .. values.Select(v => new AxisTick(v, Number(v)))],
                };
                yield return new FigureBlock(new ReportFigure("figure-sensitivity-" + restriction.ToLowerInvariant() + "-" + t, "", figure.Title,
                    c.Labels["caption.sensitivity"], ReportDatasets.Sensitivity.Key, figure));
            }
        }
    }

    private static FigureSeries Series(string label, Frame s, IReadOnlyList<int> rows, IReadOnlyList<double> x) =>
        new(label, SeriesStyle.ErrorBars, [.. x], [.. rows.Select(i => Mid(s.Doubles("lb")[i], s.Doubles("ub")[i]))],
            [.. rows.Select(i => s.Doubles("lb")[i])], [.. rows.Select(i => s.Doubles("ub")[i])]);

    /// <summary>The point drawn inside a set: its midpoint, or its finite end when the set is open on one side.</summary>
    private static double Mid(double lb, double ub) => double.IsFinite(lb) && double.IsFinite(ub) ? 0.5 * (lb + ub) : double.IsFinite(lb) ? lb : ub;

    private static List<string> Treatments(Frame s) => [.. s.Strings("treatment").Distinct().Select(t => t ?? "")];

    private static List<double> Values(Frame s, string treatment, string method) =>
        [.. Enumerable.Range(0, s.RowCount).Where(i => s.Strings("treatment")[i] == treatment && s.Strings("method")[i] == method)
            .Select(i => s.Doubles("value")[i]).Distinct().Order()];

    private static int? Find(Frame s, string treatment, string method, string target, double value)
    {
        for (var i = 0; i < s.RowCount; i++)
        {
            var v = s.Doubles("value")[i];
            if (s.Strings("treatment")[i] == treatment && s.Strings("method")[i] == method && s.Strings("target")[i] == target
                && (double.IsNaN(value) ? double.IsNaN(v) : v == value))
                return i;
        }
        return null;
    }

    private static string Method(ReportContext c, string method) => c.Labels["sensitivity." + method];

    private static string Parameter(string restriction, double value) =>
        restriction.Length == 0 ? "" : (restriction == "RM" ? "M̄ = " : "M = ") + Number(value);

    private static string Interval(ReportContext c, Frame s, int? row) => row is not int i ? ""
        : "[" + Bound(c, s.Doubles("lb")[i]) + ", " + Bound(c, s.Doubles("ub")[i]) + "]";

    private static string Bound(ReportContext c, double value) =>
        double.IsPositiveInfinity(value) ? "+∞" : double.IsNegativeInfinity(value) ? "−∞" : c.Layout.Number(value);

    private static string Breakdown(Frame b, string treatment, string restriction, string target)
    {
        var i = Enumerable.Range(0, b.RowCount).FirstOrDefault(r => b.Strings("treatment")[r] == treatment
            && b.Strings("restriction")[r] == restriction && b.Strings("target")[r] == target, -1);
        return i < 0 ? "" : double.IsPositiveInfinity(b.Doubles("breakdown")[i]) ? "∞" : Number(b.Doubles("breakdown")[i]);
    }

    /// <summary>A grid value or breakdown: up to four significant digits (M is in index units, M̄ a ratio).</summary>
    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
