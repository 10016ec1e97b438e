using NQPF.Stages.Report;

namespace NQPF.Stages.Tests.Report;

public sealed class TableFormatterTests
{
    private readonly TableFormatter _formatter = new(new ReportOptions(), new ReportLabels(new ReportOptions()));

    [Theory]
    [InlineData(0.2, "")]
    [InlineData(0.09, "*")]
    [InlineData(0.05, "*")]
    [InlineData(0.049, "**")]
    [InlineData(0.0099, "***")]
    [InlineData(double.NaN, "")]
    public void Stars_PValue_CountsThresholdsBelow(double p, string expected) => Assert.Equal(expected, _formatter.Stars(p));

    [Fact]
    public void Format_TermAndModelColumns_PivotsToJournalLayoutWithSesBelow()
    {
        var table = _formatter.Format("t", "baseline", "Baseline", "estimate/baseline",
            ReportFixtures.Estimates(("(1)", "bb", 0.05, 0.01, 0.0001), ("(2)", "bb", 0.04, 0.02, 0.04), ("(2)", "cl", 0.02, 0.02, 0.3)));

        Assert.Equal(ReportTableKind.Regression, table.Kind);
        Assert.Equal(["", "(1)", "(2)"], table.Header);
        Assert.Equal(["Broadband China", "0.0500***", "0.0400**"], table.Rows[0]);
        Assert.Equal(["", "(0.0100)", "(0.0200)"], table.Rows[1]);
        Assert.Equal(["Innovative cluster", "", "0.0200"], table.Rows[2]);
        Assert.Equal(["N", "3025", "3025"], table.Rows[4]);
        Assert.Contains(table.Notes, n => n.Contains("CR1 by city", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_NoPColumn_UsesNormalPAndSaysSo()
    {
        var frame = new Frame(new StringColumn("term", ["x"]), new DoubleColumn("estimate", [1.96]), new DoubleColumn("se", [1]));

        var table = _formatter.Format("t", "s", "T", "estimate/x", frame);

        // p = 2(1 − Φ(1.96)) = 0.04999579 (R: 2 * pnorm(1.96, lower.tail = FALSE)) → two stars.
        Assert.Equal("1.9600**", table.Rows[0][1]);
        Assert.Contains(table.Notes, n => n.Contains("normal p-value", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_LongPlainTable_PrintsFirstRowsAndNamesTheCheckpoint()
    {
        var formatter = new TableFormatter(new ReportOptions { MaxRows = 3 }, new ReportLabels(new ReportOptions()));

        var table = formatter.Format("t", "s", "T", "clean/panel", ReportFixtures.Panel(2011, 2015, "110000"));

        Assert.Equal(3, table.Rows.Count);
        Assert.Contains(table.Notes, n => n.Contains("First 3 of 5 rows", StringComparison.Ordinal) && n.Contains("clean/panel", StringComparison.Ordinal));
    }

    [Fact]
    public void Format_ChineseLanguage_LabelsColumnsInChinese()
    {
        var options = new ReportOptions { Language = ReportLanguage.Chinese, Labels = new() { ["(1)"] = "模型一" } };
        var formatter = new TableFormatter(options, new ReportLabels(options));

        var table = formatter.Format("t", "s", "T", "estimate/b", ReportFixtures.Estimates(("(1)", "bb", 0.05, 0.01, 0.001)));

        Assert.Equal(["", "模型一"], table.Header);
        Assert.Equal("宽带中国", table.Rows[0][0]);
        Assert.Contains(table.Notes, n => n.StartsWith("括号内为标准误", StringComparison.Ordinal));
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
