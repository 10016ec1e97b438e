namespace NQPF.Stages.Report;

/// <summary>
/// Every dataset the report reads, with the columns it reads from it: the report's half of the contract with the
/// stages that write them (estimate, robustness, index, cohorts, clean, ingest, and the runner's virtual "run/…"
/// datasets). Keys and column names are spelled here only.
/// </summary>
internal static class ReportDatasets
{
    private static ColumnNeed S(string name) => new(name, typeof(StringColumn));

    private static ColumnNeed D(string name) => new(name, typeof(DoubleColumn));

    private static ColumnNeed L(string name) => new(name, typeof(LongColumn));

    private static ColumnNeed B(string name) => new(name, typeof(BoolColumn));

    /// <summary>Columns of the estimate stage's long regression tables (one row per model × term).</summary>
    private static readonly ColumnNeed[] Regression =
        [L("model"), S("label"), S("outcome"), S("term"), B("key_term"), D("estimate"), D("se"), D("p"), D("ci_low"), D("ci_high"), L("n"), D("r2"), D("r2_within"), L("clusters"), S("vcov")];

    /// <summary>Columns of the robustness stage's estimate rows (one row per specification × treatment).</summary>
    private static readonly ColumnNeed[] Estimates =
        [S("specification"), S("treatment"), S("outcome"), D("estimate"), D("se"), D("p"), D("ci_low"), D("ci_high"), L("n"), L("clusters"), S("recipe"), S("note")];

    public static readonly DatasetNeed RawFiles = new("run/raw_files", [S("path"), S("sha256"), L("bytes")]);
    public static readonly DatasetNeed Settings = new("run/settings", [S("stage"), S("section"), S("setting"), S("value")]);
    public static readonly DatasetNeed Findings = new("ingest/findings", [S("file"), S("kind"), S("detail")]);
    public static readonly DatasetNeed Panel = new("clean/panel", [S("city_code"), L("year")]);
    public static readonly DatasetNeed Sample = new("clean/sample", [S("city_code"), B("included")]);
    public static readonly DatasetNeed Imputations = new("clean/imputations", [S("city_code"), L("year"), S("variable"), S("method")]);
    public static readonly DatasetNeed Weights = new("index/weights", [S("indicator"), S("dimension"), S("direction"), D("weight")]);
    public static readonly DatasetNeed Descriptives = new("index/descriptives", [S("variable"), L("n"), D("mean"), D("sd"), D("min"), D("max")]);
    public static readonly DatasetNeed Cohorts = new("cohorts/summary", [S("measure"), S("policy"), S("group"), L("value"), S("note")]);
    public static readonly DatasetNeed Baseline = new("estimate/baseline", Regression);
    public static readonly DatasetNeed SingleDual = new("estimate/single_dual", Regression);
    public static readonly DatasetNeed Order = new("estimate/order", Regression);
    public static readonly DatasetNeed Wald = new("estimate/wald", [S("table"), L("model"), S("hypothesis"), D("difference"), D("f"), D("df2"), D("p"), D("p_one_sided")]);
    public static readonly DatasetNeed Mechanisms = new("estimate/mechanisms", Regression);
    public static readonly DatasetNeed Mediation = new("estimate/mediation",
        [S("treatment"), S("mediator"), D("a"), D("b"), D("direct"), D("total"), D("indirect"), D("sobel_se"), D("sobel_p"), D("boot_low"), D("boot_high"), L("boot_draws")]);
    public static readonly DatasetNeed Heterogeneity = new("estimate/heterogeneity", [S("table"), .. Regression]);
    public static readonly DatasetNeed HeterogeneityTests = new("estimate/heterogeneity_tests",
        [S("treatment"), S("grouping"), D("beta_1"), D("se_1"), D("beta_0"), D("se_0"), D("difference"), D("interaction"), D("interaction_se"), D("interaction_p"), D("permutation_p"), L("valid_draws")]);
    public static readonly DatasetNeed Alternatives = new("robustness/alternatives", Estimates);
    public static readonly DatasetNeed PsmDid = new("robustness/psm_did", Estimates);
    public static readonly DatasetNeed PsmBalance = new("robustness/psm_balance",
        [S("treatment"), S("method"), S("variable"), D("mean_t_before"), D("mean_c_before"), D("smd_before"), D("mean_t_after"), D("mean_c_after"), D("smd_after"), D("bias_reduction")]);
    public static readonly DatasetNeed PlaceboSummary = new("robustness/placebo_summary",
        [S("treatment"), S("kind"), D("real_estimate"), L("draws"), L("failed"), D("p_value"), D("mean"), D("sd"), D("q025"), D("q975"), D("share_significant")]);
    public static readonly DatasetNeed PlaceboDraws = new("robustness/placebo_draws", [S("treatment"), S("kind"), D("estimate")]);
    public static readonly DatasetNeed Pretrend = new("robustness/pretrend", [S("treatment"), L("leads"), D("f"), D("f_p"), S("recipe")]);
    public static readonly DatasetNeed StaggeredEvent = new("robustness/staggered_event",
        [S("treatment"), S("estimator"), L("e"), D("estimate"), D("se"), D("ci_low"), D("ci_high"), S("band")]);
    public static readonly DatasetNeed StaggeredSummary = new("robustness/staggered_summary",
        [S("treatment"), S("estimator"), D("att"), D("se"), D("ci_low"), D("ci_high"), L("observations"), S("settings"), S("inference"), D("pretrend_p")]);
}
