using System.Globalization;
using System.Net;
using System.Text;

namespace NQPF.Stages.Report;

/// <summary>How a chart series is drawn.</summary>
internal enum ChartKind
{
    Points,
    Line,
    /// <summary>Points with vertical bars from Low to High (confidence intervals).</summary>
    ErrorBars,
    /// <summary>Bars centred on X, of the given width, from 0 to Y (histograms).</summary>
    Bars,
}

/// <summary>One series of a chart.</summary>
internal sealed record ChartSeries(string Label, ChartKind Kind, double[] X, double[] Y,
    double[]? Low = null, double[]? High = null, double BarWidth = 0);

/// <summary>A reference line (vertical at x, or horizontal at y) with its label.</summary>
internal sealed record ChartLine(double At, string Label);

/// <summary>A chart as data; <see cref="SvgChart.Render"/> draws it.</summary>
internal sealed record Chart(string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<ChartLine> Vertical, IReadOnlyList<ChartLine> Horizontal);

/// <summary>
/// Draws a <see cref="Chart"/> as a self-contained SVG element (no fonts, scripts or links to fetch): axes with "nice"
/// ticks, series in a fixed colour-blind-safe palette (Okabe–Ito), dashed reference lines and a legend.
/// Non-finite points are skipped; a chart with no finite point draws empty axes over [0, 1].
/// </summary>
internal static class SvgChart
{
    private const double Width = 720, Height = 400, Left = 70, Right = 20, Top = 20, Bottom = 70;
    private static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    public static string Render(Chart chart)
    {
        var (xMin, xMax) = Range(chart.Series.SelectMany(s => s.Kind == ChartKind.Bars
            ? s.X.SelectMany(x => new[] { x - s.BarWidth / 2, x + s.BarWidth / 2 }) : s.X).Concat(chart.Vertical.Select(v => v.At)), pad: true);
        var (yMin, yMax) = Range(chart.Series.SelectMany(s => s.Y.Concat(s.Low ?? []).Concat(s.High ?? []))
            .Concat(chart.Horizontal.Select(h => h.At)).Concat(chart.Series.Any(s => s.Kind == ChartKind.Bars) ? [0.0] : []), pad: true);
        double Px(double x) => Left + (x - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fff\" stroke=\"#444\"/>"));
        foreach (var tick in Ticks(xMin, xMax))
        {
            svg.Append(F($"<line x1=\"{Px(tick)}\" y1=\"{Height - Bottom}\" x2=\"{Px(tick)}\" y2=\"{Height - Bottom + 5}\" stroke=\"#444\"/>"));
            svg.Append(F($"<text x=\"{Px(tick)}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Label(tick)}</text>"));
        }
        foreach (var tick in Ticks(yMin, yMax))
        {
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{Py(tick)}\" x2=\"{Width - Right}\" y2=\"{Py(tick)}\" stroke=\"#eee\"/>"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{Py(tick) + 4}\" text-anchor=\"end\">{Label(tick)}</text>"));
        }
        svg.Append(F($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - Bottom + 38}\" text-anchor=\"middle\">{Esc(chart.XLabel)}</text>"));
        svg.Append(F($"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(chart.YLabel)}</text>"));

        var legend = new List<(string Label, string Colour, bool Dashed)>();
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var colour = Palette[s % Palette.Length];
            legend.Add((series.Label, colour, false));
            var points = Enumerable.Range(0, series.X.Length)
                .Where(i => double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i])).ToList();
            switch (series.Kind)
            {
                case ChartKind.Bars:
                    foreach (var i in points)
                    {
                        var x0 = Px(series.X[i] - series.BarWidth / 2);
                        var x1 = Px(series.X[i] + series.BarWidth / 2);
                        var y0 = Py(Math.Max(0, series.Y[i]));
                        var y1 = Py(Math.Min(0, series.Y[i]));
                        svg.Append(F($"<rect x=\"{x0}\" y=\"{y0}\" width=\"{Math.Max(0.5, x1 - x0)}\" height=\"{Math.Max(0, y1 - y0)}\" fill=\"{colour}\" fill-opacity=\"0.6\" stroke=\"{colour}\"/>"));
                    }
                    break;
                case ChartKind.Line:
                    if (points.Count > 0)
                        svg.Append(F($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(i => F($"{Px(series.X[i])},{Py(series.Y[i])}")))}\"/>"));
                    break;
                default:
                    foreach (var i in points)
                    {
                        if (series.Kind == ChartKind.ErrorBars && series.Low is { } low && series.High is { } high
                            && double.IsFinite(low[i]) && double.IsFinite(high[i]))
                            svg.Append(F($"<line x1=\"{Px(series.X[i])}\" y1=\"{Py(low[i])}\" x2=\"{Px(series.X[i])}\" y2=\"{Py(high[i])}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"));
                        svg.Append(F($"<circle cx=\"{Px(series.X[i])}\" cy=\"{Py(series.Y[i])}\" r=\"3.5\" fill=\"{colour}\"/>"));
                    }
                    break;
            }
        }
        foreach (var v in chart.Vertical)
        {
            svg.Append(F($"<line x1=\"{Px(v.At)}\" y1=\"{Top}\" x2=\"{Px(v.At)}\" y2=\"{Height - Bottom}\" stroke=\"#B22222\" stroke-dasharray=\"5 4\"/>"));
            legend.Add((v.Label, "#B22222", true));
        }
        foreach (var h in chart.Horizontal)
        {
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{Py(h.At)}\" x2=\"{Width - Right}\" y2=\"{Py(h.At)}\" stroke=\"#666\" stroke-dasharray=\"3 3\"/>"));
            legend.Add((h.Label, "#666", true));
        }
        var lx = Left;
        foreach (var (label, colour, dashed) in legend.Take(8))
        {
            var y = Height - 12;
            svg.Append(dashed
                ? F($"<line x1=\"{lx}\" y1=\"{y - 4}\" x2=\"{lx + 16}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-dasharray=\"4 3\"/>")
                : F($"<rect x=\"{lx}\" y=\"{y - 9}\" width=\"12\" height=\"10\" fill=\"{colour}\"/>"));
            svg.Append(F($"<text x=\"{lx + 20}\" y=\"{y}\">{Esc(label)}</text>"));
            lx += 30 + 7 * label.Length;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Finite min and max, widened by 5 % (or to ±0.5 around a single value; [0, 1] when there is nothing).</summary>
    private static (double Min, double Max) Range(IEnumerable<double> values, bool pad)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
            return (0, 1);
        var (min, max) = (finite.Min(), finite.Max());
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
            return (min - 0.5, max + 0.5);
        var margin = pad ? (max - min) * 0.05 : 0;
        return (min - margin, max + margin);
    }

    /// <summary>Ticks at 1, 2 or 5 × 10^k spacing, about six across [min, max].</summary>
    internal static IReadOnlyList<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks;
    }

    private static string Label(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
