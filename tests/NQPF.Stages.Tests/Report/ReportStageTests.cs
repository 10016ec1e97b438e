using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Stages.Common;
using NQPF.Stages.Report;
using NQPF.Stages.Tests.Robustness;

namespace NQPF.Stages.Tests.Report;

public sealed class ReportStageTests
{
    internal static StageResult Run(Dictionary<string, Frame> inputs, Dictionary<string, Frame>? previous = null, ReportOptions? options = null,
        bool truth = true) =>
        new ReportStage(options ?? new ReportOptions(), new RecordingRenderer()).Run(
            new StageContext(inputs, ReportFixtures.Sources(truth), new Progress<StageProgress>(), NullLogger.Instance)
            {
                Config = new ConfigTables(ReportFixtures.Sources(truth), new PlainCsvReader()),
                Previous = previous ?? [],
                PreviousRunId = previous is null ? null : "20260101T000000Z-abcdef",
            }, CancellationToken.None);

    /// <summary>The figures of the full fixture run, as the renderer received them.</summary>
    private static IReadOnlyList<Figure> FullRunFigures()
    {
        var renderer = new RecordingRenderer();
        new ReportStage(new ReportOptions(), renderer).Run(
            new StageContext(ReportFixtures.FullRun(), ReportFixtures.Sources(), new Progress<StageProgress>(), NullLogger.Instance)
            {
                Config = new ConfigTables(ReportFixtures.Sources(), new PlainCsvReader()),
            }, CancellationToken.None);
        return renderer.Figures;
    }

    [Fact]
    public void Run_FullRun_PutsFindingsFirstThenThePapersSectionsThenTheAppendix()
    {
        var report = PrintedReport.Read(Run(ReportFixtures.FullRun()).Tables);

        Assert.Equal(["findings", "variables", "baseline", "event", "robustness", "mechanisms", "heterogeneity", "quality", "cohorts", "settings", "hashes"],
            report.Sections.Select(s => s.Id));
        Assert.Equal(ReportTableKind.Scorecard, report.Tables.First().Kind);
        Assert.True(report.Simulated);
        Assert.Equal(["Table 1", "Table 2", "Table 3"], report.Tables.Skip(1).Take(3).Select(t => t.Number));
        // Table 1 lists the regression variables of config/indicators.json: the outcome, the pilots, controls, mediators.
        var variables = report.Tables.Single(t => t.Id == "table-variables");
        Assert.Equal(["NQPF index", "Outcome"], variables.Rows[0].Take(2));
        Assert.Contains(variables.Rows, r => r[1] == "Control" && r[0] == "lnpgdp");
        Assert.Contains(variables.Rows, r => r[1] == "Mediator" && r[0] == "Economic agglomeration (agglomeration)");
        Assert.Equal("Table A1", report.Sections.Single(s => s.Id == "quality").Tables.First().Number);
        Assert.All(report.Sections.Where(s => s.Appendix), s => Assert.True(report.Sections.ToList().IndexOf(s) >= 7));
    }

    [Fact]
    public void Run_FullRun_RendersEveryFigureAsSvgAndPngFromOneModel()
    {
        var result = Run(ReportFixtures.FullRun());

        var figures = PrintedReport.Read(result.Tables).Figures.ToList();
        Assert.Equal(["figure-event-bb", "figure-event-cl", "figure-placebo-bb", "figure-placebo-cl", "figure-placebo-scatter-bb",
            "figure-placebo-scatter-cl", "figure-bacon-bb", "figure-bacon-cl",
            "figure-sensitivity-rm-bb", "figure-sensitivity-sd-bb", "figure-sensitivity-rm-cl", "figure-sensitivity-sd-cl", "figure-heterogeneity"], figures.Select(f => f.Id));
        Assert.Equal(["Figure 1", "Figure 2"], figures.Take(2).Select(f => f.Number));
        foreach (var figure in figures)
        {
            Assert.Contains(result.Documents, d => d.RelativePath == figure.SvgPath);
            Assert.Contains(result.Documents, d => d.RelativePath == figure.PngPath);
        }
    }

