using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Matching;

/// <summary>Iteration controls of <see cref="Logit.Fit"/>; the defaults are R's <c>glm.control()</c>.</summary>
/// <param name="MaxIterations">Iteration limit (glm: <c>maxit = 25</c>).</param>
/// <param name="Tolerance">Convergence when |dev − dev_old| / (|dev| + 0.1) &lt; tolerance (glm: <c>epsilon = 1e-8</c>).</param>
internal sealed record LogitOptions(int MaxIterations = 25, double Tolerance = 1e-8)
{
    public static LogitOptions Default { get; } = new();
}

/// <summary>A fitted binary logit. Arrays are indexed like <see cref="Names"/> (intercept first) or like the observations.</summary>
internal sealed record LogitFit(
    IReadOnlyList<string> Names,
    double[] Coefficients,
    double[] StandardErrors,
    double Deviance,
    double NullDeviance,
    int Iterations,
    double[] LinearPredictor,
    double[] Fitted)
{
    public int ObservationCount => Fitted.Length;

    /// <summary>Wald z = coefficient / SE, as in <c>summary.glm</c> (dispersion fixed at 1).</summary>
    public double Z(int j) => Coefficients[j] / StandardErrors[j];
}

/// <summary>
/// Binary logit by iteratively reweighted least squares, the algorithm of R's <c>glm.fit</c> with the binomial family.
/// </summary>
internal static class Logit
{
    public const string InterceptName = "(Intercept)";

