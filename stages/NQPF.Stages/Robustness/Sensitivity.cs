using System.ComponentModel.DataAnnotations;
using System.Globalization;
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

/// <summary>The sensitivity tables and the usual plot (intervals against M̄) per treatment.</summary>
internal static class Sensitivity
{
    public static readonly IReadOnlyList<string> Outputs = Datasets.Tables(Datasets.Robustness.Sensitivity, Datasets.Robustness.SensitivityBreakdown);

    /// <summary>
    /// robustness/sensitivity: treatment, estimator, method (Original, C-LF, FLCI), restriction (RM, SD, empty for the
    /// original CI), parameter (mbar or m), value, target (first: the effect at e = 0; average: mean over e ≥ 0), lb, ub,
    /// excludes_zero. robustness/sensitivity_breakdown: treatment, estimator, restriction, parameter, target, breakdown
    /// (largest value whose set excludes 0), precision.
    /// </summary>
    public static (Frame Table, Frame Breakdown, List<(string Name, Figure Figure)> Figures) Run(
        IReadOnlyList<(string Treatment, EventStudyEstimates Estimates)> studies, SensitivitySettings settings)
    {
        var rows = new List<(string Treatment, SensitivityRow Row)>();
        var breakdowns = new List<(string Treatment, SensitivityBreakdown Breakdown)>();
        var figures = new List<(string, Figure)>();
        foreach (var (treatment, es) in studies)
        {
            var firstSe = Math.Sqrt(es.SigmaAt(es.PrePeriods, es.PrePeriods));
            var m = settings.M.Count > 0 ? settings.M : [0, 0.25 * firstSe, 0.5 * firstSe, firstSe];
            var rm = SensitivityAnalysis.Run(es, SensitivityRestriction.RelativeMagnitudes, settings.Mbar);
            var sd = SensitivityAnalysis.Run(es, SensitivityRestriction.Smoothness, m);
            rows.AddRange(rm.Rows.Concat(sd.Rows.Where(r => r.Method != "Original")).Select(r => (treatment, r)));
            breakdowns.AddRange(rm.Breakdowns.Concat(sd.Breakdowns).Select(b => (treatment, b)));
            figures.Add(("sensitivity_rm_" + treatment, Plot(treatment, rm)));
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
        return (table, breakdown, figures);
    }

    private static string Target(SensitivityTarget t) => t == SensitivityTarget.First ? "first" : "average";

    /// <summary>HonestDiD's sensitivity plot for the first post period: the original CI left of the smallest M̄, then the C-LF sets.</summary>
    private static Figure Plot(string treatment, SensitivityResult rm)
    {
        var first = rm.Rows.Where(r => r.Target == SensitivityTarget.First).ToArray();
        var robust = first.Where(r => r.Method != "Original").ToArray();
        var original = first.Single(r => r.Method == "Original");
        var values = robust.Select(r => r.Parameter).Order().ToArray();
        var gap = values.Length > 1 ? values.Zip(values.Skip(1), (a, b) => b - a).Min() : 0.5;
        FigureSeries Series(string label, SensitivityRow[] r, double[] x) =>
            new(label, SeriesStyle.ErrorBars, x, [.. r.Select(v => 0.5 * (v.Lb + v.Ub))], [.. r.Select(v => v.Lb)], [.. r.Select(v => v.Ub)]);
        var breakdown = rm.Breakdowns.Single(b => b.Target == SensitivityTarget.First).Value;
        return new Figure(
            string.Create(CultureInfo.InvariantCulture, $"{treatment}: sensitivity to parallel-trend violations (relative magnitudes; breakdown M̄ = {breakdown:G3})"),
            "M̄ (post-period violation relative to the largest pre-period one)", "effect at e = 0 (95% set)",
            [Series("original", [original], [values[0] - gap]), Series("C-LF", robust, [.. robust.Select(r => r.Parameter)])],
            [], [new ReferenceLine(0, "0")]);
    }
}
