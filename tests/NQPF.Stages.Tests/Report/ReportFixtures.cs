namespace NQPF.Stages.Tests.Report;

/// <summary>Small upstream tables shaped like the other stages' outputs (CONTRACTS.md and the robustness stage).</summary>
internal static class ReportFixtures
{
    public static Frame RawFiles(params (string Path, string Sha)[] files) => new(
        new StringColumn("path", [.. files.Select(f => (string?)f.Path)]),
        new StringColumn("sha256", [.. files.Select(f => (string?)f.Sha)]),
        new LongColumn("bytes", [.. files.Select(_ => 100L)]));

    public static Frame Panel(int firstYear, int lastYear, params string[] cities)
    {
        var rows = cities.SelectMany(c => Enumerable.Range(firstYear, lastYear - firstYear + 1).Select(y => (c, (long)y))).ToList();
        return new Frame(
            new StringColumn("city_code", [.. rows.Select(r => (string?)r.c)]),
            new LongColumn("year", [.. rows.Select(r => r.Item2)]),
            new DoubleColumn("gdp", [.. rows.Select(r => 1.0)]));
    }

    public static Frame Weights(params (string Indicator, double Weight)[] rows) => new(
        new StringColumn("indicator", [.. rows.Select(r => (string?)r.Indicator)]),
        new StringColumn("dimension", [.. rows.Select(_ => (string?)"labour")]),
        new DoubleColumn("weight", [.. rows.Select(r => r.Weight)]));

    /// <summary>An estimate table in the robustness stage's schema (specification, treatment, estimate, se, p, n, recipe).</summary>
    public static Frame Estimates(params (string Spec, string Treatment, double Estimate, double Se, double P)[] rows) => new(
        new StringColumn("specification", [.. rows.Select(r => (string?)r.Spec)]),
        new StringColumn("treatment", [.. rows.Select(r => (string?)r.Treatment)]),
        new DoubleColumn("estimate", [.. rows.Select(r => r.Estimate)]),
        new DoubleColumn("se", [.. rows.Select(r => r.Se)]),
        new DoubleColumn("p", [.. rows.Select(r => r.P)]),
        new LongColumn("n", [.. rows.Select(_ => 3025L)]),
        new StringColumn("recipe", [.. rows.Select(_ => (string?)"CR1 by city, K = k + T")]));

    public static Frame EventStudy() => new(
        new StringColumn("estimator", ["twfe", "twfe", "twfe", "cs", "cs", "cs"]),
        new LongColumn("rel_time", [-2, -1, 0, -2, -1, 0]),
        new DoubleColumn("estimate", [0.01, 0, 0.05, 0.0, 0, 0.06]),
        new DoubleColumn("se", [0.01, 0, 0.01, 0.02, 0, 0.02]));

    public static Frame PlaceboDraws() => new(
        new StringColumn("treatment", [.. Enumerable.Range(0, 50).Select(_ => (string?)"bb")]),
        new StringColumn("kind", [.. Enumerable.Range(0, 50).Select(_ => (string?)"unit")]),
        new LongColumn("draw", [.. Enumerable.Range(0, 50).Select(i => (long)i)]),
        new DoubleColumn("estimate", [.. Enumerable.Range(0, 50).Select(i => (i - 25) / 1000.0)]));

    public static Frame Bacon() => new(
        new StringColumn("type", ["Earlier vs Later", "Later vs Earlier", "Treated vs Untreated"]),
        new DoubleColumn("estimate", [0.04, -0.01, 0.05]),
        new DoubleColumn("weight", [0.2, 0.1, 0.7]));

    /// <summary>Overall ATT by estimator in the robustness stage's staggered_summary schema.</summary>
    public static Frame StaggeredSummary(long observations, string inference) => new(
        new StringColumn("treatment", ["bb", "bb", "bb"]),
        new StringColumn("estimator", ["twfe_event", "cs", "sa"]),
        new DoubleColumn("att", [0.019, 0.020, 0.021]),
        new DoubleColumn("se", [0.002, 0.0015, 0.0018]),
        new DoubleColumn("ci_low", [0.015, 0.017, 0.0175]),
        new DoubleColumn("ci_high", [0.023, 0.023, 0.0245]),
        new LongColumn("observations", [observations, observations, observations]),
        new StringColumn("settings", ["control = never treated", "control = never treated", "control = never treated"]),
        new StringColumn("inference", [inference, "multiplier bootstrap", "cluster"]));

    public static Dictionary<string, Frame> FullRun() => new(StringComparer.Ordinal)
    {
        ["run/raw_files"] = RawFiles(("2011.csv", "aa"), ("2012.xlsx", "bb"), ("SIMULATED.md", "cc")),
        ["run/settings"] = new Frame(new StringColumn("stage", ["report"]), new StringColumn("section", ["Report"]),
            new LongColumn("version", [1]), new StringColumn("setting", ["DiffThresholdSe"]), new StringColumn("value", ["1"])),
        ["clean/panel"] = Panel(2011, 2012, "110000", "120000"),
        ["index/weights"] = Weights(("patents", 0.6), ("broadband", 0.4)),
        ["cohorts/summary"] = new Frame(new StringColumn("order", ["cluster_first", "none"]), new LongColumn("cities", [10, 200])),
        ["estimate/baseline"] = Estimates(("(1)", "bb", 0.05, 0.01, 0.0001), ("(2)", "bb", 0.04, 0.02, 0.04), ("(2)", "cl", 0.02, 0.02, 0.3)),
        ["estimate/event_study"] = EventStudy(),
        ["estimate/bacon"] = Bacon(),
        ["robustness/alternatives"] = Estimates(("drop capitals", "bb", 0.05, 0.01, 0.001)),
        ["robustness/placebo_draws"] = PlaceboDraws(),
        ["robustness/staggered_summary"] = StaggeredSummary(3025, "N = 3025, K = 21"),
        ["robustness/placebo_summary"] = new Frame(new StringColumn("treatment", ["bb"]), new StringColumn("kind", ["unit"]),
            new DoubleColumn("real_estimate", [0.05])),
    };
}