    // HonestDiD's table per pilot in the robustness section: the original CI first, then C-LF over M̄ and FLCI over M for
    // the first post period and the average, then the breakdown values (∞ where no M̄ on the search range reaches 0).
    [Fact]
    public void Run_Sensitivity_PrintsThePublicationTableInTheRobustnessSection()
    {
        var report = PrintedReport.Read(Run(ReportFixtures.FullRun()).Tables);

        var robustness = report.Sections.Single(s => s.Id == "robustness");
        var table = robustness.Tables.Single(t => t.Id == "table-sensitivity-bb");
        Assert.Equal(["Interval", "Restriction", "First post period (e = 0)", "Average of post periods"], table.Header[0]);
        Assert.Equal(["Original CI", "", "[0.0080, 0.0160]", "[0.0080, 0.0160]"], table.Rows[0]);
        Assert.Equal(["C-LF (relative magnitudes)", "M̄ = 1", "[-0.0020, 0.0260]", "[-0.0020, 0.0260]"], table.Rows[2]);
        Assert.Equal(["FLCI (smoothness)", "M = 0.002", "[-0.0030, 0.0270]", "[-0.0030, 0.0270]"], table.Rows[4]);
        Assert.Equal(["Breakdown value", "M̄", "0.75", "0.75"], table.Rows[5]);
        Assert.Equal(["Breakdown value", "M", "0.0015", "0.0015"], table.Rows[6]);
        Assert.Equal("∞", robustness.Tables.Single(t => t.Id == "table-sensitivity-cl").Rows[5][2]);
        Assert.Contains("HonestDiD", table.Notes[0], StringComparison.Ordinal);
    }

    // The sensitivity plot is drawn from the table through the report's one figure model: the original CI left of the
    // grid, then one interval per M̄, each the table's first-period set.
    [Fact]
    public void Run_Sensitivity_DrawsThePlotFromTheTableWithTheOriginalCiFirst()
    {
        var figure = FullRunFigures().Single(f => f.Title.Contains("Sensitivity", StringComparison.Ordinal) && f.Title.Contains("M̄", StringComparison.Ordinal)
            && f.Title.Contains("Broadband", StringComparison.Ordinal));
        Assert.Equal(["Original", "C-LF (relative magnitudes)"], figure.Series.Select(s => s.Label));
        Assert.Equal([0.0], figure.Series[0].X);
        Assert.Equal([0.5, 1.0], figure.Series[1].X);
        Assert.Equal([0.008], figure.Series[0].Low!);
        Assert.Equal([0.012 - 0.004 - 0.005, 0.012 - 0.004 - 0.01], figure.Series[1].Low!);
        Assert.Equal(["Original", "0.5", "1"], figure.XTicks!.Select(t => t.Label));
    }

    // The Bacon scatter comes from robustness/bacon: one marker series per comparison type (weight on x, 2×2 estimate on
    // y) and the TWFE estimate as a horizontal line, here the fixture's 0.8 × 0.02 + 0.2 × (−0.01) = 0.014.
    [Fact]
    public void Run_Bacon_DrawsOneSeriesPerComparisonTypeWithTheTwfeLine()
    {
        var figure = FullRunFigures().Single(f => f.Title == "Goodman-Bacon decomposition of the TWFE estimate: Broadband China");
        Assert.Equal(["Treated vs never treated", "Later vs earlier treated (already treated as controls)"], figure.Series.Select(s => s.Label));
        Assert.Equal([0.8], figure.Series[0].X);
        Assert.Equal([-0.01], figure.Series[1].Y);
        Assert.Equal(0.014, figure.HorizontalLines[0].At, 1e-12);
    }

