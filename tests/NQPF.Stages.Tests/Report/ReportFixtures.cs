using NQPF.Stages.Common;

namespace NQPF.Stages.Tests.Report;

/// <summary>
/// Small upstream tables in the schemas the report declares (ReportDatasets): the estimate stage's long regression
/// tables, the robustness stage's estimate rows and summaries, index, cohorts, clean and ingest tables, the runner's
/// run/raw_files and run/settings. Numbers are made up but consistent (a significant positive bb effect, …).
/// </summary>
internal static class ReportFixtures
{
    public const string Recipe = "SE clustered by city_code (G = 275); default small-sample correction (FE nested in the cluster not counted): factor G/(G−1)·(N−1)/(N−K) = 1.00731 with K = 12; t df = 274.";

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

    /// <summary>One model × term row of an estimate-stage regression table.</summary>
    public sealed record Term(long Model, string Label, string Name, bool Key, double Estimate, double Se, double P, string Outcome = "nqpf");

    /// <summary>A long regression table (estimate stage schema); every model has N = 3025, 275 clusters, R² 0.99.</summary>
    public static Frame Regression(params Term[] rows) => RegressionWith(null, rows);

    public static Frame RegressionWith(string? table, params Term[] rows)
    {
        var columns = new List<Column>();
        if (table is not null)
            columns.Add(new StringColumn("table", [.. rows.Select(_ => (string?)table)]));
        columns.AddRange(
        [
            new LongColumn("model", [.. rows.Select(r => r.Model)]), Str("label", rows.Select(r => r.Label)), Str("outcome", rows.Select(r => r.Outcome)),
            Str("term", rows.Select(r => r.Name)), new BoolColumn("key_term", [.. rows.Select(r => r.Key)]),
            new DoubleColumn("estimate", [.. rows.Select(r => r.Estimate)]), new DoubleColumn("se", [.. rows.Select(r => r.Se)]),
            new DoubleColumn("p", [.. rows.Select(r => r.P)]), new DoubleColumn("ci_low", [.. rows.Select(r => r.Estimate - 1.96 * r.Se)]),
            new DoubleColumn("ci_high", [.. rows.Select(r => r.Estimate + 1.96 * r.Se)]), new LongColumn("n", [.. rows.Select(_ => 3025L)]),
            new DoubleColumn("r2", [.. rows.Select(_ => 0.99)]), new DoubleColumn("r2_within", [.. rows.Select(r => 0.2 + 0.1 * r.Model)]),
            new LongColumn("clusters", [.. rows.Select(_ => 275L)]), Str("vcov", rows.Select(_ => Recipe)),
        ]);
        return new Frame(columns);
    }

    /// <summary>Baseline: bb and cl, each without (odd model) and with controls (even model, with a control term).</summary>
    public static Frame Baseline(double bb = 0.0137, double cl = 0.0231) => Regression(
        new(1, "nqpf", "bb", true, 0.0193, 0.0021, 1e-10), new(2, "nqpf", "bb", true, bb, 0.0013, 1e-12), new(2, "nqpf", "lnpgdp", false, 0.01, 0.005, 0.04),
        new(3, "nqpf", "cl", true, 0.0315, 0.0031, 1e-10), new(4, "nqpf", "cl", true, cl, 0.0022, 1e-12), new(4, "nqpf", "lnpgdp", false, 0.01, 0.005, 0.04));

