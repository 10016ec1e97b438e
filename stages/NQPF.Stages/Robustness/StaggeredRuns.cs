using System.ComponentModel.DataAnnotations;
using System.Globalization;
using NQPF.Econometrics.Staggered;
using NQPF.Stages.Analysis;
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

    /// <summary>"never" or "notyet" (Sun–Abraham: <see cref="StaggeredAnalysis.SunAbrahamControl"/>).</summary>
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

    public StaggeredSpec ToSettings(EventStudySettings window) => new(
        Control == "notyet" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated,
        BasePeriod == "universal" ? Econometrics.Staggered.BasePeriod.Universal : Econometrics.Staggered.BasePeriod.Varying,
        Anticipation, window.Leads, window.Lags, BootstrapDraws, Seed);
}

/// <summary>Runs <see cref="StaggeredComparison"/> for every treatment definition and stacks the frames (pure).</summary>
internal static class StaggeredRuns
{
    public static readonly IReadOnlyList<string> Outputs =
        Datasets.Tables(Datasets.Robustness.StaggeredEvent, Datasets.Robustness.StaggeredSummary, Datasets.Robustness.Bacon);

    public static Dictionary<string, Frame> Run(
        RobustnessPanel panel, RobustnessOptions options, CancellationToken cancellationToken)
    {
        var units = panel.UnitOfRow.Select(u => panel.Units[u]).ToArray();
        var outcome = panel.Column(options.Outcome);
        var parts = Outputs.ToDictionary(o => o, _ => new List<Frame>(), StringComparer.Ordinal);
        foreach (var t in options.Treatments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = StaggeredComparison.Run(t.Name, units, panel.Year, panel.CohortOfRow[t.Name], outcome,
                options.Staggered.ToSettings(options.EventStudy), panel.Unit.Name);
            foreach (var o in Outputs) parts[o].Add(result.Frames[o]);
        }
        return parts.ToDictionary(kv => kv.Key, kv => Stack(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// How to read the TWFE event study's joint lead test (robustness/pretrend): its leads are contaminated by other
    /// cohorts' post-treatment effects when effects differ by cohort (Sun &amp; Abraham 2021), and a city's other pilot
    /// can act before this policy's cohort year; the heterogeneity-robust pre-tests of <paramref name="summary"/>
    /// (staggered_summary, null when the comparison is disabled) are listed beside it.
    /// </summary>
    public static string PretrendNote(Frame? summary, string treatment)
    {
        const string caveat = "TWFE leads mix in other cohorts' post-treatment effects when effects differ by cohort (Sun & Abraham 2021), "
            + "and another policy in force before this one's cohort year shows up as a pre-trend";
        if (summary is null) return caveat + "; heterogeneity-robust pre-tests not run (Robustness:Staggered:Enabled = false)";
        var tests = Enumerable.Range(0, summary.RowCount)
            .Where(i => summary.Strings("treatment")[i] == treatment && double.IsFinite(summary.Doubles("pretrend_p")[i]))
            .Select(i => string.Create(CultureInfo.InvariantCulture,
                $"{summary.Strings("estimator")[i]} chi2({summary.Longs("pretrend_df")[i]}) = {summary.Doubles("pretrend_chi2")[i]:F2}, p = {summary.Doubles("pretrend_p")[i]:F3}"));
        return caveat + "; joint pre-tests without controls (staggered_summary): " + string.Join("; ", tests);
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
