using MathNet.Numerics.LinearAlgebra;
using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Staggered;

/// <summary>An ATT estimate from one 2×2 comparison with its influence function (one entry per unit used).</summary>
/// <param name="Att">The estimate; NaN when the comparison could not be estimated (see <paramref name="Problem"/>).</param>
/// <param name="InfluenceFunction">ψ_i with ATT − θ ≈ (1/n) Σ ψ_i; empty when <paramref name="Att"/> is NaN.</param>
/// <param name="Problem">Why the cell is not estimable (null when it is).</param>
internal sealed record TwoByTwo(double Att, double[] InfluenceFunction, string? Problem = null);

/// <summary>
/// The two-period panel DiD estimators of Sant'Anna &amp; Zhao (2020) exactly as DRDID 1.2 computes them
/// (<c>reg_did_panel</c>, <c>std_ipw_did_panel</c>, <c>drdid_panel</c>), with unit weights all 1.
/// Inputs: ΔY_i = Y_i,post − Y_i,pre, D_i ∈ {0,1}, covariates X_i (first column the intercept).
/// <list type="bullet">
/// <item>reg: β̂ = OLS of ΔY on X among D=0; ATT = mean_{D=1}(ΔY) − mean_{D=1}(X'β̂); the IF adds the OLS
/// estimation effect (asymptotic linear representation (1−D)(ΔY−X'β̂)X'(E[(1−D)XX'])⁻¹ times E[D X]).</item>
/// <item>ipw: logit p̂(X) by maximum likelihood (R glm's IRLS); w₁ = D, w₀ = p̂(1−D)/(1−p̂) (zero where p̂ ≥ trim level for
/// controls); ATT = Σw₁ΔY/Σw₁ − Σw₀ΔY/Σw₀; the IF adds the logit score term with Hessian n(X'WX)⁻¹.</item>
/// <item>dr: the same weights applied to ΔY − X'β̂ with both estimation effects (the locally efficient,
/// "traditional" DR estimator did's est_method = "dr" calls; not the improved drdid_imp_panel).</item>
/// </list>
/// Degenerate cases: no treated or no control unit, a singular control design (rcond &lt; machine ε), or
/// a preliminary propensity score ≥ 0.999 (did's overlap check) give Att = NaN with a reason.
/// Checked against R did 2.3.0 / DRDID 1.2.3 on mpdta (cs_mpdta.json, specs *_lpop_reg, *_lpop_ipw, *_lpop_dr).
/// </summary>
internal static class DrDidPanel
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <param name="shared">Propensity scores already fitted for the same (D, X) by other cells (null: none shared).</param>
    public static TwoByTwo Estimate(CsMethod method, double[] deltaY, double[] d, double[] x, int k, double trimLevel, PropensityCache? shared = null)
    {
        int n = deltaY.Length;
        int treated = 0;
        for (int i = 0; i < n; i++) treated += d[i] == 1.0 ? 1 : 0;
        if (treated == 0) return new TwoByTwo(double.NaN, [], "no treated unit");
        if (treated == n) return new TwoByTwo(double.NaN, [], "no comparison unit");

        double[]? pscore = null;
        if (method != CsMethod.Reg)
        {
            pscore = shared is null ? PropensityScore(x, d, n, k) : shared.GetOrFit(d, x, () => PropensityScore(x, d, n, k));
            if (pscore is null || pscore.Max() >= 0.999)
                return new TwoByTwo(double.NaN, [], "overlap condition violated (propensity score >= 0.999 or separation)");
        }
        if (method != CsMethod.Ipw && !ControlDesignIsRegular(x, d, n, k))
            return new TwoByTwo(double.NaN, [], "not enough comparison units to run the outcome regression");

        return method switch
        {
            CsMethod.Reg => Regression(deltaY, d, x, n, k),
            CsMethod.Ipw => InverseProbabilityWeighting(deltaY, d, x, n, k, pscore!, trimLevel),
            _ => DoublyRobust(deltaY, d, x, n, k, pscore!, trimLevel),
        };
    }

    /// <summary>
    /// Logit P(D=1|X) by R glm's IRLS (<see cref="Logit"/>); null when the fit separates the groups, which DRDID would
    /// report as fitted probabilities of 1 and did's overlap check rejects.
    /// </summary>
    private static double[]? PropensityScore(double[] x, double[] d, int n, int k)
    {
        var regressors = new List<double[]>(k - 1);
        var names = new List<string>(k - 1);
        for (int a = 1; a < k; a++)
        {
            var col = new double[n];
            for (int i = 0; i < n; i++) col[i] = x[i * k + a];
            regressors.Add(col);
            names.Add("x" + a.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        try
        {
            return Logit.Fit(d, regressors, names).Fitted;
        }
        catch (SeparationException)
        {
            return null;
        }
    }

    /// <summary>X₀'X₀ over the controls (D = 0), row-major k×k, summed over units in order (plain arrays: the n-long loops
    /// are where the time goes).</summary>
    private static double[] ControlGram(double[] x, double[] d, int n, int k)
    {
        var xtx = new double[k * k];
        for (int i = 0; i < n; i++)
        {
            if (d[i] != 0.0) continue;
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    xtx[a * k + b] += x[i * k + a] * x[i * k + b];
        }
        return xtx;
    }

    private static bool ControlDesignIsRegular(double[] x, double[] d, int n, int k)
    {
        var xtx = Matrix<double>.Build.DenseOfRowMajor(k, k, ControlGram(x, d, n, k));
        // R: rcond(t(X0) %*% X0) < .Machine$double.eps flags the cell; the 2-norm condition number stands in for rcond.
        double cond = xtx.ConditionNumber();
        return double.IsFinite(cond) && 1.0 / cond >= MachineEpsilon;
    }

    /// <summary>OLS of ΔY on X among controls; returns β̂, the fitted X'β̂ for every unit, and the n⁻¹-scaled (X₀'X₀/n)⁻¹.</summary>
    private static (double[] Fitted, Matrix<double> XpXInv) ControlRegression(double[] deltaY, double[] d, double[] x, int n, int k)
    {
        var xtx = Matrix<double>.Build.DenseOfRowMajor(k, k, ControlGram(x, d, n, k));
        var xtyRaw = new double[k];
        for (int i = 0; i < n; i++)
        {
            if (d[i] != 0.0) continue;
            for (int a = 0; a < k; a++) xtyRaw[a] += x[i * k + a] * deltaY[i];
        }
        var beta = xtx.Cholesky().Solve(Vector<double>.Build.Dense(xtyRaw)).ToArray();
        var fitted = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int a = 0; a < k; a++) s += x[i * k + a] * beta[a];
            fitted[i] = s;
        }
        return (fitted, (xtx / n).Inverse());
    }

    /// <summary>asy.lin.rep.ols %*% M: for each unit (1−D_i)(ΔY_i − fitted_i) X_i' (X'X/n)⁻¹ M.</summary>
    private static double[] OlsEstimationEffect(double[] deltaY, double[] d, double[] x, int n, int k, double[] fitted, Matrix<double> xpxInv, Vector<double> m)
    {
        var h = (xpxInv * m).ToArray();
        var effect = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (d[i] != 0.0) continue;
            double s = 0;
            for (int a = 0; a < k; a++) s += x[i * k + a] * h[a];
            effect[i] = (deltaY[i] - fitted[i]) * s;
        }
        return effect;
    }

    /// <summary>asy.lin.rep.ps %*% M: for each unit (D_i − p_i) X_i' n (X'WX)⁻¹ M, W = p(1−p) at the clamped p.</summary>
    private static double[] LogitEstimationEffect(double[] d, double[] x, int n, int k, double[] p, Vector<double> m)
    {
        var raw = new double[k * k];
        for (int i = 0; i < n; i++)
        {
            double w = p[i] * (1 - p[i]);
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++) raw[a * k + b] += w * x[i * k + a] * x[i * k + b];
        }
        var xtwx = Matrix<double>.Build.DenseOfRowMajor(k, k, raw);
        var h = (xtwx.Cholesky().Solve(m) * n).ToArray();
        var effect = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int a = 0; a < k; a++) s += x[i * k + a] * h[a];
            effect[i] = (d[i] - p[i]) * s;
        }
        return effect;
    }

    private static TwoByTwo Regression(double[] deltaY, double[] d, double[] x, int n, int k)
    {
        var (fitted, xpxInv) = ControlRegression(deltaY, d, x, n, k);
        double meanW = 0, etaTreat = 0, etaCont = 0;
        for (int i = 0; i < n; i++)
        {
            meanW += d[i];
            etaTreat += d[i] * deltaY[i];
            etaCont += d[i] * fitted[i];
        }
        etaTreat /= meanW;
        etaCont /= meanW;
        meanW /= n;

        var m1 = new double[k];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++) m1[a] += d[i] * x[i * k + a] / n;
        var ols = OlsEstimationEffect(deltaY, d, x, n, k, fitted, xpxInv, Vector<double>.Build.Dense(m1));

        var inf = new double[n];
        for (int i = 0; i < n; i++)
        {
            double infTreat = d[i] * (deltaY[i] - etaTreat) / meanW;
            double infCont = (d[i] * (fitted[i] - etaCont) + ols[i]) / meanW;
            inf[i] = infTreat - infCont;
        }
        return new TwoByTwo(etaTreat - etaCont, inf);
    }

    private static (double[] WTreat, double[] WCont, double[] Ps) IpwWeights(double[] d, double[] fitted, int n, double trimLevel)
    {
        var ps = (double[])fitted.Clone();
        var wTreat = new double[n];
        var wCont = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = Math.Min(ps[i], 1 - 1e-6);
            ps[i] = p;
            bool trim = d[i] == 1.0 ? p < 1.01 : p < trimLevel;
            double t = trim ? 1.0 : 0.0;
            wTreat[i] = t * d[i];
            wCont[i] = t * p * (1 - d[i]) / (1 - p);
        }
        return (wTreat, wCont, ps);
    }

    private static TwoByTwo InverseProbabilityWeighting(double[] deltaY, double[] d, double[] x, int n, int k, double[] pscore, double trimLevel)
    {
        var (wTreat, wCont, ps) = IpwWeights(d, pscore, n, trimLevel);
        double mwt = 0, mwc = 0, etaTreat = 0, etaCont = 0;
        for (int i = 0; i < n; i++)
        {
            mwt += wTreat[i];
            mwc += wCont[i];
            etaTreat += wTreat[i] * deltaY[i];
            etaCont += wCont[i] * deltaY[i];
        }
        etaTreat /= mwt;
        etaCont /= mwc;
        mwt /= n;
        mwc /= n;

        var m2 = new double[k];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++) m2[a] += wCont[i] * (deltaY[i] - etaCont) * x[i * k + a] / n;
        var psEffect = LogitEstimationEffect(d, x, n, k, ps, Vector<double>.Build.Dense(m2));

        var inf = new double[n];
        for (int i = 0; i < n; i++)
        {
            double infTreat = wTreat[i] * (deltaY[i] - etaTreat) / mwt;
            double infCont = (wCont[i] * (deltaY[i] - etaCont) + psEffect[i]) / mwc;
            inf[i] = infTreat - infCont;
        }
        return new TwoByTwo(etaTreat - etaCont, inf);
    }

    private static TwoByTwo DoublyRobust(double[] deltaY, double[] d, double[] x, int n, int k, double[] pscore, double trimLevel)
    {
        var (wTreat, wCont, ps) = IpwWeights(d, pscore, n, trimLevel);
        var (fitted, xpxInv) = ControlRegression(deltaY, d, x, n, k);
        double mwt = 0, mwc = 0, etaTreat = 0, etaCont = 0;
        for (int i = 0; i < n; i++)
        {
            double r = deltaY[i] - fitted[i];
            mwt += wTreat[i];
            mwc += wCont[i];
            etaTreat += wTreat[i] * r;
            etaCont += wCont[i] * r;
        }
        etaTreat /= mwt;
        etaCont /= mwc;
        mwt /= n;
        mwc /= n;

        var m1 = new double[k];
        var m2 = new double[k];
        var m3 = new double[k];
        for (int i = 0; i < n; i++)
        {
            double r = deltaY[i] - fitted[i];
            for (int a = 0; a < k; a++)
            {
                double xa = x[i * k + a];
                m1[a] += wTreat[i] * xa / n;
                m2[a] += wCont[i] * (r - etaCont) * xa / n;
                m3[a] += wCont[i] * xa / n;
            }
        }
        var treatOls = OlsEstimationEffect(deltaY, d, x, n, k, fitted, xpxInv, Vector<double>.Build.Dense(m1));
        var contOls = OlsEstimationEffect(deltaY, d, x, n, k, fitted, xpxInv, Vector<double>.Build.Dense(m3));
        var psEffect = LogitEstimationEffect(d, x, n, k, ps, Vector<double>.Build.Dense(m2));

        var inf = new double[n];
        for (int i = 0; i < n; i++)
        {
            double r = deltaY[i] - fitted[i];
            double infTreat = (wTreat[i] * (r - etaTreat) - treatOls[i]) / mwt;
            double infCont = (wCont[i] * (r - etaCont) + psEffect[i] - contOls[i]) / mwc;
            inf[i] = infTreat - infCont;
        }
        return new TwoByTwo(etaTreat - etaCont, inf);
    }
}