    /// <summary>An estimate table in the robustness stage's schema (R² 0.99; within R² 0.21 for bb, 0.305 otherwise).</summary>
    public static Frame Estimates(params (string Spec, string Treatment, double Estimate, double Se, double P)[] rows) => new(
        Str("specification", rows.Select(r => r.Spec)), Str("treatment", rows.Select(r => r.Treatment)), Str("outcome", rows.Select(_ => "nqpf")),
        new DoubleColumn("estimate", [.. rows.Select(r => r.Estimate)]), new DoubleColumn("se", [.. rows.Select(r => r.Se)]),
        new DoubleColumn("p", [.. rows.Select(r => r.P)]), new DoubleColumn("p_wild_bootstrap", [.. rows.Select(_ => double.NaN)]),
        new DoubleColumn("ci_low", [.. rows.Select(r => r.Estimate - 1.96 * r.Se)]),
        new DoubleColumn("ci_high", [.. rows.Select(r => r.Estimate + 1.96 * r.Se)]), new LongColumn("n", [.. rows.Select(_ => 3025L)]),
        Dbl("r2", rows.Select(_ => 0.99)), Dbl("r2_within", rows.Select(r => r.Treatment == "bb" ? 0.21 : 0.305)),
        new LongColumn("clusters", [.. rows.Select(_ => 275L)]), Str("recipe", rows.Select(_ => Recipe)), Str("note", rows.Select(_ => "")));

    /// <summary>Wild cluster bootstrap recipe as the robustness stage appends it to a few-cluster row's SE recipe.</summary>
    public const string WildRecipe = " Wild cluster bootstrap (WCR, null imposed, rademacher weights, G = 30, 9999 seeded draws): symmetric p = share of |t*| > |t|; CI by test inversion.";

    /// <summary>The alternatives table; the province-clustered rows (30 clusters) carry a wild-bootstrap p beside the analytic one.</summary>
    public static Frame Alternatives()
    {
        var frame = Estimates(("baseline", "bb", 0.0137, 0.0013, 1e-20), ("province_cluster", "bb", 0.0137, 0.0012, 1e-11),
            ("baseline", "cl", 0.0231, 0.0022, 1e-20), ("province_cluster", "cl", 0.0231, 0.0028, 1e-8), ("outcome_nqpf_equal", "bb", 0.0119, 0.0011, 1e-20),
            ("outcome_nqpf_equal", "cl", 0.0153, 0.0019, 1e-14), ("exclude_concurrent_low_carbon", "bb", 0.0112, 0.0013, 1e-15));
        foreach (var (row, p) in new[] { (1, 0.0021), (3, 0.0415) })
        {
            frame.Doubles("p_wild_bootstrap")[row] = p;
            frame.Longs("clusters")[row] = 30;
            frame.Strings("recipe")[row] = "SE clustered by province (G = 30); t df = 29." + WildRecipe;
        }
        return frame;
    }

    /// <summary>
    /// robustness/sensitivity and sensitivity_breakdown for bb and cl: the original CI, C-LF sets over M̄ = 0.5, 1 and
    /// FLCIs over M = 0, 0.002, for the first post period and the average; the sets widen with M̄ and M.
    /// </summary>
    public static (Frame Table, Frame Breakdown) Sensitivity()
    {
        var rows = new List<(string T, string Method, string Restriction, double Value, string Target, double Lb, double Ub)>();
        foreach (var (t, centre) in new[] { ("bb", 0.012), ("cl", 0.02) })
        {
            foreach (var target in new[] { "first", "average" })
            {
                rows.Add((t, "Original", "", double.NaN, target, centre - 0.004, centre + 0.004));
                rows.AddRange(new[] { 0.5, 1.0 }.Select(m => (t, "C-LF", "RM", m, target, centre - 0.004 - 0.01 * m, centre + 0.004 + 0.01 * m)));
                rows.AddRange(new[] { 0.0, 0.002 }.Select(m => (t, "FLCI", "SD", m, target, centre - 0.005 - 5 * m, centre + 0.005 + 5 * m)));
            }
        }
        var table = new Frame(Str("treatment", rows.Select(r => r.T)), Str("estimator", rows.Select(_ => "twfe_event")), Str("method", rows.Select(r => r.Method)),
            Str("restriction", rows.Select(r => r.Restriction)), Dbl("value", rows.Select(r => r.Value)), Str("target", rows.Select(r => r.Target)),
            Dbl("lb", rows.Select(r => r.Lb)), Dbl("ub", rows.Select(r => r.Ub)), new BoolColumn("excludes_zero", [.. rows.Select(r => r.Lb > 0 || r.Ub < 0)]));
        var keys = new[] { "bb", "cl" }.SelectMany(t => new[] { "RM", "SD" }.SelectMany(r => new[] { "first", "average" }.Select(g => (t, r, g)))).ToList();
        var breakdown = new Frame(Str("treatment", keys.Select(k => k.t)), Str("restriction", keys.Select(k => k.r)), Str("target", keys.Select(k => k.g)),
            Dbl("breakdown", keys.Select(k => k.r == "RM" ? (k.t == "bb" ? 0.75 : double.PositiveInfinity) : 0.0015)));
        return (table, breakdown);
    }

