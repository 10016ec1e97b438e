using System.Text;

namespace NQPF.Stages.Report;

/// <summary>
/// 07-report: one page an economist reads. Reads every table the earlier stages produced (optional inputs
/// "stage/*", so a stage that lands later simply fills its section), the run's raw-file listing and settings, and —
/// when the raw data changed since the previous successful run — that run's tables, to say what changed. Returns the
/// report model as frames (<see cref="ReportFrames"/>, which the pipeline's Word and Excel writers render) and the
/// self-contained <c>index.html</c>.
/// </summary>
internal sealed class ReportStage(ReportOptions options) : IStage
{
    public string Name => Datasets.Report.Stage;

    public int Version => 1;

    public string ConfigSection => "Report";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [];

    public IReadOnlyList<string> OptionalInputs => ReadDatasets;

    /// <summary>What the report renders: every table of the earlier stages, the run's raw-file listing and settings.</summary>
    public static readonly IReadOnlyList<string> ReadDatasets =
    [
        Datasets.Run.RawFiles, Datasets.Run.Settings, Datasets.AllOf(Datasets.Ingest.Stage), Datasets.AllOf(Datasets.Clean.Stage),
        Datasets.AllOf(Datasets.Index.Stage), Datasets.AllOf(Datasets.Cohorts.Stage), Datasets.AllOf(Datasets.Estimate.Stage),
        Datasets.AllOf(Datasets.Robustness.Stage),
    ];

    /// <summary>What a refresh comparison reads from each run (also the <c>diff</c> verb's datasets).</summary>
    public static readonly IReadOnlyList<string> ComparedDatasets =
        [Datasets.Run.RawFiles, Datasets.Clean.Panel, Datasets.Ingest.Panel, Datasets.Index.Weights,
            Datasets.AllOf(Datasets.Estimate.Stage), Datasets.AllOf(Datasets.Robustness.Stage)];

    public IReadOnlyList<string> PreviousInputs => ComparedDatasets;

    public IReadOnlyList<string> Outputs =>
        Datasets.Tables(Datasets.Report.Sections, Datasets.Report.TablesIndex, Datasets.Report.Cells, Datasets.Report.Notes,
            Datasets.Report.DiffFiles, Datasets.Report.DiffCoverage, Datasets.Report.DiffWeights, Datasets.Report.DiffEstimates);

    public IReadOnlyList<string> SourceGlobs => [];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var model = new ReportBuilder(options).Build(context.Inputs, context.Previous, context.PreviousRunId);
        var html = HtmlReport.Render(model, new ReportLabels(options));
        return new StageResult(ReportFrames.Build(model), [new StageDocument("index.html", Encoding.UTF8.GetBytes(html))]);
    }
}
