using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;

namespace NQPF.Stages.Robustness;

/// <summary>All draws of one placebo (treatment × kind) and where the real estimate falls among them.</summary>
internal sealed record PlaceboRun(string Treatment, PlaceboKind Kind, IReadOnlyList<PlaceboDraw> Draws, PlaceboSummary Summary);

/// <summary>
/// The placebo tests of the stage, checkpointed in chunks through <see cref="IStageMemo"/>: draws [a, b) of a
/// (treatment, kind, seed) are saved under one key once computed, and a rerun of the stage (same fingerprint) loads
/// them instead of recomputing. Because draw b's fake cohorts depend only on (seed, b) (<see cref="DrawRandom"/>),
/// the chunk size and the thread count do not change any draw.
/// </summary>
internal static class PlaceboRuns
{
    public static IReadOnlyList<PlaceboRun> Run(RobustnessPanel panel, RobustnessOptions options, StageContext context,
        CancellationToken ct)
    {
        var settings = options.Placebo;
        var kinds = settings.Kinds.Select(ParseKind).ToArray();
        var input = new RegressionInput(options.Outcome, panel.Column(options.Outcome),
            options.ControlList.Select(c => new NamedColumn(c, panel.Column(c))).ToArray(), [panel.Unit, panel.YearFactor]);
        var runs = new List<PlaceboRun>();
        var chunks = (settings.Draws + settings.ChunkSize - 1) / settings.ChunkSize;
        var totalChunks = (long)chunks * kinds.Length * options.Treatments.Count;
        var done = 0L;
        foreach (var t in options.Treatments)
        {
            var design = new PlaceboDesign(panel.UnitOfRow, panel.Year, panel.UnitCohorts(t.Name), settings.MinShift, settings.MaxShift);
            var real = PlaceboStudy.Real(PlaceboStudy.CreateEngine(input, panel.Unit, design, PlaceboKind.Unit, t.Name), design);
            foreach (var kind in kinds)
            {
                var engine = PlaceboStudy.CreateEngine(input, panel.Unit, design, kind, t.Name);
                var draws = new List<PlaceboDraw>(settings.Draws);
                for (var from = 0; from < settings.Draws; from += settings.ChunkSize)
                {
                    ct.ThrowIfCancellationRequested();
                    var to = Math.Min(settings.Draws, from + settings.ChunkSize);
                    var key = string.Create(CultureInfo.InvariantCulture, $"placebo_{t.Name}_{Name(kind)}_{settings.Seed}_{from}_{to}");
                    var chunk = context.Memo.TryLoad(key) is { } saved ? FromFrame(saved, key, from, to)
                        : Save(context.Memo, key, PlaceboStudy.Run(engine, design, kind, settings.Seed, from, to, cancellationToken: ct));
                    draws.AddRange(chunk);
                    context.Progress.Report(new StageProgress(++done, totalChunks, $"placebo {t.Name} {Name(kind)} draws {to}/{settings.Draws}"));
                }
                var summary = PlaceboInference.Summarise(real.Estimate, draws.Select(d => d.Estimate).ToArray(), draws.Select(d => d.P).ToArray());
                runs.Add(new PlaceboRun(t.Name, kind, draws, summary));
            }
        }
        return runs;
    }

    public static string Name(PlaceboKind kind) => kind.ToString().ToLowerInvariant();

    private static PlaceboKind ParseKind(string s) => s switch
    {
        "unit" => PlaceboKind.Unit,
        "timing" => PlaceboKind.Timing,
        "mixed" => PlaceboKind.Mixed,
        _ => throw new ConfigValidationException($"Robustness.Placebo.Kinds: '{s}' is not one of unit, timing, mixed."),
    };

    private static PlaceboDraw[] Save(IStageMemo memo, string key, PlaceboDraw[] draws)
    {
        memo.Save(key, new Frame(
            new LongColumn("draw", draws.Select(d => (long)d.Draw).ToArray()),
            new DoubleColumn("estimate", draws.Select(d => d.Estimate).ToArray()),
            new DoubleColumn("se", draws.Select(d => d.Se).ToArray()),
            new DoubleColumn("t", draws.Select(d => d.T).ToArray()),
            new DoubleColumn("p", draws.Select(d => d.P).ToArray())));
        return draws;
    }

    private static PlaceboDraw[] FromFrame(Frame frame, string key, int from, int to)
    {
        var draw = frame.Longs("draw");
        if (frame.RowCount != to - from || draw.Where((b, k) => b != from + k).Any())
            throw new MissingCheckpointException($"Placebo chunk '{key}' holds draws that are not {from}…{to - 1}.");
        var (e, se, t, p) = (frame.Doubles("estimate"), frame.Doubles("se"), frame.Doubles("t"), frame.Doubles("p"));
        return [.. Enumerable.Range(0, frame.RowCount).Select(k => new PlaceboDraw((int)draw[k], e[k], se[k], t[k], p[k]))];
    }
}
