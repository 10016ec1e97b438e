using NQPF.Stages.Report;

namespace NQPF.Stages.Tests.Report;

public sealed class RunDiffTests
{
    private static Frame Weights(params (string Indicator, double Weight)[] rows) => new(
        new StringColumn("indicator", [.. rows.Select(r => (string?)r.Indicator)]),
        new StringColumn("dimension", [.. rows.Select(_ => (string?)"labour")]),
        new DoubleColumn("weight", [.. rows.Select(r => r.Weight)]));

    /// <summary>Estimate rows keyed by specification and treatment only (no outcome column).</summary>
    private static Frame Estimates(params (string Spec, string Treatment, double Estimate, double Se, double P)[] rows) => new(
        new StringColumn("specification", [.. rows.Select(r => (string?)r.Spec)]),
        new StringColumn("treatment", [.. rows.Select(r => (string?)r.Treatment)]),
        new DoubleColumn("estimate", [.. rows.Select(r => r.Estimate)]),
        new DoubleColumn("se", [.. rows.Select(r => r.Se)]),
        new DoubleColumn("p", [.. rows.Select(r => r.P)]),
        new LongColumn("n", [.. rows.Select(_ => 3025L)]),
        new StringColumn("recipe", [.. rows.Select(_ => (string?)"CR1 by city, K = k + T")]));

    /// <summary>Overall ATT by estimator in the staggered_summary schema, with a given N and inference text.</summary>
    private static Frame StaggeredSummary(long observations, string inference) => new(
        new StringColumn("treatment", ["bb", "bb", "bb"]),
        new StringColumn("estimator", ["twfe_event", "cs", "sa"]),
        new DoubleColumn("att", [0.019, 0.020, 0.021]),
        new DoubleColumn("se", [0.002, 0.0015, 0.0018]),
        new DoubleColumn("ci_low", [0.015, 0.017, 0.0175]),
        new DoubleColumn("ci_high", [0.023, 0.023, 0.0245]),
        new LongColumn("observations", [observations, observations, observations]),
        new StringColumn("settings", ["control = never treated", "control = never treated", "control = never treated"]),
        new StringColumn("inference", [inference, "multiplier bootstrap", "cluster"]));

    private static Dictionary<string, Frame> Run(Frame raw, Frame panel, Frame weights, Frame baseline) => new(StringComparer.Ordinal)
    {
        ["run/raw_files"] = raw, ["clean/panel"] = panel, ["index/weights"] = weights, ["estimate/baseline"] = baseline,
    };

    private static readonly Dictionary<string, Frame> Old = Run(
        ReportFixtures.RawFiles(("2011.csv", "a1"), ("2012.csv", "b1"), ("old.csv", "z")),
        ReportFixtures.Panel(2011, 2021, "110000", "120000"),
        Weights(("patents", 0.6), ("broadband", 0.4)),
        Estimates(("(1)", "bb", 0.050, 0.010, 0.0001), ("(1)", "cl", 0.020, 0.010, 0.045),
            ("(2)", "bb", 0.030, 0.020, 0.13), ("(3)", "bb", 0.010, 0.0, double.NaN)));

    private static readonly Dictionary<string, Frame> New = Run(
        ReportFixtures.RawFiles(("2011.csv", "a1"), ("2012.csv", "b2"), ("2022.csv", "c")),
        ReportFixtures.Panel(2011, 2022, "110000", "120000", "130100"),
        Weights(("patents", 0.55), ("broadband", 0.45)),
        Estimates(("(1)", "bb", 0.062, 0.011, 0.0001), ("(1)", "cl", 0.019, 0.010, 0.06),
            ("(2)", "bb", -0.001, 0.020, 0.96), ("(4)", "bb", 0.0, 0.01, 1)));

    private readonly RunDiffResult _diff = RunDiff.Compute(Old, New, new ReportOptions { DiffThresholdSe = 1.0, SignificanceLevel = 0.05 });

    [Fact]
    public void Compute_RawFiles_ListsAddedRemovedAndChangedOnly()
    {
        Assert.Equal(["2012.csv", "2022.csv", "old.csv"], _diff.Files.Strings("path").Cast<string>());
        Assert.Equal(["changed", "added", "removed"], _diff.Files.Strings("status").Cast<string>());
    }

    [Fact]
    public void Compute_Panel_ListsNewCityAndYear()
    {
        Assert.Equal(["city", "year"], _diff.Coverage.Strings("dimension").Cast<string>());
        Assert.Equal(["130100", "2022"], _diff.Coverage.Strings("value").Cast<string>());
        Assert.All(_diff.Coverage.Strings("status"), s => Assert.Equal("added", s));
    }

    [Fact]
    public void Compute_Weights_GivesOldNewAndChange()
    {
        var patents = Array.IndexOf(_diff.Weights.Strings("indicator"), "patents");
        Assert.Equal(0.6, _diff.Weights.Doubles("old")[patents]);
        Assert.Equal(0.55, _diff.Weights.Doubles("new")[patents]);
        Assert.Equal(-0.05, _diff.Weights.Doubles("change")[patents], 1e-12);
    }

