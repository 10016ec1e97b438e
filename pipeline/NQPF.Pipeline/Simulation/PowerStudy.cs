using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Stages;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;
using NQPF.Stages.Report;
using NQPF.Stages.Simulation;
using D = NQPF.Stages.Datasets;
using PlantedSummary = NQPF.Stages.Simulation.TruthSummary;
using ReportTruth = NQPF.Stages.Report.TruthSummary;

namespace NQPF.Pipeline.Simulation;

/// <summary>One seed of a power study: the scorecard's claims as the run judges them, with that seed's planted truth.</summary>
internal sealed record PowerDraw(int Seed, IReadOnlyList<ClaimResult> Claims);

/// <summary>
/// The power of the simulated default data: for each seed, the default data are simulated exactly as <c>simulate</c>
/// makes them (same roster, pilot lists, years and layout; another seed), the stages the scorecard's parts need run in
/// process with the configured options (ingest → clean → index → cohorts → estimate; no checkpoints, ledger, robustness
/// or report), and the seven claims are judged by the report's own rules (<see cref="Claims"/>, <see cref="Verdicts"/>)
/// against that seed's planted truth. The robustness datasets the scorecard reads feed only a claim's count of agreeing
/// checks, never its parts or verdict, so they are given empty: the checks are not counted here.
/// </summary>
internal sealed class PowerStudy(IEnumerable<IStage> stages, SourceScanner scanner, ISheetReader sheetReader)
{
    /// <summary>The stages the scorecard's parts read from, in run order.</summary>
    public static readonly IReadOnlyList<string> StageNames =
        [D.Ingest.Stage, D.Clean.Stage, D.Index.Stage, D.Cohorts.Stage, D.Estimate.Stage];

    private readonly ConfigTableCache _configCache = new();

    public async Task<PowerDraw> RunAsync(SimulateOptions options, double alpha, CancellationToken ct)
    {
        var (inputs, catalog) = SimulationRun.Inputs(options);
        var panel = YearbookSimulator.Generate(inputs);
        var raw = SimulationRun.YearbookFiles(panel, catalog, options)
            .Select(f => new SourceFile("raw", f.FileName, SimulationWriter.ToBytes(f))).ToList();
        var tables = new Dictionary<string, Frame>(StringComparer.Ordinal);
        var byName = stages.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in StageNames)
        {
            ct.ThrowIfCancellationRequested();
            var stage = byName.TryGetValue(name, out var s) ? s
                : throw new StageContractException($"power: stage '{name}' is not registered.");
            await RunStageAsync(stage, raw, tables, ct);
        }
        foreach (var need in CheckOnlyDatasets().Where(n => !tables.ContainsKey(n.Key)))
            tables[need.Key] = Empty(need);
        var truth = Truth(TruthCalculator.Compute(panel).Summaries);
        return new PowerDraw(options.Seed, new Claims(new DeclaredInputs(tables), truth, alpha).Evaluate());
    }

    private async Task RunStageAsync(IStage stage, IReadOnlyList<SourceFile> raw, Dictionary<string, Frame> tables, CancellationToken ct)
    {
        var configGlobs = stage.SourceGlobs.Where(g => g.StartsWith("config:", StringComparison.Ordinal));
        var config = (await scanner.ReadAsync(configGlobs, ct)).Select(SourceScanner.ToSourceFile);
        IReadOnlyList<SourceFile> sources = stage.SourceGlobs.Any(g => g.StartsWith("raw:", StringComparison.Ordinal))
            ? [.. raw, .. config] : [.. config];
        var inputs = new Dictionary<string, Frame>(StringComparer.Ordinal);
        foreach (var key in stage.Inputs)
            inputs[key] = tables.TryGetValue(key, out var f) ? f
                : throw new StageContractException($"power: stage '{stage.Name}' needs '{key}', which no earlier stage wrote.");
        foreach (var key in stage.OptionalInputs.Where(tables.ContainsKey))
            inputs[key] = tables[key];
        var context = new StageContext(inputs, sources, new Progress<StageProgress>(), NullLogger.Instance)
        {
            Config = new ConfigTables(sources, sheetReader, _configCache),
        };
        var result = await Task.Run(() => stage.Run(context, ct), ct);
        foreach (var (name, frame) in result.Tables)
            tables[stage.Name + "/" + name] = frame;
    }

    /// <summary>The datasets of later stages that the scorecard reads (robustness checks only).</summary>
    private static IEnumerable<DatasetNeed> CheckOnlyDatasets() =>
        [ReportDatasets.Alternatives, ReportDatasets.PsmDid, ReportDatasets.StaggeredSummary, ReportDatasets.PlaceboSummary];

    private static Frame Empty(DatasetNeed need) => new(need.Columns.Select(c => c.Type.Name switch
    {
        nameof(DoubleColumn) => (Column)new DoubleColumn(c.Name, []),
        nameof(LongColumn) => new LongColumn(c.Name, []),
        nameof(BoolColumn) => new BoolColumn(c.Name, []),
        _ => new StringColumn(c.Name, []),
    }));

    /// <summary>The planted truth as the report reads it from config/truth/att_summary.csv.</summary>
    private static ReportTruth Truth(IEnumerable<PlantedSummary> summaries) =>
        new(summaries.ToDictionary(s => (s.Definition, s.Group),
            s => new TruthRow(s.AttIndex, s.AttPatentsPer10k, s.AttEmploymentDensity)));
}
