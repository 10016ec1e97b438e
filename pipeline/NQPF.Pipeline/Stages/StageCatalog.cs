using NQPF.Pipeline.Report;
using NQPF.Stages;
using NQPF.Stages.Clean;
using NQPF.Stages.Index;
using NQPF.Stages.Cohorts;
using NQPF.Stages.Report;
using NQPF.Stages.Ingest;
using NQPF.Stages.Estimate;
using NQPF.Stages.Robustness;

namespace NQPF.Pipeline.Stages;

/// <summary>
/// THE place where stages are registered. To add a stage, add one line to <see cref="Register"/>:
/// <code>registry.Add&lt;MyStage, MyOptions&gt;("MySection");</code>
/// The options type is a sealed record with init properties and defaults (parameterless), bound from that config
/// section and validated at start-up (DataAnnotations attributes and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>);
/// the stage receives it through its constructor. The stage's <see cref="IStage.Name"/> must be one of
/// <see cref="CanonicalOrder"/>; its run folder is "NN-name" with NN its 1-based position there. A stage that is
/// not registered is simply absent from the run.
/// </summary>
internal static class StageCatalog
{
    public static readonly IReadOnlyList<string> CanonicalOrder =
        ["ingest", "clean", "index", "cohorts", "estimate", "robustness", "report"];

    public static void Register(StageRegistry registry)
    {
        // One line per stage, in any order (the run order is CanonicalOrder).
        registry.Add<IngestStage, IngestOptions>(IngestOptions.SectionName);
        registry.Add<CohortsStage, CohortsOptions>("Cohorts");
        registry.Add<ReportStage, ReportOptions>("Report").AddRenderer<HtmlReportWriter>().AddRenderer<WordReportWriter>().AddRenderer<LatexReportWriter>().AddRenderer<ExcelReportWriter>();
        registry.Add<CleanStage, CleanOptions>("Clean");
        registry.Add<IndexStage, IndexOptions>("Index");
        registry.Add<EstimateStage, EstimateOptions>("Estimate");
        registry.Add<RobustnessStage, RobustnessOptions>("Robustness");
    }
}
