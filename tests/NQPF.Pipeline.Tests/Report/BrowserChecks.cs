using System.Text.RegularExpressions;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>Assertions on a report as Chromium rendered it.</summary>
internal static partial class BrowserChecks
{
    public static readonly string[] Sections =
        ["data", "cohorts", "index", "baseline", "mechanisms", "heterogeneity", "robustness", "figures", "settings"];

    /// <summary>
    /// No console message at all (errors, warnings or logs: the page has no script), every expected section present
    /// with content after its heading, every figure an SVG with drawn marks, and a screenshot that is not blank.
    /// </summary>
    public static void AssertRendered(BrowserLoad load, IEnumerable<string> sections, int minimumFigures)
    {
        Assert.Empty(load.ConsoleMessages);
        foreach (var id in sections)
        {
            var match = Regex.Match(load.Dom, $"<section[^>]*data-section=\"{id}\"[^>]*>(.*?)</section>", RegexOptions.Singleline);
            Assert.True(match.Success, $"section '{id}' is missing from the rendered DOM");
            var body = Regex.Replace(match.Groups[1].Value, "<h2>.*?</h2>", "", RegexOptions.Singleline);
            Assert.True(Regex.Replace(body, "<[^>]+>", "").Trim().Length > 0, $"section '{id}' is empty");
        }
        var figures = FigurePattern().Matches(load.Dom);
        Assert.True(figures.Count >= minimumFigures, $"{figures.Count} figures rendered, expected at least {minimumFigures}");
        foreach (Match figure in figures)
        {
            Assert.Contains("<svg", figure.Value, StringComparison.Ordinal);
            Assert.Matches("<(circle|polyline)|<rect[^>]*fill-opacity", figure.Value);
        }
        var png = File.ReadAllBytes(load.Screenshot);
        Assert.True(png.Length > 20_000, $"screenshot {load.Screenshot} has only {png.Length} bytes");
        Assert.Equal(0x89, png[0]);
    }

    [GeneratedRegex("<figure class=\"chart\".*?</figure>", RegexOptions.Singleline)]
    private static partial Regex FigurePattern();
}
