using System.Text;
using NQPF.Stages.Common;
using ScottPlot;

namespace NQPF.Pipeline.Figures;

/// <summary>
/// Renders <see cref="Figure"/>s headless with ScottPlot 5 (Skia): lines, markers, error bars drawn as vertical
/// segments from low to high, reference lines, named x ticks, legend below the plot. Series take the colour-blind-safe
/// Okabe–Ito palette in order, so an estimator keeps its colour across figures. The same plot gives the PNG and the SVG.
/// </summary>
internal sealed class ScottPlotFigureRenderer : IFigureRenderer
{
    /// <summary>Reference lines (zero, treatment start, the real estimate) in dark grey, apart from the series' colours.</summary>
    private const string ReferenceColour = "#555555";

    private static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    public byte[] Png(Figure figure) => Build(figure).GetImageBytes(figure.Width, figure.Height, ImageFormat.Png);

    public byte[] Svg(Figure figure) => Encoding.UTF8.GetBytes(Build(figure).GetSvgXml(figure.Width, figure.Height));

    private static Plot Build(Figure figure)
    {
        var plot = new Plot();
        plot.Title(figure.Title);
        plot.XLabel(figure.XLabel);
        plot.YLabel(figure.YLabel);
        for (var s = 0; s < figure.Series.Count; s++)
        {
            var series = figure.Series[s];
            if (series.X.Length == 0) continue;
            var scatter = plot.Add.Scatter(series.X, series.Y);
            scatter.Color = Color.FromHex(Palette[s % Palette.Length]);
            scatter.LegendText = series.Label;
            if (series.Style == SeriesStyle.Line)
            {
                scatter.MarkerSize = 0;
                scatter.LineWidth = 2;
            }
            else
            {
                scatter.LineWidth = 0;
                scatter.MarkerSize = series.Style == SeriesStyle.ErrorBars ? 7 : 4;
            }
            if (series.Style == SeriesStyle.ErrorBars && series.Low is { } low && series.High is { } high)
            {
                for (var i = 0; i < series.X.Length; i++)
                {
                    if (!double.IsFinite(low[i]) || !double.IsFinite(high[i])) continue;
                    var bar = plot.Add.Line(series.X[i], low[i], series.X[i], high[i]);
                    bar.Color = scatter.Color;
                    bar.LineWidth = 1.5f;
                }
            }
        }
        foreach (var v in figure.VerticalLines)
        {
            var line = plot.Add.VerticalLine(v.At);
            line.LegendText = v.Label;
            line.Color = Color.FromHex(ReferenceColour);
            line.LinePattern = v.Dashed ? LinePattern.Dashed : LinePattern.Solid;
        }
        foreach (var h in figure.HorizontalLines)
        {
            var line = plot.Add.HorizontalLine(h.At);
            line.LegendText = h.Label;
            line.Color = Color.FromHex(ReferenceColour);
            line.LinePattern = h.Dashed ? LinePattern.Dashed : LinePattern.Solid;
        }
        if (figure.XTicks is { Count: > 0 } ticks)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(t => t.At)], [.. ticks.Select(t => t.Label)]);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