    /// <summary>R's <c>.Machine$double.eps</c> (2⁻⁵²).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Fits P(y = 1 | x) = 1 / (1 + exp(−(b0 + x'b))) by IRLS exactly as <c>glm.fit</c> does: start from
    /// μ = (y + ½)/2, then repeat z = η + (y − μ)/μ', w = √(μ(1 − μ)), solve the weighted least squares of z on X by
    /// Householder QR, η = Xb, μ = logistic(η) (η clipped to ±30 as R's C code does), until
    /// |dev − dev_old| / (|dev| + 0.1) &lt; tolerance. dev = −2 Σ [y log μ + (1 − y) log(1 − μ)].
    /// SEs are √diag((X'WX)⁻¹) from the QR of the last iteration (dispersion 1), as <c>summary.glm</c>.
    /// Degenerate cases: empty data, y not 0/1, y constant or a non-finite regressor → <see cref="ArgumentException"/>;
    /// a regressor collinear with the others → <see cref="RankDeficiencyException"/> (glm would drop it: we refuse);
    /// no convergence within the limit → <see cref="NonConvergenceException"/>; fitted probabilities numerically 0 or 1
    /// (glm's warning) → <see cref="SeparationException"/>.
    /// Checked against R 4.2.2 <c>glm(treat ~ age + educ + black + hispan + married + nodegree + re74 + re75,
    /// binomial)</c> on MatchIt's lalonde (coefficients, SEs and deviance within 1e-6, same iteration count).
    /// </summary>
    /// <param name="y">Outcome, 0 or 1.</param>
    /// <param name="regressors">One array per regressor (an intercept is added first).</param>
    /// <param name="names">Regressor names, used in results and messages.</param>
    public static LogitFit Fit(ReadOnlySpan<double> y, IReadOnlyList<double[]> regressors, IReadOnlyList<string> names,
        LogitOptions? options = null)
    {
        // Kept as one function: IRLS as glm runs it; the iteration, the convergence test and the separation check share the
        // working weights.
        options ??= LogitOptions.Default;
        var n = y.Length;
        var p = regressors.Count + 1;
        Validate(y, regressors, names, n, p);

        var x = Matrix<double>.Build.Dense(n, p);
        for (var i = 0; i < n; i++) x[i, 0] = 1.0;
        for (var j = 1; j < p; j++)
        {
            var col = regressors[j - 1];
            for (var i = 0; i < n; i++) x[i, j] = col[i];
        }

        var yArr = y.ToArray();
        var mu = new double[n];
        var eta = new double[n];
        for (var i = 0; i < n; i++)
        {
            mu[i] = (yArr[i] + 0.5) / 2.0;
            eta[i] = Math.Log(mu[i] / (1.0 - mu[i]));
        }
        var devOld = Deviance(yArr, mu);
        var allNames = new[] { InterceptName }.Concat(names).ToArray();

        var wx = Matrix<double>.Build.Dense(n, p);
        var wz = Vector<double>.Build.Dense(n);
        for (var iter = 1; iter <= options.MaxIterations; iter++)
        {
            for (var i = 0; i < n; i++)
            {
                var muEta = Math.Max(mu[i] * (1.0 - mu[i]), MachineEpsilon);
                var z = eta[i] + (yArr[i] - mu[i]) / muEta;
                var w = Math.Sqrt(muEta);
                wz[i] = z * w;
                for (var j = 0; j < p; j++) wx[i, j] = x[i, j] * w;
            }
            var qr = wx.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            CheckRank(qr.R, allNames);
            var beta = qr.Solve(wz);
            var etaV = x * beta;
            for (var i = 0; i < n; i++)
            {
                eta[i] = etaV[i];
                mu[i] = LogisticClipped(eta[i]);
            }
            var dev = Deviance(yArr, mu);
            if (!double.IsFinite(dev))
                throw new NonConvergenceException($"Logit: the deviance became {dev} at iteration {iter}.");
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < options.Tolerance)
            {
                CheckSeparation(mu, beta, x, allNames);
                var rInv = qr.R.Inverse();
                var cov = rInv * rInv.Transpose();
                var se = new double[p];
                for (var j = 0; j < p; j++) se[j] = Math.Sqrt(cov[j, j]);
                return new LogitFit(allNames, beta.ToArray(), se, dev, NullDeviance(yArr), iter, eta.ToArray(), mu.ToArray());
            }
            devOld = dev;
        }
        throw new NonConvergenceException(
            $"Logit did not converge in {options.MaxIterations} iterations (tolerance {options.Tolerance.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} on the relative deviance change); this usually means separation or a badly scaled regressor.");
    }

    /// <summary>Binomial deviance −2 Σ [y log μ + (1 − y) log(1 − μ)], with 0 log 0 = 0.</summary>
    public static double Deviance(ReadOnlySpan<double> y, ReadOnlySpan<double> mu)
    {
        var s = 0.0;
        for (var i = 0; i < y.Length; i++)
            s += y[i] > 0.5 ? -2.0 * Math.Log(mu[i]) : -2.0 * Math.Log(1.0 - mu[i]);
        return s;
    }

    private static double NullDeviance(double[] y)
    {
        var m = y.Average();
        var mu = Enumerable.Repeat(m, y.Length).ToArray();
        return Deviance(y, mu);
    }

    /// <summary>R's <c>logit_linkinv</c>: exp(η) clipped to [ε, 1/ε] for |η| &gt; 30, then e/(1 + e).</summary>
    internal static double LogisticClipped(double eta)
    {
        var e = eta < -30 ? MachineEpsilon
            : eta > 30 ? 1.0 / MachineEpsilon
            : Math.Exp(eta);
        return e / (1.0 + e);
    }

    private static void Validate(ReadOnlySpan<double> y, IReadOnlyList<double[]> regressors, IReadOnlyList<string> names,
        int n, int p)
    {
        if (n == 0) throw new ArgumentException("Logit: no observations.", nameof(y));
        if (names.Count != regressors.Count)
            throw new ArgumentException($"Logit: {regressors.Count} regressors but {names.Count} names.", nameof(names));
        if (n <= p) throw new ArgumentException($"Logit: {n} observations for {p} parameters.", nameof(y));
        var ones = 0;
        for (var i = 0; i < n; i++)
        {
            if (y[i] is not (0.0 or 1.0))
                throw new ArgumentException($"Logit: outcome at observation {i} is {y[i]}, not 0 or 1.", nameof(y));
            if (y[i] == 1.0) ones++;
        }
        if (ones == 0 || ones == n)
            throw new ArgumentException($"Logit: the outcome is constant ({ones} of {n} are 1).", nameof(y));
        for (var j = 0; j < regressors.Count; j++)
        {
            if (regressors[j].Length != n)
                throw new ArgumentException($"Logit: regressor '{names[j]}' has {regressors[j].Length} rows, outcome {n}.", nameof(regressors));
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(regressors[j][i]))
                    throw new ArgumentException($"Logit: regressor '{names[j]}' is {regressors[j][i]} at observation {i}.", nameof(regressors));
            }
        }
    }

    private static void CheckRank(Matrix<double> r, string[] names)
    {
        var maxDiag = 0.0;
        for (var j = 0; j < r.ColumnCount; j++) maxDiag = Math.Max(maxDiag, Math.Abs(r[j, j]));
        for (var j = 0; j < r.ColumnCount; j++)
        {
            // glm.fit's QR uses tol = min(1e-7, epsilon/1000) relative to the column norms.
            if (Math.Abs(r[j, j]) <= 1e-11 * maxDiag)
                throw new RankDeficiencyException($"Logit: regressor '{names[j]}' is collinear with the regressors before it.");
        }
    }

    private static void CheckSeparation(double[] mu, Vector<double> beta, Matrix<double> x, string[] names)
    {
        const double eps = 10 * MachineEpsilon;
        var separated = 0;
        foreach (var m in mu)
        {
            if (m < eps || m > 1 - eps) separated++;
        }
        if (separated == 0) return;

        var worst = 1;
        var worstValue = 0.0;
        for (var j = 1; j < beta.Count; j++)
        {
            var col = x.Column(j);
            var mean = col.Average();
            var sd = Math.Sqrt(col.Select(v => (v - mean) * (v - mean)).Sum() / Math.Max(1, col.Count - 1));
            var v = Math.Abs(beta[j]) * sd;
            if (v > worstValue) { worstValue = v; worst = j; }
        }
        throw new SeparationException(
            $"Logit: {separated} of {mu.Length} fitted probabilities are numerically 0 or 1 (separation); the largest standardised coefficient is on '{names[worst]}'. Drop or coarsen that regressor, or the offending observations.");
    }
}
