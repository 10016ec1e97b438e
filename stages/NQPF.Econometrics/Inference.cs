using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics;

/// <summary>One row of a coefficient table.</summary>
internal sealed record CoefficientRow(string Term, double Estimate, double Se, double T, double P, double CiLow, double CiHigh);

/// <summary>A fit with one vcov and the coefficient table derived from them.</summary>
internal sealed record RegressionResult(OlsFit Fit, VarianceEstimate Vcov, IReadOnlyList<CoefficientRow> Coefficients)
{
    public CoefficientRow this[string term] =>
        Coefficients.FirstOrDefault(c => string.Equals(c.Term, term, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"Term '{term}' is not in the result (terms: {string.Join(", ", Coefficients.Select(c => c.Term))}).");

    /// <summary>A plain-text table with N, R², within R², FE, dropped terms, and the SE recipe.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{(Fit.WeightsName is null ? "OLS" : "WLS")} of {Fit.OutcomeName}");
        if (Fit.WeightsName is not null) sb.Append(inv, $", weighted by {Fit.WeightsName}");
        if (Fit.FixedEffects.Dimensions > 0) sb.Append(" | FE: ").Append(string.Join(", ", Fit.FixedEffects.Factors.Select(f => $"{f.Name} ({f.LevelCount.ToString(inv)})")));
        sb.AppendLine();
        sb.AppendLine(inv, $"{"term",-24}{"estimate",14}{"se",14}{"t",10}{"p",12}{"ci_low",14}{"ci_high",14}");
        foreach (var c in Coefficients)
        {
            sb.AppendLine(inv, $"{c.Term,-24}{c.Estimate,14:G6}{c.Se,14:G6}{c.T,10:F3}{c.P,12:G4}{c.CiLow,14:G6}{c.CiHigh,14:G6}");
        }
        sb.AppendLine(inv, $"N = {Fit.N}, R2 = {Fit.R2:F6}, within R2 = {Fit.R2Within:F6}, singletons dropped = {Fit.FixedEffects.SingletonsDropped}, missing rows removed = {Fit.MissingRowsRemoved}");
        if (Fit.DroppedCollinear.Count > 0) sb.AppendLine("Dropped as collinear: " + string.Join(", ", Fit.DroppedCollinear));
        sb.AppendLine(Vcov.Recipe.Describe());
        return sb.ToString();
    }
}

/// <summary>t statistics, p-values and confidence intervals from a fit and a vcov.</summary>
internal static class Inference
{
    /// <summary>
    /// Fits the vcov and builds the table: t = β/se, p = 2·F_t(−|t|; df), CI = β ± t_{1−α/2}(df)·se with df the vcov's
    /// t df (MathNet StudentT). df = ∞ is not used: every vcov here has a finite df.
    /// </summary>
    public static RegressionResult Summarise(OlsFit fit, VcovSpec spec, double level = 0.95) =>
        Summarise(fit, Vcov.Compute(fit, spec), level);

    public static RegressionResult Summarise(OlsFit fit, VarianceEstimate vcov, double level = 0.95)
    {
        var df = vcov.Recipe.TDf;
        var crit = StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2);
        var rows = new CoefficientRow[fit.K];
        for (var j = 0; j < fit.K; j++)
        {
            var b = fit.Coefficients[j];
            var se = vcov.StandardError(j);
            var t = b / se;
            rows[j] = new CoefficientRow(fit.Terms[j], b, se, t, TwoSidedP(t, df), b - crit * se, b + crit * se);
        }
        return new RegressionResult(fit, vcov, rows);
    }

    /// <summary>2·P(T ≤ −|t|) for T ~ t(df); NaN when t is NaN.</summary>
    public static double TwoSidedP(double t, double df) =>
        double.IsNaN(t) ? double.NaN : 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
}