    // The placebo scatter comes from robustness/placebo_draws: one marker series per randomisation (coefficient on x,
    // p-value on y), the real estimate as a vertical line and p = 0.1 as a horizontal one.
    [Fact]
    public void Run_PlaceboScatter_DrawsEachDrawsCoefficientAgainstItsP()
    {
        var figure = FullRunFigures().Single(f => f.Title == "Placebo coefficients and their p-values: Broadband China");
        var draws = ReportFixtures.PlaceboDraws();
        var unit = Enumerable.Range(0, draws.RowCount).Where(i => draws.Strings("treatment")[i] == "bb" && draws.Strings("kind")[i] == "unit").ToList();
        Assert.Equal(["units randomised", "timing randomised"], figure.Series.Select(s => s.Label));
        Assert.Equal(unit.Select(i => draws.Doubles("estimate")[i]), figure.Series[0].X);
        Assert.Equal(unit.Select(i => draws.Doubles("p")[i]), figure.Series[0].Y);
        Assert.Equal(SeriesStyle.Markers, figure.Series[0].Style);
        Assert.Equal(0.1, figure.HorizontalLines.Single().At);
        Assert.Equal(ReportFixtures.PlaceboSummary().Doubles("real_estimate")[0], figure.VerticalLines.Single().At);
    }

    [Theory]
    [InlineData(ReportLanguage.English, null, "Broadband China, innovative industrial clusters and new quality productive forces")]
    [InlineData(ReportLanguage.Chinese, null, "宽带中国、创新型产业集群试点与新质生产力")]
    [InlineData(ReportLanguage.Chinese, "My title", "My title")]
    public void Run_Title_IsTheCataloguesInTheReportLanguageUnlessConfigured(ReportLanguage language, string? title, string expected)
    {
        var report = PrintedReport.Read(Run(ReportFixtures.FullRun(), options: new ReportOptions { Language = language, Title = title }).Tables);

        Assert.Equal(expected, report.Title);
    }