/// <summary>
/// Propensity scores keyed by their exact inputs (D and X, compared element by element). Cells of one cohort share
/// them whenever their comparison sample and covariates coincide — always for never-treated controls with
/// time-invariant covariates — so the logit runs once per distinct design instead of once per (g, t). A hit returns
/// what the fit would return (the fit is a deterministic function of D and X). Safe for parallel cells, and no cell
/// waits for another: callers that arrive while a design's first fit is running fit it too and the first result is kept
/// (the same numbers). A blocking wait here held thread-pool threads while the fit's own parallel work queued behind
/// them, and a process's first Callaway–Sant'Anna call then stalled about 1 s until the pool injected threads.
/// </summary>
internal sealed class PropensityCache
{
    private readonly List<(double[] D, double[] X, Lazy<double[]?> Score)> _entries = [];

    /// <summary>The score for (D, X): fitted by the first caller (and by any caller that arrives before that fit is published).</summary>
    public double[]? GetOrFit(double[] d, double[] x, Func<double[]?> fit)
    {
        Lazy<double[]?>? score = null;
        lock (_entries)
        {
            foreach (var (ed, ex, s) in _entries)
            {
                if (ed.AsSpan().SequenceEqual(d) && ex.AsSpan().SequenceEqual(x))
                {
                    score = s;
                    break;
                }
            }
            if (score is null)
            {
                score = new Lazy<double[]?>(fit, LazyThreadSafetyMode.PublicationOnly);
                _entries.Add((d, x, score));
            }
        }
        return score.Value;
    }
}
