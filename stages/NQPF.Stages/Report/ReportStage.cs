using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>
/// 07-report: the report an economist hands to a referee. Reads the datasets the report declares
/// (<see cref="ReportDatasets"/>; optional inputs "stage/*", so a stage that lands later fills its tables), the run's
/// raw-file listing and settings, config/indicators.json (labels and units), the planted truth of simulated data
/// (config/truth/att_summary.csv, when present) and — when the raw data changed since the previous successful run —
/// that run's tables, to say what changed. Returns the report model as frames (<see cref="ReportFrames"/>, which the
/// pipeline's HTML, Word, LaTeX and Excel writers print) and every figure as SVG and PNG, drawn by the injected
/// renderer from one figure model.
/// </summary>
internal sealed class ReportStage(ReportOptions options, ISheetReader sheets, IFigureRenderer figures) : IStage
{
    private const string IndicatorsFile = "indicators.json";

    public string Name => "report";

    public int Version => 2;

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
        ["meta", "sections", "blocks", "tables", "cells", "notes", "rules", "links", "figures",
         "diff_files", "diff_coverage", "diff_weights", "diff_estimates"];

    public IReadOnlyList<string> SourceGlobs => ["config:" + IndicatorsFile, "config:" + TruthSummary.File];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var model = new ReportBuilder(options, Truth(context), Indicators(context)).Build(context.Inputs, context.Previous, context.PreviousRunId);
        var documents = new List<StageDocument>();
        foreach (var figure in model.Figures)
        {
            cancellationToken.ThrowIfCancellationRequested();
            documents.Add(new StageDocument(ReportFrames.FigurePath(figure.Id, "svg"), figures.Svg(figure.Figure)));
            documents.Add(new StageDocument(ReportFrames.FigurePath(figure.Id, "png"), figures.Png(figure.Figure)));
        }
        return new StageResult(ReportFrames.Build(model), documents);
    }

    private TruthSummary? Truth(StageContext context) =>
        context.Sources.FirstOrDefault(s => s.Root == "config" && s.RelativePath == TruthSummary.File) is { } file
            ? TruthSummary.Parse(sheets, file.Content) : null;

    private static IndicatorSystem? Indicators(StageContext context) =>
        context.Sources.FirstOrDefault(s => s.Root == "config" && s.RelativePath == IndicatorsFile) is { } file
            ? IndicatorSystem.FromJson(file.Content, "config/" + IndicatorsFile) : null;
}
