using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>One default-data run (the shipped simulated yearbooks) up to the report, shared by the tests below.</summary>
public sealed class DefaultReportRun : IAsyncLifetime
{
    /// <summary>Fewer draws than the defaults: the verdicts rest on the estimates, not on the draw counts.</summary>
    private static readonly Dictionary<string, string?> Faster = new()
    {
        ["Robustness:Placebo:Draws"] = "200", ["Robustness:Staggered:BootstrapDraws"] = "199",
        ["Estimate:PermutationDraws"] = "199", ["Estimate:BootstrapDraws"] = "99",
    };

    internal DefaultDataRun Run { get; private set; } = null!;

    public string ReportDir => Path.Combine(Directory.GetDirectories(Path.Combine(Run.ProcessedDir, "runs")).Single(), "report");

    public async Task InitializeAsync() => Run = await DefaultDataRun.StartAsync("report", Faster);

    public Task DisposeAsync()
    {
        Run.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The report of the default data: the scorecard's verdicts against the planted truth, and the page in Chromium.</summary>
public sealed class DefaultReportTests(DefaultReportRun fixture) : IClassFixture<DefaultReportRun>
{
    private async Task<PrintedReport> ReportAsync()
    {
        Assert.True(fixture.Run.ExitCode == 0, fixture.Run.Errors);
        var frames = new Dictionary<string, NQPF.Stages.Frame>(StringComparer.Ordinal);
        foreach (var name in new[] { "meta", "sections", "blocks", "tables", "cells", "notes", "rules", "links", "figures" })
            frames[name] = await fixture.Run.TableAsync("07-report", name);
        return PrintedReport.Read(frames);
    }

    [Fact]
    public async Task Scorecard_DefaultData_ReportsSevenClaimsWithVerdictsTruthAndTableLinks()
    {
        var report = await ReportAsync();

        var scorecard = report.Tables.First();
        Assert.Equal(ReportTableKind.Scorecard, scorecard.Kind);
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], scorecard.Rows.Select(r => r[0]));
        Assert.Equal(7, scorecard.Links.Count);
        Assert.All(scorecard.Rows, r => Assert.Matches(@"^Table \d+$", r[6]));
        // Every verdict equals the planted truth's (config/truth, all seven supported); the default data are one draw of a
        // design whose power per claim docs/power.md gives (claim 7, five interactions on 32 dual cities, the lowest).
        Assert.All(scorecard.Rows, r => Assert.Equal(("supported", "(truth: supported)"), (r[2], r[7][(r[7].IndexOf('(', StringComparison.Ordinal))..])));
        var findings = string.Join("\n", report.Sections[0].Blocks.Select(b => b.Text));
        Assert.Contains("Verdicts agreeing with the planted truth: 7 of 7.", findings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_DefaultData_InChromiumHasScorecardFirstPublicationTablesAndPrintsToPdf()
    {
        var html = Path.Combine(fixture.ReportDir, "index.html");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "report-default-screenshot.png");

        var rendered = await ReportBrowser.LoadAsync(html, screenshot);

        // Event study, placebo and Goodman-Bacon figures and the HonestDiD plots (against M̄ and M) per pilot, and heterogeneity.
        BrowserChecks.AssertPublicationLayout(rendered, minimumFigures: 11);
        Assert.True(rendered.Tables.Count(t => t.Kind == "regression") >= 12);
        Assert.All(new[] { "table-sensitivity-bb", "table-sensitivity-cl" }, id => Assert.Contains(rendered.Tables, t => t.Id == id));
        Assert.Contains("Wild bootstrap p", rendered.Tables.Single(t => t.Id == "table-inference").RowLabels);
        Assert.True(File.Exists(Path.Combine(fixture.ReportDir, "report.pdf")));
        Assert.InRange(rendered.PdfPages, 8, 120);
        var report = await ReportAsync();
        Assert.All(BrowserChecks.Sections, s => Assert.Contains(report.Sections, x => x.Id == s));
    }
}