    public static Frame Wald() => new(
        Str("table", ["single_dual", "single_dual", "order", "order"]), new LongColumn("model", [1, 2, 1, 2]),
        Str("hypothesis", ["dual = single", "dual = single", "dual_cluster_first = dual_broadband_first", "dual_cluster_first = dual_broadband_first"]),
        new DoubleColumn("difference", [0.041, 0.035, 0.025, 0.021]), new DoubleColumn("f", [99, 131, 8.3, 9.1]),
        new DoubleColumn("df2", [274, 274, 274, 274]), new DoubleColumn("p", [4e-20, 5e-25, 0.0042, 0.0028]),
        new DoubleColumn("p_one_sided", [2e-20, 2e-25, 0.0021, 0.0014]));

    public static Frame HeterogeneityTests()
    {
        string[] groupings = ["resource_based", "central", "large", "target_hard", "target_intensified"];
        double[] signs = [-1, 1, 1, -1, -1];
        var rows = groupings.SelectMany((g, k) => new[] { "bb", "cl", "dual" }.Select(t => (g, t, s: signs[k]))).ToList();
        return new Frame(Str("treatment", rows.Select(r => r.t)), Str("grouping", rows.Select(r => r.g)),
            Dbl("beta_1", rows.Select(r => 0.02 + 0.005 * r.s)), Dbl("se_1", rows.Select(_ => 0.002)), Dbl("beta_0", rows.Select(r => 0.02 - 0.005 * r.s)),
            Dbl("se_0", rows.Select(_ => 0.002)), Dbl("difference", rows.Select(r => 0.01 * r.s)), Dbl("interaction", rows.Select(r => 0.012 * r.s)),
            Dbl("interaction_se", rows.Select(_ => 0.003)), Dbl("interaction_p", rows.Select(_ => 0.0001)), Dbl("permutation_p", rows.Select(_ => 0.01)),
            new LongColumn("valid_draws", [.. rows.Select(_ => 1000L)]));
    }

    public static Frame StaggeredSummary() => new(
        Str("treatment", ["bb", "bb", "bb", "bb", "cl", "cl", "cl", "cl"]), Str("estimator", ["twfe_event", "cs", "sa", "bjs", "twfe_event", "cs", "sa", "bjs"]),
        new DoubleColumn("att", [0.020, 0.021, 0.021, 0.022, 0.033, 0.037, 0.037, 0.038]), new DoubleColumn("se", [0.002, 0.0022, 0.002, 0.0022, 0.003, 0.004, 0.0035, 0.0035]),
        new DoubleColumn("ci_low", [0.016, 0.017, 0.017, 0.018, 0.027, 0.029, 0.030, 0.031]), new DoubleColumn("ci_high", [0.024, 0.025, 0.025, 0.027, 0.039, 0.045, 0.044, 0.045]),
        new LongColumn("observations", [3025, 3025, 3025, 3025, 3025, 3025, 3025, 3025]), Str("settings", Enumerable.Repeat("control = never treated", 8)),
        Str("inference", Enumerable.Repeat("cluster", 8)), new DoubleColumn("pretrend_p", [0.02, 0.19, 0.04, 0.04, 0.005, 0.15, 0.07, 0.07]));

