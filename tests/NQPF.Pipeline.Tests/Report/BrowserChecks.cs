using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>Assertions on a report as Chromium rendered it.</summary>
internal static class BrowserChecks
{
    public static readonly string[] Sections =
        ["findings", "variables", "baseline", "event", "robustness", "mechanisms", "heterogeneity", "quality", "cohorts", "settings", "hashes"];

    /// <summary>Regression tables of the estimate stage, which also carry the controls row.</summary>
    private static readonly HashSet<string> EstimateStageTables = ["table-baseline", "table-single-dual", "table-order", "table-mechanisms"];

    /// <summary>The staggered estimators' ATTs side by side: Callaway &amp; Sant'Anna, Sun &amp; Abraham and BJS have no R².</summary>
    private const string StaggeredTable = "table-staggered";

    /// <summary>
    /// No console message (the page has no script); the scorecard is the first content after the title; every
    /// regression table has "(1) … (k)" as its first header row and City FE, Year FE and N rows, every one but the
    /// staggered estimators' also R², within R² and clusters, those of the estimate stage also controls; no table is
    /// wider than the 1280 px viewport; figures are inline SVG; the PDF has
    /// pages and the smallest text is readable.
    /// </summary>
    public static void AssertPublicationLayout(RenderedReport report, int minimumFigures)
    {
        Assert.Empty(report.Console);
        Assert.Equal("table-scorecard", report.FirstContentId);
        foreach (var table in report.Tables.Where(t => t.Kind == "regression"))
        {
            var numbers = table.Header[0].Skip(1).ToArray();
            Assert.True(numbers.Length > 0, $"{table.Id} has no model columns");
            Assert.Equal(Enumerable.Range(1, numbers.Length).Select(i => $"({i})"), numbers);
            Assert.Superset(new HashSet<string> { "City FE", "Year FE", "N" }, table.RowLabels.ToHashSet());
            if (table.Id != StaggeredTable)
                Assert.Superset(new HashSet<string> { "R²", "Within R²", "Clusters" }, table.RowLabels.ToHashSet());
            if (EstimateStageTables.Contains(table.Id) || table.Id.StartsWith("table-heterogeneity-", StringComparison.Ordinal))
                Assert.Contains("Controls", table.RowLabels);
        }
        Assert.All(report.Tables, t => Assert.True(t.Width <= 1280, $"{t.Id} is {t.Width:F0} px wide"));
        Assert.True(report.Figures >= minimumFigures, $"{report.Figures} figures, expected at least {minimumFigures}");
        Assert.Equal(report.Figures, report.FiguresWithSvg);
        Assert.True(report.PdfPages >= 2, $"the PDF has {report.PdfPages} pages");
        // The widest table, printed: measured (not 0) and within the printable width of an A4 landscape page.
        Assert.InRange(report.WidestPrintedTable, 300, ReportBrowser.PrintableWidthPx);
        Assert.True(report.SmallestFontPx >= 9, $"smallest text is {report.SmallestFontPx} px");
    }
}
