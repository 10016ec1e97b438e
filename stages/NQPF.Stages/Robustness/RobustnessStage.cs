using NQPF.Stages.Common;

namespace NQPF.Stages.Robustness;

/// <summary>
/// 06-robustness: the checks of the baseline TWFE — the event study with its pre-trend test, placebo tests (unit, timing, mixed; every draw kept, checkpointed in
/// chunks), PSM-DID (scores, matching, balance, TWFE on the matched sample), and the alternative-specification table —
/// with their figures (placebo kernel densities with the real estimate, p-value scatters) as PNG and SVG; and the
/// heterogeneity-robust staggered comparison (<see cref="StaggeredRuns"/>: TWFE event study, CS, SA, BJS, Bacon); the
/// Rambachan–Roth sensitivity of the event study (<see cref="Sensitivity"/>); the wild cluster bootstrap p-value beside
/// the analytic one for specifications with few clusters.
/// </summary>
internal sealed class RobustnessStage(RobustnessOptions options, IFigureRenderer figures) : IStage
{
    public string Name => Datasets.Robustness.Stage;

    public int Version => 3;

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

        var documents = new List<StageDocument> { RobustnessFigures.PlaceboMarkdown(placebo, options.Placebo.Seed) };
        foreach (var (rows, pretrend, _) in events)
            documents.AddRange(RobustnessFigures.Render(figures, "event_study_" + pretrend.Treatment, RobustnessFigures.EventStudy(rows, pretrend)));
        foreach (var run in placebo)
        {
            var stem = $"placebo_{run.Treatment}_{PlaceboRuns.Name(run.Kind)}";
            documents.AddRange(RobustnessFigures.Render(figures, stem + "_density", RobustnessFigures.PlaceboDensity(run)));
            documents.AddRange(RobustnessFigures.Render(figures, stem + "_pvalues", RobustnessFigures.PlaceboPValues(run)));
        }
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
            var (table, breakdown, sensitivityFigures) = Sensitivity.Run(studies, options.Sensitivity);
            tables["sensitivity"] = table;
            tables["sensitivity_breakdown"] = breakdown;
            foreach (var (name, figure) in sensitivityFigures) documents.AddRange(RobustnessFigures.Render(figures, name, figure));
        }
        Frame? staggeredSummary = null;
        if (options.Staggered.Enabled)
        {
            var (staggered, staggeredFigures) = StaggeredRuns.Run(panel, options, cancellationToken);
            foreach (var (name, frame) in staggered) tables[name] = frame;
            foreach (var (name, figure) in staggeredFigures) documents.AddRange(RobustnessFigures.Render(figures, name, figure));
            staggeredSummary = staggered["staggered_summary"];
        }
        tables["pretrend"] = RobustnessFrames.Pretrend([.. events.Select(e => e.Pretrend with { Note = StaggeredRuns.PretrendNote(staggeredSummary, e.Pretrend.Treatment) })]);
        return new StageResult(tables, documents);
    }

    /// <summary>Codes of the municipalities (level 直辖市) and provincial capitals of the roster.</summary>
    private static IReadOnlySet<string> CapitalsAndMunicipalities(StageContext context) =>
        context.Config.Roster.Cities.Where(c => c.IsMunicipality || c.Capital).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
}