    public static Frame StaggeredEvent()
    {
        var rows = new[] { "bb", "cl" }.SelectMany(t => new[] { "twfe_event", "cs", "sa", "bjs" }.SelectMany(e => new long[] { -2, -1, 0, 1 }.Select(k => (t, e, k)))).ToList();
        return new Frame(Str("treatment", rows.Select(r => r.t)), Str("estimator", rows.Select(r => r.e)), new LongColumn("e", [.. rows.Select(r => r.k)]),
            Dbl("estimate", rows.Select(r => r.k < 0 ? 0.0 : 0.01 * (r.k + 1))), Dbl("se", rows.Select(_ => 0.002)),
            Dbl("ci_low", rows.Select(r => (r.k < 0 ? 0.0 : 0.01 * (r.k + 1)) - 0.004)), Dbl("ci_high", rows.Select(r => (r.k < 0 ? 0.0 : 0.01 * (r.k + 1)) + 0.004)),
            Str("band", rows.Select(_ => "pointwise")));
    }

    // Two comparisons per pilot whose weights sum to 1, so the TWFE column is their weighted mean.
    public static Frame Bacon() => new(
        Str("treatment", ["bb", "bb", "cl", "cl"]), Str("type", ["treated_vs_never", "later_vs_earlier", "treated_vs_never", "earlier_vs_later"]),
        new DoubleColumn("estimate", [0.02, -0.01, 0.03, 0.05]), new DoubleColumn("weight", [0.8, 0.2, 0.5, 0.5]), new DoubleColumn("twfe", [0.014, 0.014, 0.04, 0.04]));

    public static Frame PlaceboDraws()
    {
        var rows = new[] { "bb", "cl" }.SelectMany(t => new[] { "unit", "timing" }.SelectMany(k => Enumerable.Range(0, 50).Select(i => (t, k, i)))).ToList();
        return new Frame(Str("treatment", rows.Select(r => r.t)), Str("kind", rows.Select(r => r.k)), Dbl("estimate", rows.Select(r => (r.i - 25) / 10000.0)),
            Dbl("p", rows.Select(r => 1 - Math.Abs(r.i - 25) / 26.0)));
    }

    public static Frame PlaceboSummary() => new(
        Str("treatment", ["bb", "bb", "cl", "cl"]), Str("kind", ["unit", "timing", "unit", "timing"]), new DoubleColumn("real_estimate", [0.0137, 0.0137, 0.0231, 0.0231]),
        new LongColumn("draws", [50, 50, 50, 50]), new LongColumn("failed", [0, 0, 0, 0]), new DoubleColumn("p_value", [0.0196, 0.0196, 0.0196, 0.0196]),
        new DoubleColumn("mean", [0, 0, 0, 0]), new DoubleColumn("sd", [0.0015, 0.0015, 0.0015, 0.0015]), new DoubleColumn("q025", [-0.0024, -0.0024, -0.0024, -0.0024]),
        new DoubleColumn("q975", [0.0024, 0.0024, 0.0024, 0.0024]), new DoubleColumn("share_significant", [0.06, 0.05, 0.04, 0.06]));

    public static Frame Mediation() => new(
        Str("treatment", ["bb", "cl"]), Str("mediator", ["agglomeration", "agglomeration"]), new DoubleColumn("a", [3.9, 9.7]), new DoubleColumn("b", [0.001, 0.0009]),
        new DoubleColumn("direct", [0.0096, 0.014]), new DoubleColumn("total", [0.0137, 0.023]), new DoubleColumn("indirect", [0.004, 0.009]),
        new DoubleColumn("sobel_se", [0.0009, 0.0017]), new DoubleColumn("sobel_p", [1e-5, 1e-7]), new DoubleColumn("boot_low", [0.002, 0.006]),
        new DoubleColumn("boot_high", [0.006, 0.012]), new LongColumn("boot_draws", [499, 499]));

