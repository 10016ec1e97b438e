namespace NQPF.Stages;

/// <summary>
/// The name of every dataset of the study graph, as "stage/table". A stage declares its reads and writes with these
/// constants; the pipeline definition lists them per stage and the runner checks that a stage reads and writes only
/// what it declared. <see cref="Table"/> turns a key into the table name a stage returns (the Parquet file's name).
/// </summary>
public static class Datasets
{
    /// <summary>"clean/panel" → "panel".</summary>
    public static string Table(string key) => key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>"clean/panel" → "clean".</summary>
    public static string StageOf(string key) => key[..key.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>The table names of <paramref name="keys"/>, for <see cref="IStage.Outputs"/>.</summary>
    public static IReadOnlyList<string> Tables(params string[] keys) => [.. keys.Select(Table)];

    /// <summary>Every table of a stage ("estimate/*"), for optional and previous-run inputs.</summary>
    public static string AllOf(string stage) => stage + "/*";

    /// <summary>Tables the runner provides from the ledger, not from a stage.</summary>
    public static class Run
    {
        /// <summary>path, sha256, bytes of each raw file the run saw.</summary>
        public const string RawFiles = "run/raw_files";

        /// <summary>stage, section, version, setting, value: every setting that entered a fingerprint.</summary>
        public const string Settings = "run/settings";
    }

    public static class Ingest
    {
        public const string Stage = "ingest";
        public const string Panel = "ingest/panel";
        public const string Report = "ingest/report";
        public const string Findings = "ingest/findings";
        public const string Targets = "ingest/targets";
    }

    public static class Clean
    {
        public const string Stage = "clean";
        public const string Panel = "clean/panel";
        public const string Imputations = "clean/imputations";
        public const string Sample = "clean/sample";
        public const string Gaps = "clean/gaps";
    }

    public static class Index
    {
        public const string Stage = "index";
        public const string Values = "index/index";
        public const string Weights = "index/weights";
        public const string WeightsByYear = "index/weights_by_year";
        public const string Normalised = "index/normalised";
        public const string Descriptives = "index/descriptives";
        public const string Vintage = "index/vintage";
    }

    public static class Cohorts
    {
        public const string Stage = "cohorts";
        public const string Treatment = "cohorts/treatment";
        public const string Attributes = "cohorts/attributes";
        public const string Summary = "cohorts/summary";
        public const string Findings = "cohorts/findings";
        public const string Settings = "cohorts/settings";
    }

    public static class Estimate
    {
        public const string Stage = "estimate";
        public const string Baseline = "estimate/baseline";
        public const string SingleDual = "estimate/single_dual";
        public const string Order = "estimate/order";
        public const string Wald = "estimate/wald";
        public const string Mechanisms = "estimate/mechanisms";
        public const string Mediation = "estimate/mediation";
        public const string Heterogeneity = "estimate/heterogeneity";
        public const string HeterogeneityTests = "estimate/heterogeneity_tests";
        public const string Panel = "estimate/panel";
    }

    public static class Robustness
    {
        public const string Stage = "robustness";
        public const string EventStudy = "robustness/event_study";
        public const string Pretrend = "robustness/pretrend";
        public const string Alternatives = "robustness/alternatives";
        public const string PlaceboDraws = "robustness/placebo_draws";
        public const string PlaceboSummary = "robustness/placebo_summary";
        public const string PsmDid = "robustness/psm_did";
        public const string PsmBalance = "robustness/psm_balance";
        public const string PsmScores = "robustness/psm_scores";

        /// <summary>Written only when Robustness:Staggered:Enabled.</summary>
        public const string StaggeredEvent = "robustness/staggered_event";

        /// <summary>Written only when Robustness:Staggered:Enabled.</summary>
        public const string StaggeredSummary = "robustness/staggered_summary";

        /// <summary>Written only when Robustness:Staggered:Enabled.</summary>
        public const string Bacon = "robustness/bacon";

        /// <summary>Rambachan–Roth sensitivity of the event study; written only when Robustness:Sensitivity:Enabled.</summary>
        public const string Sensitivity = "robustness/sensitivity";

        /// <summary>Breakdown values of the sensitivity analysis; written only when Robustness:Sensitivity:Enabled.</summary>
        public const string SensitivityBreakdown = "robustness/sensitivity_breakdown";
    }

    public static class Report
    {
        public const string Stage = "report";
        public const string Sections = "report/sections";
        public const string TablesIndex = "report/tables";
        public const string Cells = "report/cells";
        public const string Notes = "report/notes";
        public const string DiffFiles = "report/diff_files";
        public const string DiffCoverage = "report/diff_coverage";
        public const string DiffWeights = "report/diff_weights";
        public const string DiffEstimates = "report/diff_estimates";
    }
}

/// <summary>
/// Column names shared between stages: the keys every city-year table joins on and the columns a later stage or the
/// report reads from an earlier stage's table. A column used only inside one stage's table stays in that stage.
/// </summary>
public static class Columns
{
    /// <summary>Six-digit administrative code of a city (text, leading zeros kept).</summary>
    public const string CityCode = "city_code";

    public const string Year = "year";

    /// <summary>Canonical field name of a long panel (ingest/panel).</summary>
    public const string Field = "field";

    public const string Value = "value";

    /// <summary>Event time (year minus first treated year) of an event-study row.</summary>
    public const string RelTime = "rel_time";

    /// <summary>Policy of an estimate or event-study row.</summary>
    public const string Treatment = "treatment";

    public const string Indicator = "indicator";

    public const string Weight = "weight";
}

/// <summary>A table the report draws as an event-study figure, and the columns it reads from it.</summary>
/// <param name="Dataset">The table, e.g. <see cref="Datasets.Robustness.EventStudy"/>.</param>
/// <param name="EventTime">Event time (periods since first treatment; −1 the reference).</param>
/// <param name="Groups">Columns that split the table into one series each (policy, estimator).</param>
public sealed record EventStudyTable(string Dataset, string EventTime, IReadOnlyList<string> Groups, string Estimate, string Low, string High);

/// <summary>
/// The report's declared inputs that it reads by column rather than rendering whole: which tables are event studies
/// and under which column names, so the report names its inputs instead of searching for them.
/// </summary>
public static class ReportInputs
{
    public static readonly IReadOnlyList<EventStudyTable> EventStudies =
    [
        new(Datasets.Robustness.EventStudy, Columns.RelTime, [Columns.Treatment], "estimate", "ci_low", "ci_high"),
        new(Datasets.Robustness.StaggeredEvent, "e", [Columns.Treatment, "estimator"], "estimate", "ci_low", "ci_high"),
    ];
}
