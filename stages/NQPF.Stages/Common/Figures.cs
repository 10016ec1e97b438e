namespace NQPF.Stages.Common;

/// <summary>How a series is drawn.</summary>
internal enum SeriesStyle
{
    /// <summary>Points joined by a line.</summary>
    Line,
    /// <summary>Markers only.</summary>
    Markers,
    /// <summary>Markers with vertical error bars from <see cref="FigureSeries.Low"/> to <see cref="FigureSeries.High"/>.</summary>
    ErrorBars,
}

/// <summary>One data series of a figure.</summary>
internal sealed record FigureSeries(string Label, SeriesStyle Style, double[] X, double[] Y, double[]? Low = null, double[]? High = null);

/// <summary>A reference line at x (vertical) or y (horizontal), with a legend label.</summary>
internal sealed record ReferenceLine(double At, string Label, bool Dashed = true);

/// <summary>A plot described as data; <see cref="IFigureRenderer"/> turns it into files.</summary>
internal sealed record Figure(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<FigureSeries> Series,
    IReadOnlyList<ReferenceLine> VerticalLines,
    IReadOnlyList<ReferenceLine> HorizontalLines,
    int Width = 800,
    int Height = 500)
{
    /// <summary>Named ticks on the x axis (categories, e.g. groupings of a coefficient plot); null: numeric ticks.</summary>
    public IReadOnlyList<AxisTick>? XTicks { get; init; }
}

/// <summary>A labelled tick at a position on an axis.</summary>
internal sealed record AxisTick(double At, string Label);

/// <summary>
/// Renders figures (implemented in the pipeline with ScottPlot and injected into stages, like <see cref="ISheetReader"/>,
/// so a stage stays free of drawing libraries and returns the bytes as <see cref="StageDocument"/>s).
/// </summary>
internal interface IFigureRenderer
{
    byte[] Png(Figure figure);

    /// <summary>The figure as SVG text (UTF-8 bytes).</summary>
    byte[] Svg(Figure figure);
}