    public static Dictionary<string, Frame> FullRun() => new(StringComparer.Ordinal)
    {
        ["run/raw_files"] = RawFiles(("csy_2011.csv", "aa"), ("csy_2012.xlsx", "bb"), ("SIMULATED.md", "cc")),
        ["run/settings"] = new Frame(Str("stage", ["report"]), Str("section", ["Report"]), new LongColumn("version", [2]), Str("setting", ["DiffThresholdSe"]), Str("value", ["1"])),
        ["ingest/findings"] = new Frame(Str("file", ["README.md", "csy_2011.csv"]), Str("kind", ["ignored_file", "footnote"]), Str("detail", ["not a yearbook", "NQPF.Pipeline simulate"])),
        ["clean/panel"] = Panel(2011, 2012, "110000", "120000"),
        ["clean/imputations"] = new Frame(Str("city_code", ["110000"]), new LongColumn("year", [2012]), Str("variable", ["it_share"]), Str("method", ["linear"])),
        ["index/weights"] = new Frame(Str("indicator", ["patents_per_10k", "broadband_per_100"]), Str("dimension", ["laborers", "means_of_labour"]),
            Str("direction", ["+", "+"]), new DoubleColumn("weight", [0.6, 0.4])),
        ["index/descriptives"] = new Frame(Str("variable", ["nqpf"]), new LongColumn("n", [4]), new DoubleColumn("mean", [0.2]), new DoubleColumn("sd", [0.05]),
            new DoubleColumn("min", [0.1]), new DoubleColumn("max", [0.3])),
        ["cohorts/summary"] = new Frame(Str("measure", ["sample_cities"]), Str("policy", [""]), Str("group", [""]), new LongColumn("value", [275]), Str("note", [""])),
        ["estimate/baseline"] = Baseline(),
        ["estimate/single_dual"] = Regression(new(1, "nqpf", "single", true, 0.0112, 0.0008, 1e-12), new(1, "nqpf", "dual", true, 0.0526, 0.0041, 1e-12),
            new(2, "nqpf", "single", true, 0.0084, 0.0008, 1e-12), new(2, "nqpf", "dual", true, 0.0433, 0.0029, 1e-12), new(2, "nqpf", "lnpgdp", false, 0.01, 0.005, 0.04)),
        ["estimate/order"] = Regression(new(1, "nqpf", "dual_cluster_first", true, 0.063, 0.008, 1e-10), new(1, "nqpf", "dual_broadband_first", true, 0.038, 0.003, 1e-10),
            new(2, "nqpf", "dual_cluster_first", true, 0.052, 0.006, 1e-10), new(2, "nqpf", "dual_broadband_first", true, 0.032, 0.003, 1e-10), new(2, "nqpf", "lnpgdp", false, 0.01, 0.005, 0.04)),
        ["estimate/wald"] = Wald(),
        ["estimate/mechanisms"] = Regression(new(1, "agglomeration", "bb", true, 3.9, 0.75, 1e-6, "agglomeration"), new(2, "agglomeration", "cl", true, 9.7, 1.0, 1e-9, "agglomeration"),
            new(3, "innovation", "bb", true, 1.3, 0.21, 1e-8, "innovation"), new(4, "innovation", "cl", true, 4.1, 0.34, 1e-12, "innovation")),
        ["estimate/mediation"] = Mediation(),
        ["estimate/heterogeneity"] = RegressionWith("heterogeneity_central", new(1, "bb: central = 1", "bb", true, 0.0115, 0.004, 0.006),
            new(2, "bb: central = 0", "bb", true, 0.0126, 0.0013, 1e-10), new(3, "bb: interaction", "bb", true, 0.009, 0.0014, 1e-9),
            new(3, "bb: interaction", "bb_x_central", true, 0.016, 0.005, 0.0017)),
        ["estimate/heterogeneity_tests"] = HeterogeneityTests(),
        ["robustness/alternatives"] = Alternatives(),
        ["robustness/sensitivity"] = Sensitivity().Table,
        ["robustness/sensitivity_breakdown"] = Sensitivity().Breakdown,
        ["robustness/psm_did"] = Estimates(("psm_nearest", "bb", 0.0116, 0.0013, 1e-15), ("psm_nearest", "cl", 0.0155, 0.0023, 1e-10)),
        ["robustness/psm_balance"] = new Frame(Str("treatment", ["bb"]), Str("method", ["psm_nearest"]), Str("variable", ["lnpgdp"]),
            new DoubleColumn("mean_t_before", [10.5]), new DoubleColumn("mean_c_before", [10.1]), new DoubleColumn("smd_before", [0.4]),
            new DoubleColumn("mean_t_after", [10.5]), new DoubleColumn("mean_c_after", [10.48]), new DoubleColumn("smd_after", [0.02]), new DoubleColumn("bias_reduction", [95])),
        ["robustness/placebo_summary"] = PlaceboSummary(),
        ["robustness/placebo_draws"] = PlaceboDraws(),
        ["robustness/pretrend"] = new Frame(Str("treatment", ["bb", "cl"]), new LongColumn("leads", [4, 4]), new DoubleColumn("f", [3.0, 3.2]),
            new DoubleColumn("f_p", [0.018, 0.013]), Str("recipe", [Recipe, Recipe])),
        ["robustness/staggered_event"] = StaggeredEvent(),
        ["robustness/staggered_summary"] = StaggeredSummary(),
        ["robustness/bacon"] = Bacon(),
    };

