using System.Globalization;
using System.Text.RegularExpressions;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>One default-data run (the shipped simulated yearbooks) up to the report, shared by the tests below.</summary>
public sealed class DefaultReportRun : IAsyncLifetime
{
    /// <summary>Fewer draws than the defaults: the verdicts rest on the estimates, not on the draw counts.</summary>
    internal static readonly Dictionary<string, string?> Faster = new()
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

    // The power verb runs the stages in process, without the runner: on the committed seed its verdicts and estimates
    // must be the report's (claims 1 and 2: the pilot's coefficient; 7: its weakest part, as the scorecard shows it).
    /// <summary>The run's own summary says the data are simulated, as the report's banner does, right under the report's path.</summary>
    [Fact]
    public void RunSummary_DefaultData_EndsWithTheReportAndSaysTheDataAreSimulated()
    {
        var lines = fixture.Run.Output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Matches(@"^Report: .*index\.html$", lines[^2]);
        Assert.Equal("The raw folder holds SIMULATED.md: the data are simulated, so every number in the report describes synthetic cities, not China.", lines[^1]);
    }

    [Fact]
    public async Task Power_CommittedSeed_JudgesEveryClaimAsTheReportDoes()
    {
        var scorecard = (await ReportAsync()).Tables.First();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["power", "--seeds", "1", "--first-seed", "20250101"],
            DefaultDataRun.Settings(Path.Combine(fixture.Run.ProcessedDir, "power"), DefaultReportRun.Faster), output, error);

        Assert.True(code == 0, error.ToString());
        var lines = output.ToString().Split('\n');
        var claims = lines.Where(l => Regex.IsMatch(l, @"^\| \d\. ")).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(7, claims.Count);
        for (var i = 0; i < 7; i++)
            Assert.Equal(scorecard.Rows[i][2] == "supported" ? "1" : "0", claims[i][5]);
        string Part(string prefix) => Math.Round(double.Parse(lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Split('|', StringSplitOptions.TrimEntries)[4], CultureInfo.InvariantCulture), 4).ToString("F4", CultureInfo.InvariantCulture);
        Assert.StartsWith(Part("| 1 | bb |") + " [", scorecard.Rows[0][3], StringComparison.Ordinal);
        Assert.StartsWith(Part("| 2 | cl |") + " [", scorecard.Rows[1][3], StringComparison.Ordinal);
        Assert.Contains(Part("| 7 | dual × target_hard |") + " [", scorecard.Rows[6][3], StringComparison.Ordinal);
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
