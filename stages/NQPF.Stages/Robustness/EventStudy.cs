using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.HonestDid;

namespace NQPF.Stages.Robustness;

/// <summary>One event-time coefficient (rel_time −1 is the reference and is reported as 0 with no SE).</summary>
internal sealed record EventStudyRow(string Treatment, long RelTime, double Estimate, double Se, double T, double P, double CiLow, double CiHigh, long N);

/// <summary>Joint test that every lead coefficient is zero; <paramref name="Note"/> says how to read it (see <see cref="StaggeredRuns.PretrendNote"/>).</summary>
internal sealed record PretrendRow(string Treatment, int Leads, double F, double FP, double Chi2, double ChiP, string Recipe, string Note = "");

/// <summary>
/// The TWFE relative-time regression y = Σ_{k ≠ −1} β_k·1[rel = k] + Xγ + α_i + λ_t + ε with rel = year − cohort for
/// treated cities (never-treated cities have every dummy 0), the end points binned (k = −Leads collects rel ≤ −Leads,
/// k = Lags collects rel ≥ Lags), clustered by city (CR1, default small-sample correction), and the Wald test that
/// all leads k ≤ −2 are 0 (F on (q, G − 1) and χ²_q). It is exactly the regression the <c>estimate</c> verb runs on
/// the same dummies (tested).
/// </summary>
internal static class EventStudy
{
    public static string Term(long k) => k < 0 ? "rel_m" + (-k).ToString(CultureInfo.InvariantCulture) : "rel_p" + k.ToString(CultureInfo.InvariantCulture);

    /// <summary>The rows, the lead test, and the coefficients with their covariance for the sensitivity analysis (null when a term was dropped).</summary>
    public static (IReadOnlyList<EventStudyRow> Rows, PretrendRow Pretrend, EventStudyEstimates? Estimates) Estimate(RobustnessPanel panel, RobustnessOptions options, string treatment)
    {
        var leads = options.EventStudy.Leads;
        var lags = options.EventStudy.Lags;
        var cohort = panel.CohortOfRow[treatment];
        var ks = Enumerable.Range(-leads, leads + lags + 1).Select(k => (long)k).Where(k => k != -1).ToArray();
        var dummies = ks.Select(k => new NamedColumn(Term(k), new double[panel.Rows])).ToArray();
        for (var i = 0; i < panel.Rows; i++)
        {
            if (cohort[i] <= 0) continue;
            var rel = Math.Clamp(panel.Year[i] - cohort[i], -leads, lags);
            var j = Array.IndexOf(ks, rel);
            if (j >= 0) dummies[j].Values[i] = 1.0;
        }
        var controls = options.ControlList.Select(c => new NamedColumn(c, panel.Column(c)));
        var fit = Regression.Fit(new RegressionInput(options.Outcome, panel.Column(options.Outcome), [.. dummies, .. controls],
            [panel.Unit, panel.YearFactor]));
        var result = Inference.Summarise(fit, VcovSpec.Cluster(panel.Unit));
        var rows = new List<EventStudyRow>();
        foreach (var k in ks.Append(-1L).Order())
        {
            if (k == -1)
            {
                rows.Add(new EventStudyRow(treatment, k, 0, double.NaN, double.NaN, double.NaN, 0, 0, fit.N));
                continue;
            }
            var term = Term(k);
            var c = result.Coefficients.FirstOrDefault(r => r.Term == term);
            rows.Add(c is null
                ? new EventStudyRow(treatment, k, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, fit.N)
                : new EventStudyRow(treatment, k, c.Estimate, c.Se, c.T, c.P, c.CiLow, c.CiHigh, fit.N));
        }
        var leadTerms = ks.Where(k => k <= -2).Select(Term).Where(t => fit.IndexOf(t) >= 0).ToArray();
        var wald = Wald.Test(result, [.. leadTerms.Select(t => (IReadOnlyDictionary<string, double>)new Dictionary<string, double>(StringComparer.Ordinal) { [t] = 1 })],
            [.. leadTerms.Select(_ => 0.0)], "all leads = 0");
        return (rows, new PretrendRow(treatment, leadTerms.Length, wald.F, wald.FP, wald.Chi2, wald.ChiP, result.Vcov.Recipe.Describe()),
            SensitivityInput(fit, result.Vcov, ks));
    }

    private static EventStudyEstimates? SensitivityInput(OlsFit fit, VarianceEstimate vcov, long[] ks)
    {
        var idx = ks.Select(k => fit.IndexOf(Term(k))).ToArray();
        if (idx.Any(j => j < 0)) return null;
        var cov = new double[idx.Length * idx.Length];
        for (var a = 0; a < idx.Length; a++)
            for (var b = 0; b < idx.Length; b++) cov[a * idx.Length + b] = vcov.Matrix[idx[a] * vcov.Dimension + idx[b]];
        return EventStudyEstimates.FromEventTimes(ks, [.. idx.Select(j => fit.Coefficients[j])], cov);
    }
}