    /// <summary>config/truth/att_summary.csv as simulate writes it (rows the claims read).</summary>
    public const string TruthCsv = """
        definition,group,units,unit_years,att_index,att_patents_per_10k,att_employment_density
        bb,all,106,747,0.0248,3.09,8.76
        cl,all,54,367,0.0421,6.57,16.5
        dual,all,32,210,0.0581,8.58,22.2
        single,all,96,654,0.0139,1.61,4.75
        cluster_first,all,12,86,0.0645,9.76,25.0
        broadband_first,all,12,60,0.0406,5.65,15.1
        dual,resource_based=1,10,60,0.03,4,10
        dual,resource_based=0,22,150,0.07,9,25
        dual,central=1,10,70,0.09,12,30
        dual,central=0,22,140,0.045,6,18
        dual,large=1,20,140,0.07,9,25
        dual,large=0,12,70,0.035,5,12
        dual,target_hard=1,15,96,0.0495,7.3,18.9
        dual,target_hard=0,17,114,0.0653,9.65,25.0
        dual,target_intensified=1,11,71,0.0405,6.0,15.5
        dual,target_intensified=0,21,139,0.067,9.9,25.6
        """;

    public static List<SourceFile> Sources(bool truth = true) =>
    [
        new("config", "indicators.json", File.ReadAllBytes(Path.Combine(NQPF.Tests.Shared.ReferenceFiles.RepoRoot, "config", "indicators.json"))),
        .. truth ? new[] { new SourceFile("config", "truth/att_summary.csv", System.Text.Encoding.UTF8.GetBytes(TruthCsv)) } : [],
    ];

    private static StringColumn Str(string name, IEnumerable<string> values) => new(name, [.. values.Select(v => (string?)v)]);

    private static DoubleColumn Dbl(string name, IEnumerable<double> values) => new(name, [.. values]);
}

/// <summary>Reads comma-separated text without quoting (the truth file) into one sheet.</summary>
internal sealed class PlainCsvReader : ISheetReader
{
    public Workbook Read(string fileName, ReadOnlyMemory<byte> content, ReadLimits limits)
    {
        var lines = System.Text.Encoding.UTF8.GetString(content.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Workbook(fileName, "csv", "utf-8", [new Sheet("Sheet1", [.. lines.Select((l, i) => new SheetRow(i + 1, l.Split(',')))])]);
    }
}
