using NQPF.Stages.Report;

namespace NQPF.Stages.Tests.Report;

public sealed class RegressionLayoutTests
{
    private static readonly ReportOptions Options = new();
    private readonly RegressionLayout _layout = new(Options, new ReportLabels(Options));

    [Theory]
    [InlineData(0.2, "")]
    [InlineData(0.09, "*")]
    [InlineData(0.05, "*")]
    [InlineData(0.049, "**")]
    [InlineData(0.0099, "***")]
    [InlineData(double.NaN, "")]
    public void Stars_PValue_CountsThresholdsBelow(double p, string expected) => Assert.Equal(expected, _layout.Stars(p));

    [Fact]
    public void Build_BaselineFrame_ModelsAsColumnsKeyTermsFirstControlsCollapsedAndStatisticsRows()
    {
        var frame = ReportFixtures.Baseline();
        var grid = new StudyGrids(new ReportLabels(Options)).FromModels(frame, [.. Enumerable.Range(0, frame.RowCount)]);

        var table = _layout.Build("t", "Table 3", "Baseline", "estimate/baseline", grid, [_layout.RecipeNote(frame.Strings("vcov"))]);

        Assert.Equal(["", "(1)", "(2)", "(3)", "(4)"], table.Header[0]);
        Assert.Equal(["", "NQPF index", "NQPF index", "NQPF index", "NQPF index"], table.Header[1]);
        Assert.Equal(["Broadband China", "0.0193***", "0.0137***", "", ""], table.Rows[0]);
        Assert.Equal(["", "(0.0021)", "(0.0013)", "", ""], table.Rows[1]);
        Assert.Equal("Innovative cluster pilot", table.Rows[2][0]);
        Assert.DoesNotContain(table.Rows, r => r[0] == "lnpgdp");
        Assert.Equal(["Controls", "No", "Yes", "No", "Yes"], table.Rows[4]);
        Assert.Equal(["City FE", "Year FE", "N", "R²", "Within R²", "Clusters"], table.Rows.Skip(5).Select(r => r[0]));
        Assert.Equal(["N", "3025", "3025", "3025", "3025"], table.Rows[7]);
        Assert.Equal([4, 5], table.RulesBefore);
        var note = Assert.Single(table.Notes);
        // The model-specific numbers (G, K, the factor, t df) are left out so models share one recipe.
        Assert.StartsWith("SE clustered by city_code; default small-sample correction", note, StringComparison.Ordinal);
        Assert.Contains("t df = G−1", note, StringComparison.Ordinal);
        Assert.DoesNotContain("K = 12", note, StringComparison.Ordinal);
        Assert.EndsWith("* p<0.1, ** p<0.05, *** p<0.01.", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HeterogeneityLabels_PutThePilotAboveItsSubgroupAndTheInteractionTermInItsRow()
    {
        var frame = ReportFixtures.FullRun()["estimate/heterogeneity"];
        var grid = new StudyGrids(new ReportLabels(Options)).FromModels(frame, [.. Enumerable.Range(0, frame.RowCount)]);

        var table = _layout.Build("t", "Table 17", "Heterogeneity", "estimate/heterogeneity", grid, []);

        Assert.Equal(3, table.Header.Count);
        Assert.Equal(["", "Broadband China", "Broadband China", "Broadband China"], table.Header[1]);
        Assert.Equal(["", "Central city = 1", "Central city = 0", "interaction"], table.Header[2]);
        Assert.Equal(["Broadband China × Central city", "", "", "0.0160***"], table.Rows[2]);
    }

    [Fact]
    public void FromSpecifications_RobustnessRows_SpecificationsAsColumnsTreatmentsAsRows()
    {
        var frame = ReportFixtures.FullRun()["robustness/alternatives"];
        // The cluster pilot's baseline regression on a smaller sample (rows 0–3: bb baseline, bb province, cl baseline, cl province).
        frame.Longs("n")[2] = 3014;
        frame.Longs("clusters")[2] = 274;

        var grid = new StudyGrids(new ReportLabels(Options)).FromSpecifications(frame, ["baseline", "province_cluster", "missing_spec"], ["bb", "cl"]);
        var table = _layout.Build("t", "Table 9", "T", "robustness/alternatives", grid, []);

        Assert.Equal(["", "Baseline", "Clustered by province"], table.Header[1]);
        Assert.Equal(["Broadband China", "0.0137***", "0.0137***"], table.Rows[0]);
        // Under each SE: the analytic p and the wild cluster bootstrap p, which only the few-cluster column has.
        Assert.Equal(["p (clustered)", "<0.001", "<0.001"], table.Rows[2]);
        Assert.Equal(["Wild bootstrap p", "", "0.002"], table.Rows[3]);
        Assert.Equal(["", "(0.0022)", "(0.0028)"], table.Rows[5]);
        Assert.Equal(["Wild bootstrap p", "", "0.042"], table.Rows[7]);
        Assert.Equal(["City FE", "Yes", "Yes"], table.Rows[8]);
        // Each pilot is its own regression: one N, R², clusters where they agree, each pilot's (in row order) where they differ.
        Assert.Equal(["N", "3025 / 3014", "3025"], table.Rows[10]);
        Assert.Equal(["R²", "0.990", "0.990"], table.Rows[11]);
        Assert.Equal(["Within R²", "0.210 / 0.305", "0.210 / 0.305"], table.Rows[12]);
        Assert.Equal(["Clusters", "275 / 274", "30"], table.Rows[^1]);
    }

    [Fact]
    public void FromSpecifications_NoFewClusterColumn_PrintsNoPValueRows()
    {
        var frame = ReportFixtures.FullRun()["robustness/alternatives"];

        var grid = new StudyGrids(new ReportLabels(Options)).FromSpecifications(frame, ["baseline", "outcome_nqpf_equal"], ["bb", "cl"]);
        var table = _layout.Build("t", "Table 9", "T", "robustness/alternatives", grid, []);

        Assert.DoesNotContain(table.Rows, r => r[0] is "Wild bootstrap p" or "p (clustered)");
        Assert.Equal(["", "(0.0022)", "(0.0019)"], table.Rows[3]);
    }

    [Theory]
    [InlineData(1.96, 0.0249978951482204)]
    [InlineData(0.0, 0.5)]
    [InlineData(3.0, 0.00134989803163009)]
    [InlineData(-1.0, 0.841344746068543)]
    public void NormalUpperTail_KnownQuantiles_MatchesR(double z, double expected) =>
        // Reference: R 4.x pnorm(z, lower.tail = FALSE); the A&S 7.1.26 approximation is good to 1.5e-7.
        Assert.Equal(expected, EstimateColumns.NormalUpperTail(z), 1e-7);
}
