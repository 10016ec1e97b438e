using System.Globalization;
using System.Text;
using NQPF.Econometrics.Placebo;
using NQPF.Stages.Common;

namespace NQPF.Stages.Robustness;

/// <summary>The stage's figures, as data for an <see cref="IFigureRenderer"/>, and their rendering into documents.</summary>
internal static class RobustnessFigures
{
    /// <summary>Event-study coefficients with 95% CIs, a vertical line at treatment (between −1 and 0) and zero marked.</summary>
    public static Figure EventStudy(IReadOnlyList<EventStudyRow> rows, PretrendRow pretrend)
    {
        var shown = rows.Where(r => double.IsFinite(r.Estimate)).ToArray();
        return new Figure(
            Inv($"{pretrend.Treatment}: event study (leads jointly 0: F = {pretrend.F:F2}, p = {pretrend.FP:F3})"),
            "years relative to first treatment (−1 = reference)", "coefficient (95% CI)",
            [new FigureSeries("estimate", SeriesStyle.ErrorBars, [.. shown.Select(r => (double)r.RelTime)], [.. shown.Select(r => r.Estimate)],
                [.. shown.Select(r => r.CiLow)], [.. shown.Select(r => r.CiHigh)])],
            [new ReferenceLine(-0.5, "treatment")],
            [new ReferenceLine(0, "0")]);
    }

    /// <summary>Kernel density of the placebo coefficients (Gaussian, bw.nrd0) with the real estimate as a vertical line.</summary>
    public static Figure PlaceboDensity(PlaceboRun run)
    {
        var (x, y) = PlaceboInference.KernelDensity(run.Draws.Select(d => d.Estimate).ToArray());
        return new Figure(
            Inv($"{run.Treatment}: {PlaceboRuns.Name(run.Kind)} placebo, {run.Summary.Draws} draws (empirical p = {run.Summary.PValue:F3})"),
            "placebo coefficient", "density",
            [new FigureSeries("kernel density", SeriesStyle.Line, x, y)],
            [new ReferenceLine(run.Summary.RealEstimate, Inv($"real estimate {run.Summary.RealEstimate:G4}"), Dashed: false), new ReferenceLine(0, "0")],
            []);
    }

    /// <summary>Each draw's coefficient against its conventional p-value, with p = 0.1 and the real estimate marked.</summary>
    public static Figure PlaceboPValues(PlaceboRun run)
    {
        var finite = run.Draws.Where(d => double.IsFinite(d.Estimate) && double.IsFinite(d.P)).ToArray();
        return new Figure(
            Inv($"{run.Treatment}: {PlaceboRuns.Name(run.Kind)} placebo coefficients and p-values"),
            "placebo coefficient", "p-value",
            [new FigureSeries("draws", SeriesStyle.Markers, [.. finite.Select(d => d.Estimate)], [.. finite.Select(d => d.P)])],
            [new ReferenceLine(run.Summary.RealEstimate, Inv($"real estimate {run.Summary.RealEstimate:G4}"), Dashed: false)],
            [new ReferenceLine(0.1, "p = 0.1")]);
    }

    /// <summary>PNG and SVG of <paramref name="figure"/> as figures/&lt;name&gt;.png and .svg.</summary>
    public static IEnumerable<StageDocument> Render(IFigureRenderer renderer, string name, Figure figure)
    {
        yield return new StageDocument($"figures/{name}.png", renderer.Png(figure));
        yield return new StageDocument($"figures/{name}.svg", renderer.Svg(figure));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A small Markdown summary of the placebo results (the report stage has the full tables).</summary>
    public static StageDocument PlaceboMarkdown(IReadOnlyList<PlaceboRun> runs, long seed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Placebo tests").AppendLine();
        sb.AppendLine(Inv($"Seed {seed}. Empirical p = (1 + #|b*| ≥ |b|) / (1 + B), two-sided; draws whose fake treatment is collinear with the FE are left out of B."));
        sb.AppendLine().AppendLine("| treatment | kind | real estimate | B | p (empirical) | mean | sd | 2.5% | 97.5% | share p<0.05 |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            var s = r.Summary;
            sb.AppendLine(Inv($"| {r.Treatment} | {PlaceboRuns.Name(r.Kind)} | {s.RealEstimate:G5} | {s.Draws} | {s.PValue:F4} | {s.Mean:G4} | {s.Sd:G4} | {s.Q025:G4} | {s.Q975:G4} | {s.ShareSignificant:F3} |"));
        }
        return new StageDocument("placebo.md", Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
