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
        var alternatives = AlternativeSpecifications.Estimate(panel, options, CapitalsAndMunicipalities(context));
        var psm = PsmDid.Run(panel, options);
        var placebo = PlaceboRuns.Run(panel, options, context, cancellationToken);

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
        if (options.Sensitivity.Enabled)
        {
            var studies = events.Where(e => e.Estimates is not null).Select(e => (e.Pretrend.Treatment, e.Estimates!)).ToList();
            var (table, breakdown) = Sensitivity.Run(studies, options.Sensitivity);
            tables["sensitivity"] = table;
            tables["sensitivity_breakdown"] = breakdown;
        }
        Frame? staggeredSummary = null;
        if (options.Staggered.Enabled)
        {
            var staggered = StaggeredRuns.Run(panel, options, cancellationToken);
            foreach (var (name, frame) in staggered) tables[name] = frame;
            staggeredSummary = staggered["staggered_summary"];
        }
        tables["pretrend"] = RobustnessFrames.Pretrend([.. events.Select(e => e.Pretrend with { Note = StaggeredRuns.PretrendNote(staggeredSummary, e.Pretrend.Treatment) })]);
        return new StageResult(tables);
    }

    /// <summary>Codes of the municipalities (level 直辖市) and provincial capitals of the roster.</summary>
    private static IReadOnlySet<string> CapitalsAndMunicipalities(StageContext context) =>
        context.Config.Roster.Cities.Where(c => c.IsMunicipality || c.Capital).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
}
