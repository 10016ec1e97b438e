namespace NQPF.Stages.Report;

/// <summary>
/// Every dataset the report reads, with the typed columns it reads from it: the report's half of the contract with the
/// stages that write them (estimate, robustness, index, cohorts, clean, ingest, and the runner's virtual "run/…"
/// datasets). Keys come from the catalogue (<see cref="Datasets"/>), shared column names from <see cref="Columns"/>;
/// a table reads a dataset only through its declaration, which hands it the declared columns alone (see <see cref="DeclaredInputs"/>).
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
        [S("specification"), S(Columns.Treatment), S("outcome"), D("estimate"), D("se"), D("p"), D("p_wild_bootstrap"), D("ci_low"), D("ci_high"), L("n"), D("r2"), D("r2_within"), L("clusters"), S("recipe"), S("note")];

    public static readonly DatasetNeed RawFiles = new(Datasets.Run.RawFiles, [S("path"), S("sha256"), L("bytes")]);
    public static readonly DatasetNeed Settings = new(Datasets.Run.Settings, [S("stage"), S("section"), S("setting"), S(Columns.Value)]);
    public static readonly DatasetNeed Findings = new(Datasets.Ingest.Findings, [S("file"), S("kind"), S("detail")]);
    public static readonly DatasetNeed Panel = new(Datasets.Clean.Panel, [S(Columns.CityCode), L(Columns.Year)]);
    public static readonly DatasetNeed Sample = new(Datasets.Clean.Sample, [S(Columns.CityCode), B("included")]);
    public static readonly DatasetNeed Imputations = new(Datasets.Clean.Imputations, [S(Columns.CityCode), L(Columns.Year), S("variable"), S("method")]);
    public static readonly DatasetNeed Weights = new(Datasets.Index.Weights, [S(Columns.Indicator), S("dimension"), S("direction"), D(Columns.Weight)]);
    public static readonly DatasetNeed Descriptives = new(Datasets.Index.Descriptives, [S("variable"), L("n"), D("mean"), D("sd"), D("min"), D("max")]);
    public static readonly DatasetNeed Cohorts = new(Datasets.Cohorts.Summary, [S("measure"), S("policy"), S("group"), L(Columns.Value), S("note")]);
    public static readonly DatasetNeed Baseline = new(Datasets.Estimate.Baseline, Regression);
    public static readonly DatasetNeed SingleDual = new(Datasets.Estimate.SingleDual, Regression);
    public static readonly DatasetNeed Order = new(Datasets.Estimate.Order, Regression);
    public static readonly DatasetNeed Wald = new(Datasets.Estimate.Wald, [S("table"), L("model"), S("hypothesis"), D("difference"), D("f"), D("df2"), D("p"), D("p_one_sided")]);
    public static readonly DatasetNeed Mechanisms = new(Datasets.Estimate.Mechanisms, Regression);
    public static readonly DatasetNeed Mediation = new(Datasets.Estimate.Mediation,
        [S(Columns.Treatment), S("mediator"), D("a"), D("b"), D("direct"), D("total"), D("indirect"), D("sobel_se"), D("sobel_p"), D("boot_low"), D("boot_high"), L("boot_draws")]);
    public static readonly DatasetNeed Heterogeneity = new(Datasets.Estimate.Heterogeneity, [S("table"), .. Regression]);
    public static readonly DatasetNeed HeterogeneityTests = new(Datasets.Estimate.HeterogeneityTests,
        [S(Columns.Treatment), S("grouping"), D("beta_1"), D("se_1"), D("beta_0"), D("se_0"), D("difference"), D("interaction"), D("interaction_se"), D("interaction_p"), D("permutation_p"), L("valid_draws")]);
    public static readonly DatasetNeed Alternatives = new(Datasets.Robustness.Alternatives, Estimates);
    public static readonly DatasetNeed PsmDid = new(Datasets.Robustness.PsmDid, Estimates);
    public static readonly DatasetNeed PsmBalance = new(Datasets.Robustness.PsmBalance,
        [S(Columns.Treatment), S("method"), S("variable"), D("mean_t_before"), D("mean_c_before"), D("smd_before"), D("mean_t_after"), D("mean_c_after"), D("smd_after"), D("bias_reduction")]);
    public static readonly DatasetNeed PlaceboSummary = new(Datasets.Robustness.PlaceboSummary,
        [S(Columns.Treatment), S("kind"), D("real_estimate"), L("draws"), L("failed"), D("p_value"), D("mean"), D("sd"), D("q025"), D("q975"), D("share_significant")]);
    public static readonly DatasetNeed PlaceboDraws = new(Datasets.Robustness.PlaceboDraws, [S(Columns.Treatment), S("kind"), D("estimate"), D("p")]);
    public static readonly DatasetNeed Sensitivity = new(Datasets.Robustness.Sensitivity,
        [S(Columns.Treatment), S("method"), S("restriction"), D(Columns.Value), S("target"), D("lb"), D("ub")]);
    public static readonly DatasetNeed SensitivityBreakdown = new(Datasets.Robustness.SensitivityBreakdown,
        [S(Columns.Treatment), S("restriction"), S("target"), D("breakdown")]);
    public static readonly DatasetNeed Pretrend = new(Datasets.Robustness.Pretrend, [S(Columns.Treatment), L("leads"), D("f"), D("f_p"), S("recipe")]);
    /// <summary>The staggered estimators' event-time table, with the column names the catalogue declares for event studies.</summary>
    private static readonly EventStudyTable StaggeredEventTable =
        ReportInputs.EventStudies.Single(e => e.Dataset == Datasets.Robustness.StaggeredEvent);

    /// <summary>Event time column of <see cref="StaggeredEvent"/>.</summary>
    public static readonly string EventTime = StaggeredEventTable.EventTime;

    public static readonly DatasetNeed StaggeredEvent = new(StaggeredEventTable.Dataset,
        [.. StaggeredEventTable.Groups.Select(S), L(StaggeredEventTable.EventTime), D(StaggeredEventTable.Estimate), D("se"),
            D(StaggeredEventTable.Low), D(StaggeredEventTable.High), S("band")]);
    public static readonly DatasetNeed Bacon = new(Datasets.Robustness.Bacon, [S(Columns.Treatment), S("type"), D("estimate"), D("weight"), D("twfe")]);
    public static readonly DatasetNeed StaggeredSummary = new(Datasets.Robustness.StaggeredSummary,
        [S(Columns.Treatment), S("estimator"), D("att"), D("se"), D("ci_low"), D("ci_high"), L("observations"), S("settings"), S("inference"), D("pretrend_p")]);
}
