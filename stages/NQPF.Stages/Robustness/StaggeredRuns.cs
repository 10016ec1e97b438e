using System.ComponentModel.DataAnnotations;
using NQPF.Econometrics.Staggered;
using NQPF.Stages.Common;

namespace NQPF.Stages.Robustness;

/// <summary>
/// Settings of the heterogeneity-robust staggered comparison (config "Robustness:Staggered"), harmonised across
/// estimators; the TWFE event window is the stage's <see cref="EventStudySettings"/>.
/// </summary>
internal sealed record StaggeredOptions
{
    /// <summary>Run the comparison (Goodman-Bacon, Callaway–Sant'Anna, Sun–Abraham, imputation, TWFE event study).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>"never" or "notyet" (Sun–Abraham maps not-yet to the last-treated cohort).</summary>
    [RegularExpression("^(never|notyet)$")]
    public string Control { get; init; } = "never";

    /// <summary>"varying" or "universal" (Callaway–Sant'Anna base period).</summary>
    [RegularExpression("^(varying|universal)$")]
    public string BasePeriod { get; init; } = "varying";

    [Range(0, 5)]
    public int Anticipation { get; init; }

    /// <summary>Callaway–Sant'Anna multiplier-bootstrap draws (0 = analytic SEs only).</summary>
    [Range(0, 100_000)]
    public int BootstrapDraws { get; init; } = 1000;

    public int Seed { get; init; } = 20240601;

    public StaggeredComparisonSettings ToSettings(EventStudySettings window) => new(
        Control == "notyet" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated,
        BasePeriod == "universal" ? Econometrics.Staggered.BasePeriod.Universal : Econometrics.Staggered.BasePeriod.Varying,
        Anticipation, window.Leads, window.Lags, BootstrapDraws, Seed);
}

/// <summary>Runs <see cref="StaggeredComparison"/> for every treatment definition and stacks the frames (pure).</summary>
internal static class StaggeredRuns
{
    public static readonly IReadOnlyList<string> Outputs = ["staggered_event", "staggered_summary", "bacon"];

    public static (Dictionary<string, Frame> Tables, List<(string Name, Figure Figure)> Figures) Run(
        RobustnessPanel panel, RobustnessOptions options, CancellationToken cancellationToken)
    {
        var units = panel.UnitOfRow.Select(u => panel.Units[u]).ToArray();
        var outcome = panel.Column(options.Outcome);
        var parts = Outputs.ToDictionary(o => o, _ => new List<Frame>(), StringComparer.Ordinal);
        var figures = new List<(string, Figure)>();
        foreach (var t in options.Treatments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = StaggeredComparison.Run(t.Name, units, panel.Year, panel.CohortOfRow[t.Name], outcome,
                options.Staggered.ToSettings(options.EventStudy));
            foreach (var o in Outputs) parts[o].Add(result.Frames[o]);
            figures.AddRange(result.Figures);
        }
        return (parts.ToDictionary(kv => kv.Key, kv => Stack(kv.Value), StringComparer.Ordinal), figures);
    }

    /// <summary>Rows of frames with the same columns, one after the other.</summary>
    private static Frame Stack(List<Frame> frames)
    {
        var first = frames[0];
        var columns = new List<Column>(first.Columns.Count);
        foreach (var c in first.Columns)
        {
            columns.Add(c switch
            {
                StringColumn => new StringColumn(c.Name, [.. frames.SelectMany(f => f.Strings(c.Name))]),
                LongColumn => new LongColumn(c.Name, [.. frames.SelectMany(f => f.Longs(c.Name))]),
                DoubleColumn => new DoubleColumn(c.Name, [.. frames.SelectMany(f => f.Doubles(c.Name))]),
                _ => new BoolColumn(c.Name, [.. frames.SelectMany(f => f.Bools(c.Name))]),
            });
        }
        return new Frame(columns);
    }
}
