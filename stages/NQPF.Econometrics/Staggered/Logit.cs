using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Staggered;

/// <summary>
/// Maximum-likelihood logit P(D=1|X) = 1/(1+exp(−X'γ)) by Newton–Raphson (IRLS) from γ = 0, stopping when the
/// largest step is below 1e-12 (relative) — tighter than R's glm/fastglm, so fitted values agree with R's to ~1e-10.
/// Degenerate cases: perfect separation or a singular X'WX throw (the caller's overlap check rejects such cells
/// first); more than 100 iterations throw <see cref="NonConvergenceException"/>.
/// Checked indirectly through the IPW/DR ATT(g,t) against R did on mpdta with lpop (cs_mpdta.json).
/// </summary>
internal static class Logit
{
    internal sealed record Result(double[] Coefficients, double[] Fitted);

    /// <param name="x">Row-major n×k design (include the intercept column).</param>
    /// <param name="d">Outcome, 0/1.</param>
    public static Result Fit(double[] x, double[] d, int n, int k)
    {
        var gamma = new double[k];
        var p = new double[n];
        for (int iter = 0; iter < 100; iter++)
        {
            var info = Matrix<double>.Build.Dense(k, k);
            var score = Vector<double>.Build.Dense(k);
            for (int i = 0; i < n; i++)
            {
                double eta = 0;
                for (int a = 0; a < k; a++) eta += x[i * k + a] * gamma[a];
                double pi = 1.0 / (1.0 + Math.Exp(-eta));
                p[i] = pi;
                double w = pi * (1 - pi);
                for (int a = 0; a < k; a++)
                {
                    double xa = x[i * k + a];
                    score[a] += (d[i] - pi) * xa;
                    for (int b = 0; b < k; b++) info[a, b] += w * xa * x[i * k + b];
                }
            }
            var step = info.Cholesky().Solve(score);
            double largest = 0;
            for (int a = 0; a < k; a++)
            {
                gamma[a] += step[a];
                largest = Math.Max(largest, Math.Abs(step[a]) / Math.Max(1.0, Math.Abs(gamma[a])));
            }
            if (!double.IsFinite(largest))
                throw new NonConvergenceException("Logit propensity score: Newton step is not finite (separation or collinear covariates).");
            if (largest < 1e-12)
            {
                for (int i = 0; i < n; i++)
                {
                    double eta = 0;
                    for (int a = 0; a < k; a++) eta += x[i * k + a] * gamma[a];
                    p[i] = 1.0 / (1.0 + Math.Exp(-eta));
                }
                return new Result(gamma, p);
            }
        }
        throw new NonConvergenceException(
            string.Create(CultureInfo.InvariantCulture, $"Logit propensity score did not converge in 100 Newton steps (n = {n}, k = {k})."));
    }
}
