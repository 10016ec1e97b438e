using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Stages.Report;

namespace NQPF.Stages.Tests.Report;

public sealed class ReportStageTests
{
    private static StageResult Run(Dictionary<string, Frame> inputs, Dictionary<string, Frame>? previous = null, ReportOptions? options = null) =>
        new ReportStage(options ?? new ReportOptions()).Run(
            new StageContext(inputs, [], new Progress<StageProgress>(), NullLogger.Instance)
            {
                Previous = previous ?? [],
                PreviousRunId = previous is null ? null : "20260101T000000Z-abcdef",
            }, CancellationToken.None);

    private static string Html(StageResult result) =>
        Encoding.UTF8.GetString(result.Documents.Single(d => d.RelativePath == "index.html").Content);

    [Fact]
    public void Run_FullRun_RendersEverySectionFigureAndTheSimulatedBanner()
    {
        var result = Run(ReportFixtures.FullRun());
        var html = Html(result);

        foreach (var section in new[] { "data", "cohorts", "index", "baseline", "mechanisms", "heterogeneity", "robustness", "figures", "settings" })
            Assert.Contains($"data-section=\"{section}\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"simulated-banner\"", html, StringComparison.Ordinal);
        Assert.Contains("figure-event-study-estimate-event-study", html, StringComparison.Ordinal);
        Assert.Contains("figure-placebo-bb---unit", html, StringComparison.Ordinal);
        Assert.Contains("figure-bacon-estimate-bacon", html, StringComparison.Ordinal);
        // The placebo figure overlays the kernel density (a line) on the density histogram; estimators are compared
        // from the table with an estimator column and no event time.
        var placebo = System.Text.RegularExpressions.Regex.Match(html, "<figure class=\"chart\" id=\"figure-placebo-bb---unit\".*?</figure>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("kernel density", placebo, StringComparison.Ordinal);
        Assert.Contains("<polyline", placebo, StringComparison.Ordinal);
        Assert.Contains("figure-comparison-robustness-staggered-summary", html, StringComparison.Ordinal);
        Assert.Contains("2 cities, years 2011–2012", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, result.Tables["diff_files"].RowCount);
    }

    [Fact]
    public void Run_OnlyIngestAndClean_SaysWhichSectionsWaitForTheirStage()
    {
        var inputs = new Dictionary<string, Frame>
        {
            ["run/raw_files"] = ReportFixtures.RawFiles(("2011.csv", "aa")),
            ["clean/panel"] = ReportFixtures.Panel(2011, 2011, "110000"),
        };

        var result = Run(inputs);

        var sections = result.Tables["sections"];
        var status = Enumerable.Range(0, sections.RowCount).ToDictionary(i => sections.Strings("section")[i]!, i => sections.Strings("status")[i]);
        Assert.Equal("ok", status["data"]);
        Assert.Equal("missing", status["robustness"]);
        Assert.Contains("The estimate stage has not produced tables in this run yet", Html(result), StringComparison.Ordinal);
        Assert.DoesNotContain("simulated-banner", Html(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PreviousRunWithOtherRawData_AddsTheWhatChangedSection()
    {
        var previous = ReportFixtures.FullRun();
        previous["run/raw_files"] = ReportFixtures.RawFiles(("2011.csv", "aa"));
        previous["estimate/baseline"] = ReportFixtures.Estimates(("(1)", "bb", 0.02, 0.01, 0.04));

        var result = Run(ReportFixtures.FullRun(), previous);

        var html = Html(result);
        Assert.Contains("data-section=\"diff\"", html, StringComparison.Ordinal);
        Assert.Contains("20260101T000000Z-abcdef", html, StringComparison.Ordinal);
        Assert.Equal(["2012.xlsx", "SIMULATED.md"], result.Tables["diff_files"].Strings("path").Cast<string>());
        var estimates = result.Tables["diff_estimates"];
        var row = Array.IndexOf(estimates.Strings("key"), "specification=(1); treatment=bb");
        Assert.Equal(3.0, estimates.Doubles("change_in_se")[row], 1e-12);
    }

    [Fact]
    public void Run_Cells_HoldEveryPrintedTableWithItsHeader()
    {
        var result = Run(ReportFixtures.FullRun());

        var tables = result.Tables["tables"];
        var cells = result.Tables["cells"];
        var baseline = Array.IndexOf(tables.Strings("source"), "estimate/baseline");
        var id = tables.Strings("table_id")[baseline];
        var count = Enumerable.Range(0, cells.RowCount).Count(i => cells.Strings("table_id")[i] == id);
        Assert.Equal((tables.Longs("rows")[baseline] + 1) * tables.Longs("cols")[baseline], count);
    }
}
