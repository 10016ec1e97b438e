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
internal sealed class ReportStage(ReportOptions options, IFigureRenderer figures) : IStage
{
    private const string IndicatorsFile = "indicators.json";

    public string Name => Datasets.Report.Stage;

    public int Version => 2;

    public string ConfigSection => "Report";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [];

    public IReadOnlyList<string> OptionalInputs => ReadDatasets;

    /// <summary>Every table of the earlier stages (the report picks the ones it declares), the run's raw-file listing and settings.</summary>
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

    /// <summary>The config files the report reads: the indicator system (labels, units) and the planted truth (when present).</summary>
    public static readonly IReadOnlyList<string> ConfigGlobs = ["config:" + IndicatorsFile, "config:" + TruthSummary.File];

    /// <summary>The report model's frames (<see cref="ReportFrames"/>) and the refresh comparison.</summary>
    public static readonly IReadOnlyList<string> Writes =
    [
        Datasets.Report.Meta, Datasets.Report.Sections, Datasets.Report.Blocks, Datasets.Report.TablesIndex, Datasets.Report.Cells,
        Datasets.Report.Notes, Datasets.Report.Rules, Datasets.Report.Links, Datasets.Report.Figures, Datasets.Report.DiffFiles,
        Datasets.Report.DiffCoverage, Datasets.Report.DiffWeights, Datasets.Report.DiffEstimates,
    ];

    public IReadOnlyList<string> PreviousInputs => ComparedDatasets;

    public IReadOnlyList<string> Outputs => Datasets.Tables([.. Writes]);

    public IReadOnlyList<string> SourceGlobs => ConfigGlobs;

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var indicators = context.Sources.Any(s => s.Root == "config" && s.RelativePath == IndicatorsFile)
            ? config.Indicators(IndicatorsFile) : null;
        var model = new ReportBuilder(options, config.Truth, indicators).Build(context.Inputs, context.Previous, context.PreviousRunId);
        // The SVGs are drawn one after the other (the SVG canvas numbers its clip paths process-wide, so their order fixes
        // the bytes) while the PNGs, which carry no such numbers, are drawn beside them.
        var list = model.Figures.ToList();
        StageDocument[] svg = [], png = [];
        Concurrently.Run(cancellationToken,
            () => svg = [.. list.Select(f => new StageDocument(ReportFrames.FigurePath(f.Id, "svg"), figures.Svg(f.Figure)))],
            () => png = [.. list.Select(f => new StageDocument(ReportFrames.FigurePath(f.Id, "png"), figures.Png(f.Figure)))]);
        var documents = svg.Zip(png, (s, p) => new[] { s, p }).SelectMany(d => d).ToList();
        return new StageResult(ReportFrames.Build(model), documents);
    }
}
