using NQPF.Econometrics.HonestDid;
using NQPF.Stages.Common;

namespace NQPF.Stages.Robustness;

/// <summary>
/// 06-robustness: the checks of the baseline TWFE — the event study with its pre-trend test, placebo tests (unit, timing, mixed; every draw kept, checkpointed in
/// chunks), PSM-DID (scores, matching, balance, TWFE on the matched sample), and the alternative-specification table —
/// as tables only (the report draws every figure of them through its one figure model); and the heterogeneity-robust staggered comparison (<see cref="StaggeredRuns"/>: TWFE event study, CS, SA, BJS, Bacon); the
/// Rambachan–Roth sensitivity of the event study (<see cref="Sensitivity"/>); the wild cluster bootstrap p-value beside
/// the analytic one for specifications with few clusters.
/// </summary>
internal sealed class RobustnessStage(RobustnessOptions options) : IStage
{
    public string Name => Datasets.Robustness.Stage;

    public int Version => 5;

    public string ConfigSection => "Robustness";

    public object Settings => options;

    public IReadOnlyList<string> Inputs { get; } =
        [Datasets.Clean.Panel, Datasets.Index.Values, Datasets.Cohorts.Treatment, Datasets.Cohorts.Attributes];

    public IReadOnlyList<string> Outputs { get; } =
        [.. Datasets.Tables(Datasets.Robustness.EventStudy, Datasets.Robustness.Pretrend, Datasets.Robustness.Alternatives,
            Datasets.Robustness.PlaceboDraws, Datasets.Robustness.PlaceboSummary, Datasets.Robustness.PsmDid,
            Datasets.Robustness.PsmBalance, Datasets.Robustness.PsmScores), .. options.Staggered.Enabled ? StaggeredRuns.Outputs : [],
            .. options.Sensitivity.Enabled ? Sensitivity.Outputs : []];

    public IReadOnlyList<string> SourceGlobs { get; } = ConfigTables.RosterGlobs;

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var panel = RobustnessPanel.Build(context.Input(Datasets.Cohorts.Treatment), context.Input(Datasets.Index.Values),
            context.Input(Datasets.Clean.Panel), context.Input(Datasets.Cohorts.Attributes), options);
        var events = options.Treatments.Select(t => EventStudy.Estimate(panel, options, t.Name)).ToArray();
        var capitals = CapitalsAndMunicipalities(context);
        IReadOnlyList<EstimateRow> alternatives = [];
        PsmDidResult psm = null!;
        IReadOnlyList<PlaceboRun> placebo = [];
        (Frame Table, Frame Breakdown)? sensitivity = null;
        Dictionary<string, Frame>? staggered = null;
        // The checks read the panel and the event studies only and each writes its own result, so they run side by side
        // (the longest first) and give the same tables as one after the other.
        Concurrently.Run(cancellationToken,
            () => sensitivity = options.Sensitivity.Enabled ? Sensitivity.Run(Studies(events), options.Sensitivity) : null,
            () => placebo = PlaceboRuns.Run(panel, options, context, cancellationToken),
            () => alternatives = AlternativeSpecifications.Estimate(panel, options, capitals),
            () => staggered = options.Staggered.Enabled ? StaggeredRuns.Run(panel, options, cancellationToken) : null,
            () => psm = PsmDid.Run(panel, options));
        return new StageResult(Tables(events, alternatives, psm, placebo, sensitivity, staggered));
    }

    private static Dictionary<string, Frame> Tables((IReadOnlyList<EventStudyRow> Rows, PretrendRow Pretrend, EventStudyEstimates? Estimates)[] events, IReadOnlyList<EstimateRow> alternatives, PsmDidResult psm,
        IReadOnlyList<PlaceboRun> placebo, (Frame Table, Frame Breakdown)? sensitivity, Dictionary<string, Frame>? staggered)
    {
        var tables = new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["event_study"] = RobustnessFrames.EventStudy([.. events.SelectMany(e => e.Rows)]),
            ["alternatives"] = RobustnessFrames.Estimates(alternatives),
            ["placebo_draws"] = RobustnessFrames.PlaceboDraws(placebo),
            ["placebo_summary"] = RobustnessFrames.PlaceboSummary(placebo),
            ["psm_did"] = RobustnessFrames.Estimates(psm.Estimates),
            ["psm_balance"] = RobustnessFrames.PsmBalance(psm.Balance),
            ["psm_scores"] = RobustnessFrames.PsmScores(psm.Scores),
        };
        if (sensitivity is var (table, breakdown))
        {
            tables["sensitivity"] = table;
            tables["sensitivity_breakdown"] = breakdown;
        }
        foreach (var (name, frame) in staggered ?? [])
            tables[name] = frame;
        var staggeredSummary = staggered?["staggered_summary"];
        tables["pretrend"] = RobustnessFrames.Pretrend([.. events.Select(e => e.Pretrend with { Note = StaggeredRuns.PretrendNote(staggeredSummary, e.Pretrend.Treatment) })]);
        return tables;
    }

    private static List<(string Treatment, EventStudyEstimates Estimates)> Studies((IReadOnlyList<EventStudyRow> Rows, PretrendRow Pretrend, EventStudyEstimates? Estimates)[] events) =>
        [.. events.Where(e => e.Estimates is not null).Select(e => (e.Pretrend.Treatment, e.Estimates!))];

    /// <summary>Codes of the municipalities (level 直辖市) and provincial capitals of the roster.</summary>
    private static IReadOnlySet<string> CapitalsAndMunicipalities(StageContext context) =>
        context.Config.Roster.Cities.Where(c => c.IsMunicipality || c.Capital).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
}
