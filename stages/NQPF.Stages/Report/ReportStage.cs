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
    public string Name => "report";

    public int Version => 1;

    public string ConfigSection => "Report";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [];

    public IReadOnlyList<string> OptionalInputs =>
        ["run/raw_files", "run/settings", "ingest/*", "clean/*", "index/*", "cohorts/*", "estimate/*", "robustness/*"];

    /// <summary>What a refresh comparison reads from each run (also the <c>diff</c> verb's datasets).</summary>
    public static readonly IReadOnlyList<string> ComparedDatasets =
        ["run/raw_files", "clean/panel", "ingest/panel", "index/weights", "estimate/*", "robustness/*"];

    public IReadOnlyList<string> PreviousInputs => ComparedDatasets;

    public IReadOnlyList<string> Outputs =>
        ["sections", "tables", "cells", "notes", "diff_files", "diff_coverage", "diff_weights", "diff_estimates"];

    public IReadOnlyList<string> SourceGlobs => [];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var model = new ReportBuilder(options).Build(context.Inputs, context.Previous, context.PreviousRunId);
        var html = HtmlReport.Render(model, new ReportLabels(options));
        return new StageResult(ReportFrames.Build(model), [new StageDocument("index.html", Encoding.UTF8.GetBytes(html))]);
    }
}
