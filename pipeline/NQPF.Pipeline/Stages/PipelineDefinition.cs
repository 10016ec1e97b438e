using NQPF.Pipeline.Report;
using NQPF.Stages;
using NQPF.Stages.Clean;
using NQPF.Stages.Cohorts;
using NQPF.Stages.Common;
using NQPF.Stages.Estimate;
using NQPF.Stages.Index;
using NQPF.Stages.Ingest;
using NQPF.Stages.Report;
using NQPF.Stages.Robustness;
using D = NQPF.Stages.Datasets;

namespace NQPF.Pipeline.Stages;

/// <summary>
/// The study as one graph: every stage in run order with the datasets it may read and the datasets it writes (names
/// from <see cref="Datasets"/>). The run folder of a stage is "NN-name", NN its 1-based position here. Each stage also
/// declares its reads and writes itself (they may depend on its options, e.g. Robustness:Staggered:Enabled); at
/// start-up <see cref="StagePlan"/> refuses a stage that declares a read or write this definition does not list, and at
/// run time the runner refuses a stage that returns a table it did not declare or reads one it was not given.
/// <para>To add a stage: write it in stages/NQPF.Stages/&lt;Name&gt;/ (stage, options, frames), add its dataset names to
/// <see cref="Datasets"/>, and add one <see cref="StageRegistry.Add{TStage,TOptions}(string, IReadOnlyList{string}, IReadOnlyList{string})"/>
/// line below at its place in the order.</para>
/// </summary>
internal static class PipelineDefinition
{
    /// <summary>The run order; a stage that is not registered is simply absent from the run.</summary>
    public static readonly IReadOnlyList<string> Order =
        [D.Ingest.Stage, D.Clean.Stage, D.Index.Stage, D.Cohorts.Stage, D.Estimate.Stage, D.Robustness.Stage, D.Report.Stage];

    public static void Register(StageRegistry graph)
    {
        graph.Add<IngestStage, IngestOptions>(IngestOptions.SectionName,
            reads: [Raw, Config(ConfigTables.FieldsFile), .. ConfigTables.RosterGlobs],
            writes: [D.Ingest.Panel, D.Ingest.Report, D.Ingest.Findings, D.Ingest.Targets]);

        graph.Add<CleanStage, CleanOptions>("Clean",
            reads: [D.Ingest.Panel, .. ConfigTables.RosterGlobs, IndicatorsAndYearSeries],
            writes: [D.Clean.Panel, D.Clean.Imputations, D.Clean.Sample, D.Clean.Gaps]);

        graph.Add<IndexStage, IndexOptions>("Index",
            reads: [D.Clean.Panel, Previous(D.Index.Values), Previous(D.Index.Weights), IndicatorsAndYearSeries],
            writes: [D.Index.Values, D.Index.Weights, D.Index.WeightsByYear, D.Index.Normalised, D.Index.Descriptives, D.Index.Vintage]);

        graph.Add<CohortsStage, CohortsOptions>(CohortsOptions.SectionName,
            reads: [D.Clean.Panel, D.Ingest.Panel, D.Ingest.Targets, ConfigTables.PoliciesGlob, .. ConfigTables.RosterGlobs],
            writes: [D.Cohorts.Treatment, D.Cohorts.Attributes, D.Cohorts.Summary, D.Cohorts.Findings, D.Cohorts.Settings]);

        graph.Add<EstimateStage, EstimateOptions>("Estimate",
            reads: [D.Index.Values, D.Cohorts.Treatment, D.Cohorts.Attributes, D.Clean.Panel],
            writes: [D.Estimate.Baseline, D.Estimate.SingleDual, D.Estimate.Order, D.Estimate.Wald, D.Estimate.Mechanisms,
                D.Estimate.Mediation, D.Estimate.Heterogeneity, D.Estimate.HeterogeneityTests, D.Estimate.Panel]);

        graph.Add<RobustnessStage, RobustnessOptions>("Robustness",
            reads: [D.Clean.Panel, D.Index.Values, D.Cohorts.Treatment, D.Cohorts.Attributes, .. ConfigTables.RosterGlobs],
            writes: [D.Robustness.EventStudy, D.Robustness.Pretrend, D.Robustness.Alternatives, D.Robustness.PlaceboDraws,
                D.Robustness.PlaceboSummary, D.Robustness.PsmDid, D.Robustness.PsmBalance, D.Robustness.PsmScores,
                D.Robustness.StaggeredEvent, D.Robustness.StaggeredSummary, D.Robustness.Bacon,
                D.Robustness.Sensitivity, D.Robustness.SensitivityBreakdown]);

        graph.Add<ReportStage, ReportOptions>("Report",
            reads: [.. ReportStage.ReadDatasets, .. ReportStage.ComparedDatasets.Select(Previous), .. ReportStage.ConfigGlobs],
            writes: ReportStage.Writes)
            .AddRenderer<HtmlReportWriter>().AddRenderer<WordReportWriter>().AddRenderer<LatexReportWriter>().AddRenderer<ExcelReportWriter>();
    }

    /// <summary>Every raw yearbook file, in subfolders too (the per-table workbooks of an edition come in a folder).</summary>
    private const string Raw = "raw:**/*";

    /// <summary>Config files named by the stage's options (Clean:IndicatorsFile, Clean:YearSeriesFiles, Index:BaseWeightsFile).</summary>
    private const string IndicatorsAndYearSeries = StageNode.AnyConfigFile;

    private static string Config(string file) => "config:" + file;

    /// <summary>A read of the previous successful run's dataset (see <see cref="IStage.PreviousInputs"/>).</summary>
    public static string Previous(string key) => StageNode.PreviousPrefix + key;
}