    [Fact]
    public void Run_OnlyIngestAndClean_SaysWhichDatasetsTheTablesWaitFor()
    {
        var inputs = new Dictionary<string, Frame>
        {
            ["run/raw_files"] = ReportFixtures.RawFiles(("csy_2011.csv", "aa")),
            ["clean/panel"] = ReportFixtures.Panel(2011, 2011, "110000"),
        };

        var report = PrintedReport.Read(Run(inputs).Tables);

        var baseline = report.Sections.Single(s => s.Id == "baseline");
        Assert.Contains(baseline.Blocks, b => b.Style == "missing" && b.Text.Contains("estimate/baseline", StringComparison.Ordinal));
        Assert.False(report.Simulated);
        var scorecard = report.Tables.First();
        Assert.Contains("waiting for estimate/baseline", scorecard.Rows[0][2], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_IndicatorsWithoutWeights_ListedBelowTheIndicatorTableAsNotAvailable()
    {
        // The fixture's index/weights holds 2 of the 17 indicators of config/indicators.json: the other 15 were left
        // out of the index for want of data, and the indicator table says which.
        var table = PrintedReport.Read(Run(ReportFixtures.FullRun()).Tables).Tables.Single(t => t.Id == "table-indicators");

        var note = Assert.Single(table.Notes, n => n.StartsWith("Not available in the data", StringComparison.Ordinal));
        Assert.Contains("students_per_10k", note, StringComparison.Ordinal);
        Assert.Contains("garbage_treatment_rate", note, StringComparison.Ordinal);
        Assert.DoesNotContain("patents_per_10k", note, StringComparison.Ordinal);
        Assert.Equal(15, note[(note.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", ").Length);
    }

    [Fact]
    public void Run_EveryIndicatorWeighted_NoNotAvailableNote()
    {
        string[] all = ["students_per_10k", "research_share", "it_share", "avg_wage", "education_per_capita", "broadband_per_100",
            "mobile_per_100", "telecom_per_capita", "science_share", "electricity_intensity", "patents_per_10k", "tertiary_share",
            "so2_intensity", "wastewater_intensity", "solid_waste_util_rate", "green_coverage", "garbage_treatment_rate"];
        var inputs = ReportFixtures.FullRun();
        inputs["index/weights"] = new Frame(new StringColumn("indicator", [.. all]), new StringColumn("dimension", [.. all.Select(_ => (string?)"laborers")]),
            new StringColumn("direction", [.. all.Select(_ => (string?)"+")]), new DoubleColumn("weight", [.. all.Select(_ => 1.0 / all.Length)]));

        var table = PrintedReport.Read(Run(inputs).Tables).Tables.Single(t => t.Id == "table-indicators");

        Assert.DoesNotContain(table.Notes, n => n.StartsWith("Not available in the data", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_DatasetWithoutADeclaredColumn_FailsNamingDatasetColumnAndTable()
    {
        var inputs = ReportFixtures.FullRun();
        inputs["index/weights"] = new Frame(new StringColumn("indicator", ["x"]), new DoubleColumn("weight", [1]));

        var error = Assert.Throws<ReportInputException>(() => Run(inputs));

        Assert.Contains("index/weights", error.Message, StringComparison.Ordinal);
        Assert.Contains("dimension (string)", error.Message, StringComparison.Ordinal);
        Assert.Contains("table-indicators", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ColumnOfTheWrongType_FailsNamingTheExpectedType()
    {
        var inputs = ReportFixtures.FullRun();
        inputs["cohorts/summary"] = new Frame(new StringColumn("measure", ["m"]), new StringColumn("policy", [""]), new StringColumn("group", [""]),
            new StringColumn("value", ["275"]), new StringColumn("note", [""]));

        var error = Assert.Throws<ReportInputException>(() => Run(inputs));

        Assert.Contains("value (long)", error.Message, StringComparison.Ordinal);
        Assert.Contains("value (string)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PreviousRunWithOtherRawData_AddsTheWhatChangedSectionAfterTheFindings()
    {
        var previous = ReportFixtures.FullRun();
        previous["run/raw_files"] = ReportFixtures.RawFiles(("csy_2011.csv", "aa"));
        previous["robustness/psm_did"] = ReportFixtures.Estimates(("psm_nearest", "bb", 0.0076, 0.0013, 1e-8));

        var result = Run(ReportFixtures.FullRun(), previous);

        var report = PrintedReport.Read(result.Tables);
        Assert.Equal("diff", report.Sections[1].Id);
        Assert.Equal("20260101T000000Z-abcdef", report.PreviousRunId);
        Assert.Equal(["SIMULATED.md", "csy_2012.xlsx"], result.Tables["diff_files"].Strings("path").Cast<string>());
        var estimates = result.Tables["diff_estimates"];
        var row = Array.IndexOf(estimates.Strings("key"), "specification=psm_nearest; treatment=bb; outcome=nqpf");
        Assert.Equal((0.0116 - 0.0076) / 0.0013, estimates.Doubles("change_in_se")[row], 1e-9);
    }

    [Fact]
    public void Read_FramesOfTheModel_GiveBackEveryTableCellNoteRuleAndLink()
    {
        var model = new ReportBuilder(new ReportOptions()).Build(ReportFixtures.FullRun(), new Dictionary<string, Frame>(), null);

        var printed = PrintedReport.Read(ReportFrames.Build(model)).Tables.ToList();

        var original = model.Tables.ToList();
        Assert.Equal(original.Count, printed.Count);
        for (var t = 0; t < original.Count; t++)
        {
            Assert.Equal(original[t].Header, printed[t].Header);
            Assert.Equal(original[t].Rows, printed[t].Rows);
            Assert.Equal(original[t].Notes, printed[t].Notes);
            Assert.Equal(original[t].RulesBefore, printed[t].RulesBefore);
            Assert.Equal(original[t].Links, printed[t].Links);
        }
    }

    [Fact]
    public void Run_ChineseLanguage_LabelsSectionsTablesAndRowsFromTheCatalogue()
    {
        var report = PrintedReport.Read(Run(ReportFixtures.FullRun(), options: new ReportOptions { Language = ReportLanguage.Chinese }).Tables);

        Assert.Equal("主要发现", report.Sections[0].Title);
        var baseline = report.Tables.Single(t => t.Id == "table-baseline");
        Assert.Equal("表 4", baseline.Number);
        Assert.Equal("宽带中国", baseline.Rows[0][0]);
        Assert.Contains(baseline.Rows, r => r[0] == "城市固定效应");
        Assert.StartsWith("标准误：", baseline.Notes[0], StringComparison.Ordinal);
    }
}