    [Fact]
    public void Compute_Estimates_ChangeInOldSeUnitsAndFlags()
    {
        var keys = _diff.Estimates.Strings("key");
        string Flag(string key) => _diff.Estimates.Strings("flag")[Array.IndexOf(keys, key)]!;
        double InSe(string key) => _diff.Estimates.Doubles("change_in_se")[Array.IndexOf(keys, key)];

        // (0.062 − 0.050) / 0.010 = 1.2 old SEs > 1: flagged; still significant.
        Assert.Equal(1.2, InSe("specification=(1); treatment=bb"), 1e-12);
        Assert.Equal("moved 1.20 SE (> 1)", Flag("specification=(1); treatment=bb"));
        // −0.1 SE, but p crossed 0.05.
        Assert.Equal("no longer significant at 0.05", Flag("specification=(1); treatment=cl"));
        // (−0.001 − 0.030) / 0.020 = −1.55 and the sign flipped.
        Assert.Equal("moved 1.55 SE (> 1); sign changed", Flag("specification=(2); treatment=bb"));
        // Old SE 0: no change in SE units, row removed in the new run anyway.
        Assert.Equal("removed", Flag("specification=(3); treatment=bb"));
        Assert.True(double.IsNaN(InSe("specification=(3); treatment=bb")));
        Assert.Equal("added", Flag("specification=(4); treatment=bb"));
        Assert.Equal(5, _diff.FlaggedEstimates);
    }

    // Regression tables carry every coefficient; only the terms the published table shows (key_term) are key estimates,
    // so a control coefficient changing sign is not listed while the policy term beside it is.
    [Fact]
    public void Compute_RegressionTable_ComparesKeyTermsOnly()
    {
        static Frame Table(double bb, double control) => new(
            new StringColumn("table", ["baseline", "baseline"]), new LongColumn("model", [1, 1]),
            new StringColumn("term", ["bb", "ln_gdp"]), new BoolColumn("key_term", [true, false]),
            new DoubleColumn("estimate", [bb, control]), new DoubleColumn("se", [0.01, 0.01]), new DoubleColumn("p", [0.001, 0.5]));
        var diff = RunDiff.Compute(
            new Dictionary<string, Frame>(StringComparer.Ordinal) { ["estimate/baseline"] = Table(0.05, 0.004) },
            new Dictionary<string, Frame>(StringComparer.Ordinal) { ["estimate/baseline"] = Table(0.07, -0.004) },
            new ReportOptions { DiffThresholdSe = 1.0, SignificanceLevel = 0.05 });

        var key = Assert.Single(diff.Estimates.Strings("key"));
        Assert.Contains("term=bb", key, StringComparison.Ordinal);
        Assert.Equal(2.0, diff.Estimates.Doubles("change_in_se")[0], 1e-12);
    }

    [Fact]
    public void Compute_SameRun_FlagsNothing()
    {
        var same = RunDiff.Compute(Old, Old, new ReportOptions());

        Assert.Equal(0, same.Files.RowCount);
        Assert.Equal(0, same.Coverage.RowCount);
        Assert.All(same.Weights.Doubles("change"), c => Assert.Equal(0, c));
        Assert.Equal(0, same.FlaggedEstimates);
    }

    [Fact]
    public void Compute_ModelDimensionsAndInferenceTextChange_RowsStillPairedAndDrawsSkipped()
    {
        // A new year changes N, K, t df and the recipe text, not which estimate a row is.
        Frame Baseline(long k, long tDf, string vcov, double estimate) => new(
            new StringColumn("table", ["baseline"]), new LongColumn("model", [1]), new StringColumn("term", ["bb"]),
            new DoubleColumn("estimate", [estimate]), new DoubleColumn("se", [0.002]), new DoubleColumn("p", [0.001]),
            new LongColumn("n", [3025]), new LongColumn("k", [k]), new LongColumn("t_df", [tDf]), new StringColumn("vcov", [vcov]));
        var draws = new Frame(new StringColumn("treatment", ["bb"]), new LongColumn("draw", [0]),
            new DoubleColumn("estimate", [0.001]), new DoubleColumn("se", [0.001]));
        var before = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["robustness/placebo_draws"] = draws,
            ["estimate/baseline"] = Baseline(12, 274, "N = 3025, K = 12", 0.0193),
            ["robustness/staggered_summary"] = StaggeredSummary(3025, "N = 3025, K = 21"),
        };
        var after = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            // A draw is a random reassignment: draw 0 of the new run is not draw 0 of the old one, so it is not compared.
            ["robustness/placebo_draws"] = new Frame(new StringColumn("treatment", ["bb"]), new LongColumn("draw", [0]),
                new DoubleColumn("estimate", [0.009]), new DoubleColumn("se", [0.001])),
            ["estimate/baseline"] = Baseline(13, 274, "N = 3300, K = 13", 0.0183),
            ["robustness/staggered_summary"] = StaggeredSummary(3300, "N = 3300, K = 22"),
        };

        var diff = RunDiff.Compute(before, after, new ReportOptions());

        Assert.Equal(["table=baseline; model=1; term=bb", "treatment=bb; estimator=cs", "treatment=bb; estimator=sa",
            "treatment=bb; estimator=twfe_event"], diff.Estimates.Strings("key").Cast<string>());
        Assert.DoesNotContain(diff.Estimates.Strings("flag"), f => f is "added" or "removed");
        // (0.0183 − 0.0193) / 0.002 = −0.5 old SE: below the threshold of 1, not flagged.
        Assert.Equal(-0.5, diff.Estimates.Doubles("change_in_se")[0], 1e-12);
        Assert.Equal(0, diff.FlaggedEstimates);
    }
}
