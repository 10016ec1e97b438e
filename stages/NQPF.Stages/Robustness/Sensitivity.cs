using System.ComponentModel.DataAnnotations;
using NQPF.Econometrics.HonestDid;
using NQPF.Stages.Common;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Robustness;

/// <summary>
/// Rambachan–Roth sensitivity of the stage's event study (config "Robustness:Sensitivity"): relative magnitudes over
/// <see cref="Mbar"/> (C-LF) and smoothness over <see cref="M"/> (FLCI; empty = 0, ¼, ½ and 1 × the first post-period SE).
/// </summary>
internal sealed record SensitivitySettings
{
    public bool Enabled { get; init; } = true;

    [MinLength(1)]
    public IReadOnlyList<double> Mbar { get; init; } = [0.5, 1, 1.5, 2];

    public IReadOnlyList<double> M { get; init; } = [];
}

/// <summary>The sensitivity tables per treatment (the report draws the usual plot, intervals against M̄ and M, from them).</summary>
internal static class Sensitivity
{
    public static readonly IReadOnlyList<string> Outputs = Datasets.Tables(Datasets.Robustness.Sensitivity, Datasets.Robustness.SensitivityBreakdown);

    /// <summary>
    /// robustness/sensitivity: treatment, estimator, method (Original, C-LF, FLCI), restriction (RM, SD, empty for the
    /// original CI), parameter (mbar or m), value, target (first: the effect at e = 0; average: mean over e ≥ 0), lb, ub,
    /// excludes_zero. robustness/sensitivity_breakdown: treatment, estimator, restriction, parameter, target, breakdown
    /// (largest value whose set excludes 0), precision.
    /// </summary>
    public static (Frame Table, Frame Breakdown) Run(
        IReadOnlyList<(string Treatment, EventStudyEstimates Estimates)> studies, SensitivitySettings settings)
    {
        // The four tables (each treatment × restriction) are independent and cost about the same: computed side by side.
        var tables = Concurrently.Map([.. studies.SelectMany(s => new[] { (s.Treatment, s.Estimates, Rm: true), (s.Treatment, s.Estimates, Rm: false) })],
            job => job.Rm
                ? SensitivityAnalysis.Run(job.Estimates, SensitivityRestriction.RelativeMagnitudes, settings.Mbar)
                : SensitivityAnalysis.Run(job.Estimates, SensitivityRestriction.Smoothness, SmoothnessGrid(job.Estimates, settings)));
        var rows = new List<(string Treatment, SensitivityRow Row)>();
        var breakdowns = new List<(string Treatment, SensitivityBreakdown Breakdown)>();
        for (var i = 0; i < studies.Count; i++)
        {
            var (treatment, rm, sd) = (studies[i].Treatment, tables[2 * i], tables[2 * i + 1]);
            rows.AddRange(rm.Rows.Concat(sd.Rows.Where(r => r.Method != "Original")).Select(r => (treatment, r)));
            breakdowns.AddRange(rm.Breakdowns.Concat(sd.Breakdowns).Select(b => (treatment, b)));
        }
        const string estimator = "twfe_event";
        var table = new Frame(
            Text("treatment", rows, r => r.Treatment),
            Text("estimator", rows, _ => estimator),
            Text("method", rows, r => r.Row.Method),
            Text("restriction", rows, r => r.Row.Restriction ?? ""),
            Text("parameter", rows, r => r.Row.Restriction switch { "RM" => "mbar", "SD" => "m", _ => "" }),
            Double("value", rows, r => r.Row.Parameter),
            Text("target", rows, r => Target(r.Row.Target)),
            Double("lb", rows, r => r.Row.Lb),
            Double("ub", rows, r => r.Row.Ub),
            Bool("excludes_zero", rows, r => r.Row.ExcludesZero));
        var breakdown = new Frame(
            Text("treatment", breakdowns, b => b.Treatment),
            Text("estimator", breakdowns, _ => estimator),
            Text("restriction", breakdowns, b => b.Breakdown.Restriction),
            Text("parameter", breakdowns, b => b.Breakdown.Restriction == "RM" ? "mbar" : "m"),
            Text("target", breakdowns, b => Target(b.Breakdown.Target)),
            Double("breakdown", breakdowns, b => b.Breakdown.Value),
            Double("precision", breakdowns, b => b.Breakdown.Precision));
        return (table, breakdown);
    }

    /// <summary>The configured M grid, or 0, ¼, ½ and 1 × the first post-period SE.</summary>
    private static IReadOnlyList<double> SmoothnessGrid(EventStudyEstimates es, SensitivitySettings settings)
    {
        var firstSe = Math.Sqrt(es.SigmaAt(es.PrePeriods, es.PrePeriods));
        return settings.M.Count > 0 ? settings.M : [0, 0.25 * firstSe, 0.5 * firstSe, firstSe];
    }

    private static string Target(SensitivityTarget t) => t == SensitivityTarget.First ? "first" : "average";
}
