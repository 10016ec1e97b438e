using System.Text;
using NQPF.Stages.Common;
using ScottPlot;

namespace NQPF.Pipeline.Figures;

/// <summary>
/// Renders <see cref="Figure"/>s headless with ScottPlot 5 (Skia): lines, markers, error bars drawn as vertical
/// segments from low to high, reference lines, named x ticks, legend below the plot. Series take the colour-blind-safe
/// Okabe–Ito palette in order, so an estimator keeps its colour across figures. The same plot gives the PNG and the SVG.
/// Text that the default font cannot draw (Chinese labels) switches the figure to an installed font that can (<see cref="FontFor"/>).
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
        if (FontFor(Texts(figure)) is { } font)
            UseFont(plot, font);
        return plot;
    }

    /// <summary>
    /// <paramref name="font"/> for the title, axis labels, tick labels and legend of this plot only (ScottPlot's
    /// Font.Set also changes the process-wide default, which would leak into every later figure).
    /// </summary>
    private static void UseFont(Plot plot, string font)
    {
        plot.Axes.Title.Label.FontName = font;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = font;
            axis.TickLabelStyle.FontName = font;
        }
        plot.Legend.FontName = font;
    }

    private static string Texts(Figure figure) => string.Concat([figure.Title, figure.XLabel, figure.YLabel,
        .. figure.Series.Select(s => s.Label), .. figure.VerticalLines.Concat(figure.HorizontalLines).Select(l => l.Label),
        .. figure.XTicks?.Select(t => t.Label) ?? []]);

    /// <summary>
    /// A font with a glyph for every character of <paramref name="text"/> when ScottPlot's default lacks some (Chinese
    /// labels would otherwise be drawn as empty boxes): ScottPlot's own detection (Skia's font manager), then the CJK
    /// families Debian installs (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei). One font for the whole figure,
    /// so Latin and Chinese text match. Null when the default has every glyph, or when no installed font has them
    /// (the boxes then show what to install; .ci/run installs fonts-wqy-microhei).
    /// </summary>
    internal static string? FontFor(string text)
    {
        var characters = new string([.. text.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && !char.IsSurrogate(c))]);
        if (HasGlyphs(Fonts.Default, characters))
            return null;
        return new[] { Fonts.Detect(characters), "Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC" }
            .FirstOrDefault(f => HasGlyphs(f, characters));
    }

    private static bool HasGlyphs(string family, string characters)
    {
        // Not disposed: SkiaSharp hands out one managed object per native typeface, which ScottPlot caches and draws with.
        var typeface = SkiaSharp.SKTypeface.FromFamilyName(family);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)
            && typeface.ContainsGlyphs(characters);
    }
}
