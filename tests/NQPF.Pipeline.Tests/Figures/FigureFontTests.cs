using NQPF.Pipeline.Figures;
using NQPF.Stages.Common;
using SkiaSharp;

namespace NQPF.Pipeline.Tests.Figures;

/// <summary>
/// Chinese labels in the PNG figures: the renderer switches to an installed font that has the glyphs (Debian's
/// fonts-wqy-microhei or fonts-noto-cjk, which .ci/run installs), so the labels are drawn as characters, not empty boxes.
/// </summary>
public sealed class FigureFontTests
{
    private const string Chinese = "新质生产力指数";

    [Fact]
    public void FontFor_ChineseText_ChoosesAnInstalledFontWithEveryGlyph()
    {
        var font = ScottPlotFigureRenderer.FontFor("事件研究：" + Chinese + " (95%)");

        Assert.True(font is not null, "no installed font has Chinese glyphs: install fonts-wqy-microhei or fonts-noto-cjk (.ci/run does)");
        var typeface = SKTypeface.FromFamilyName(font);
        Assert.True(typeface.ContainsGlyphs("事件研究：" + Chinese), font);
        Assert.Null(ScottPlotFigureRenderer.FontFor("Event study: Broadband China (95%)"));
    }

    // Two figures that differ only in their Chinese title: drawn with glyphs they differ in many pixels; drawn as the
    // missing-glyph box (the same box for every character) they would be identical.
    [Fact]
    public void Png_ChineseTitles_DrawsDistinctGlyphsNotBoxes()
    {
        var renderer = new ScottPlotFigureRenderer();

        var differing = DifferingPixels(renderer.Png(Plot(Chinese)), renderer.Png(Plot("宽带中国试点城")));

        Assert.True(differing > 200, $"{differing} pixels differ between two different Chinese titles");
        // The choice is per figure: ScottPlot's process-wide default font is left as it was.
        Assert.Null(ScottPlotFigureRenderer.FontFor("Event study"));
        Assert.NotNull(ScottPlotFigureRenderer.FontFor(Chinese));
    }

    private static Figure Plot(string title) => new(title, "相对政策实施年份", "效应",
        [new FigureSeries("估计", SeriesStyle.Line, [0, 1, 2], [0, 1, 0.5])], [], [], 600, 400);

    /// <summary>Pixels that differ between two PNGs, over the area both cover.</summary>
    internal static int DifferingPixels(byte[] firstPng, byte[] secondPng)
    {
        using var first = Decode(firstPng);
        using var second = Decode(secondPng);
        var differing = 0;
        for (var y = 0; y < Math.Min(first.Height, second.Height); y++)
            for (var x = 0; x < Math.Min(first.Width, second.Width); x++)
                differing += first.GetPixel(x, y) == second.GetPixel(x, y) ? 0 : 1;
        return differing;
    }

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG");
}
