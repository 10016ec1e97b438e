namespace NQPF.Stages.Report;

/// <summary>
/// One table or figure of the report: its id, the section it belongs to, the datasets it reads (checked through
/// <see cref="DeclaredInputs"/>), and how it is built from them (frames in the order of <paramref name="Needs"/>).
/// When a dataset is absent, the report prints what the table waits for instead.
/// </summary>
internal sealed record TableSpec(string Id, string Section, IReadOnlyList<DatasetNeed> Needs,
    Func<ReportContext, IReadOnlyList<Frame>, IEnumerable<ReportBlock>> Build);

/// <summary>
/// The study's tables and figures in paper order. Adding a table is one line here: its datasets and a builder.
/// </summary>
internal static class StudyTables
{
    /// <summary>Sections after the findings, in paper order; appendix sections last.</summary>
    public static readonly IReadOnlyList<(string Id, bool Appendix)> Sections =
    [
        ("variables", false), ("baseline", false), ("event", false), ("robustness", false), ("mechanisms", false),
        ("heterogeneity", false), ("quality", true), ("cohorts", true), ("settings", true), ("hashes", true),
    ];

    public static readonly IReadOnlyList<TableSpec> All =
    [
        new("table-variables", "variables", [], (c, _) => ResultTables.Variables(c)),
        new("table-indicators", "variables", [ReportDatasets.Weights], ResultTables.Indicators),
        new("table-descriptives", "variables", [ReportDatasets.Descriptives], ResultTables.Descriptives),
        new("table-baseline", "baseline", [ReportDatasets.Baseline], ResultTables.Baseline),
        new("table-single-dual", "baseline", [ReportDatasets.SingleDual, ReportDatasets.Wald], (c, f) => ResultTables.WithWald(c, f, "single_dual")),
        new("table-order", "baseline", [ReportDatasets.Order, ReportDatasets.Wald], (c, f) => ResultTables.WithWald(c, f, "order")),
        new("figure-event", "event", [ReportDatasets.StaggeredEvent], StudyFigures.EventStudy),
        new("table-pretrend", "event", [ReportDatasets.Pretrend, ReportDatasets.StaggeredSummary], RobustnessTables.Pretrend),
        new("table-placebo", "robustness", [ReportDatasets.PlaceboSummary], RobustnessTables.Placebo),
        new("figure-placebo", "robustness", [ReportDatasets.PlaceboDraws, ReportDatasets.PlaceboSummary], StudyFigures.Placebo),
        new("figure-placebo-scatter", "robustness", [ReportDatasets.PlaceboDraws, ReportDatasets.PlaceboSummary], StudyFigures.PlaceboScatter),
        new("table-psm", "robustness", [ReportDatasets.PsmDid], RobustnessTables.Psm),
        new("table-psm-balance", "robustness", [ReportDatasets.PsmBalance], RobustnessTables.PsmBalance),
        new("table-concurrent", "robustness", [ReportDatasets.Alternatives], RobustnessTables.Concurrent),
        new("table-constructions", "robustness", [ReportDatasets.Alternatives], RobustnessTables.Constructions),
        new("table-inference", "robustness", [ReportDatasets.Alternatives], RobustnessTables.Inference),
        new("table-staggered", "robustness", [ReportDatasets.StaggeredSummary], RobustnessTables.Staggered),
        new("figure-bacon", "robustness", [ReportDatasets.Bacon], StudyFigures.Bacon),
        new("table-sensitivity", "robustness", [ReportDatasets.Sensitivity, ReportDatasets.SensitivityBreakdown], SensitivityTables.Table),
        new("figure-sensitivity", "robustness", [ReportDatasets.Sensitivity], SensitivityTables.Figures),
        new("table-mechanisms", "mechanisms", [ReportDatasets.Mechanisms], ResultTables.Mechanisms),
        new("table-mediation", "mechanisms", [ReportDatasets.Mediation], ResultTables.Mediation),
        new("table-heterogeneity", "heterogeneity", [ReportDatasets.Heterogeneity], ResultTables.Heterogeneity),
        new("table-heterogeneity-tests", "heterogeneity", [ReportDatasets.HeterogeneityTests], ResultTables.HeterogeneityTests),
        new("figure-heterogeneity", "heterogeneity", [ReportDatasets.HeterogeneityTests], StudyFigures.Heterogeneity),
        new("table-findings", "quality", [ReportDatasets.Findings], AppendixTables.Findings),
        new("table-imputations", "quality", [ReportDatasets.Imputations], AppendixTables.Imputations),
        new("table-cohorts", "cohorts", [ReportDatasets.Cohorts], AppendixTables.Cohorts),
        new("table-settings", "settings", [ReportDatasets.Settings], AppendixTables.Settings),
        new("table-hashes", "hashes", [ReportDatasets.RawFiles], AppendixTables.Hashes),
    ];

    /// <summary>The blocks of one declaration: its tables and figures, or what it waits for.</summary>
    public static IEnumerable<ReportBlock> Blocks(TableSpec spec, ReportContext context)
    {
        var (frames, absent) = context.Inputs.GetAll(spec.Needs, spec.Id);
        return frames is null ? [context.Missing(absent)] : spec.Build(context, frames);
    }
}
