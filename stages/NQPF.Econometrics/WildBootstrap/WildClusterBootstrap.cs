using System.Globalization;

namespace NQPF.Econometrics.WildBootstrap;

/// <summary>Bootstrap weight distribution of the wild cluster bootstrap.</summary>
internal enum WildWeights
{
    /// <summary>±1 with probability ½ each (Cameron, Gelbach &amp; Miller 2008).</summary>
    Rademacher,

    /// <summary>±√(1/2), ±1, ±√(3/2), each with probability 1/6 (Webb 2023): more than 2^G distinct draws for very few clusters.</summary>
    Webb,
}

/// <summary>Settings of a wild cluster bootstrap test.</summary>
/// <param name="Draws">Requested draws B; with Rademacher weights and 2^G ≤ B every sign vector is enumerated instead (boottest's rule).</param>
/// <param name="Weights">Weight distribution.</param>
/// <param name="Seed">Seed of the random draws (ignored under full enumeration).</param>
/// <param name="Level">Confidence level of the test-inversion interval.</param>
/// <param name="Interval">Whether to invert the test for the interval (about a hundred further tests); false leaves the bounds NaN.</param>
internal sealed record WildBootstrapOptions(int Draws = 9999, WildWeights Weights = WildWeights.Rademacher, long Seed = 1, double Level = 0.95, bool Interval = true);

/// <summary>
/// Result for one coefficient: the analytic t under boottest's small-sample factor, the bootstrap p-value of H₀: β = 0,
/// and the confidence interval by test inversion (NaN bounds when the p-value never falls below 1 − level on that side).
/// </summary>
internal sealed record WildBootstrapResult(
    string Term, double Estimate, double T, double P, double CiLow, double CiHigh, int Draws, bool Enumerated, WildWeights Weights, int Clusters)
{
    /// <summary>One line for the recipe under a table.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Wild cluster bootstrap (WCR, null imposed, {Weights.ToString().ToLowerInvariant()} weights, G = {Clusters}, {(Enumerated ? "all " + Draws + " sign vectors enumerated" : Draws + " seeded draws")}): symmetric p = share of |t*| > |t|; CI by test inversion.");
}

/// <summary>
/// The restricted wild cluster bootstrap (WCR; Cameron, Gelbach &amp; Miller 2008; Roodman, MacKinnon, Nielsen &amp; Webb
/// 2019, fwildclusterboot 0.13 / Stata boottest) for one coefficient of an <see cref="OlsFit"/>, on the FE-demeaned data
/// the fit keeps (so absorbed fixed effects, one- or two-way, are handled by Frisch–Waugh–Lovell).
/// </summary>
/// <remarks>
/// Under H₀: β_j = r, the restricted residuals ũ = M_{X₋ⱼ}(ỹ − r x̃_j). A draw v ∈ ℝ^G sets y* = ŷ_r + v_g ũ_g, and with
/// c the j-th row of (X̃'X̃)⁻¹ and S_g = X̃_g'ũ_g: β*_j − r = Σ_g v_g a_g with a_g = c'S_g, and the cluster score of h
/// along c is (Mv)_h with M[h,g] = A[h,g] − d_h'S_g, d_h = (X̃'X̃)⁻¹X̃_h'X̃_h c, A[h,g] = c'X̃_h'[M_D(ũ∘1_g)]_h (the FE
/// absorbed again from each cluster's share of the bootstrap outcome; A = diag(a) when every FE is nested in the cluster). So t*(v) = a'v / √(f·‖Mv‖²) with
/// f = G/(G−1)·(N−1)/(N−k), k the non-absorbed coefficients (boottest does not count absorbed FE). The observed t is
/// t*(1) (v = 1 reproduces the data), so the draws v = ±1 tie with it exactly. p = #{|t*_b| &gt; |t|}/B (strict).
/// Degenerate cases: G &lt; 2 → ArgumentException; a weighted fit with absorbed FE → ArgumentException (the reabsorption
/// would need the W-weighted demeaning); a weighted fit without FE works as is (the fit stores √w-scaled data).
/// Checked against fwildclusterboot 0.13.0 on castle (wcb_castle.json): t and p, and the CI at the p-value jump.
/// </remarks>
internal sealed class WildClusterBootstrap
{
    private readonly OlsFit _fit;
    private readonly int _j;
    private readonly int[] _codes;
    private readonly int _g;
    private readonly double _factor;
    private readonly double[][] _v;
    private readonly double[] _ytilde;
    private readonly double[] _restrictedFit0;
    private readonly double[] _restrictedFitX;
    private readonly double[][] _d;
    private readonly double[] _cross0;
    private readonly double[] _crossX;

    private WildClusterBootstrap(OlsFit fit, int j, Factor cluster, WildBootstrapOptions options)
    {
        if (fit.FixedEffects.IsWeighted && fit.FixedEffects.Dimensions > 0)
            throw new ArgumentException($"The wild cluster bootstrap of '{fit.OutcomeName}' is not available for a weighted fit with absorbed fixed effects.", nameof(fit));
        _fit = fit;
        _j = j;
        _codes = cluster.Codes;
        _g = cluster.LevelCount;
        if (_g < 2) throw new ArgumentException($"Clustering by {cluster.Name} leaves a single cluster; no wild cluster bootstrap exists.", nameof(cluster));
        var n = fit.N;
        _factor = (double)_g / (_g - 1) * (n - 1) / (n - fit.K);
        Enumerated = options.Weights == WildWeights.Rademacher && _g < 31 && (1L << _g) <= options.Draws;
        _v = Enumerated ? WildWeightDraws.Enumerate(_g) : WildWeightDraws.Random(_g, options.Draws, options.Weights, options.Seed);
        _ytilde = DemeanedOutcome(fit);
        _restrictedFit0 = RestrictedResiduals(fit, j, _ytilde);
        _restrictedFitX = RestrictedResiduals(fit, j, fit.DemeanedX.AsSpan(j * n, n).ToArray());
        _d = LeverageDirections();
        _cross0 = ReabsorbedScores(_restrictedFit0);
        _crossX = ReabsorbedScores(_restrictedFitX);
    }

    public bool Enumerated { get; }

    public int DrawCount => _v.Length;

    /// <summary>Tests β_term = 0 and inverts the test for the interval.</summary>
    public static WildBootstrapResult Run(OlsFit fit, string term, Factor cluster, WildBootstrapOptions? options = null)
    {
        options ??= new WildBootstrapOptions();
        var boot = Create(fit, term, cluster, options);
        var j = boot._j;
        var (t, p) = boot.Test(0);
        var alpha = 1 - options.Level;
        var beta = fit.Coefficients[j];
        var se = Math.Abs(beta / t);
        var low = options.Interval ? TestInversion.Bound(r => boot.Test(r).P, beta, -se, alpha) : double.NaN;
        var high = options.Interval ? TestInversion.Bound(r => boot.Test(r).P, beta, se, alpha) : double.NaN;
        return new WildBootstrapResult(term, beta, t, p, low, high, boot.DrawCount, boot.Enumerated, options.Weights, boot._g);
    }

    /// <summary>The bootstrap for one term with its weight draws fixed; <paramref name="cluster"/> covers the fit's original rows.</summary>
    public static WildClusterBootstrap Create(OlsFit fit, string term, Factor cluster, WildBootstrapOptions options)
    {
        if (options.Draws < 1) throw new ArgumentOutOfRangeException(nameof(options), "The wild bootstrap needs at least one draw.");
        var j = fit.IndexOf(term);
        if (j < 0) throw new KeyNotFoundException($"Term '{term}' is not in the fit (terms: {string.Join(", ", fit.Terms)}).");
        return new WildClusterBootstrap(fit, j, Vcov.SubsetToFit(fit, cluster), options);
    }

    /// <summary>The bootstrap t of H₀: β_j = r and its symmetric p-value.</summary>
    public (double T, double P) Test(double r)
    {
        var (a, m) = ClusterTerms(r);
        var tObs = TStat(a, m, OnesOf(_g));
        var exceed = 0;
        var mv = new double[_g];
        foreach (var v in _v)
        {
            if (Math.Abs(TStat(a, m, v, mv)) > Math.Abs(tObs)) exceed++;
        }
        return (tObs, (double)exceed / _v.Length);
    }

    private double TStat(double[] a, double[] m, double[] v, double[]? buffer = null)
    {
        var mv = buffer ?? new double[_g];
        var numerator = 0.0;
        for (var g = 0; g < _g; g++) numerator += a[g] * v[g];
        var ss = 0.0;
        for (var h = 0; h < _g; h++)
        {
            var s = 0.0;
            var row = m.AsSpan(h * _g, _g);
            for (var g = 0; g < _g; g++) s += row[g] * v[g];
            mv[h] = s;
            ss += s * s;
        }
        return numerator / Math.Sqrt(_factor * ss);
    }

    /// <summary>a_g = c'S_g and M (row-major G×G, M[h,g] = A[h,g] − d_h'S_g) for the null β_j = r.</summary>
    private (double[] A, double[] M) ClusterTerms(double r)
    {
        var n = _fit.N;
        var k = _fit.K;
        var x = _fit.DemeanedX;
        var scores = new double[_g * k];
        for (var i = 0; i < n; i++)
        {
            var u = _restrictedFit0[i] - r * _restrictedFitX[i];
            var row = scores.AsSpan(_codes[i] * k, k);
            for (var b = 0; b < k; b++) row[b] += x[b * n + i] * u;
        }
        var c = _fit.Bread.AsSpan(_j * k, k);
        var a = new double[_g];
        var m = new double[_g * _g];
        for (var g = 0; g < _g; g++) a[g] = VectorOps.Dot(c, scores.AsSpan(g * k, k));
        for (var h = 0; h < _g; h++)
            for (var g = 0; g < _g; g++)
                m[h * _g + g] = _cross0[h * _g + g] - r * _crossX[h * _g + g] - VectorOps.Dot(_d[h], scores.AsSpan(g * k, k));
        return (a, m);
    }

    /// <summary>
    /// A[h,g] = c'X̃_h'[M_D(z∘1_g)]_h: the score along c in cluster h of cluster g's residuals after the fixed effects are
    /// absorbed again. A bootstrap outcome v∘ũ is not FE-free when an FE (e.g. year) cuts across clusters, so its
    /// residual is M_X̃ M_D(v∘ũ), linear in v; for FE nested in the cluster (or none) A is diagonal with A[g,g] = c'S_g.
    /// Affine in r through ũ = z₀ − r z_x, so it is computed once for each of the two parts.
    /// </summary>
    private double[] ReabsorbedScores(double[] z)
    {
        var n = _fit.N;
        var k = _fit.K;
        var fe = _fit.FixedEffects;
        var c = _fit.Bread.AsSpan(_j * k, k);
        var xc = new double[n];
        for (var b = 0; b < k; b++) VectorOps.SubtractScaled(xc, -c[b], _fit.DemeanedX.AsSpan(b * n, n));
        var cross = new double[_g * _g];
        var block = new double[(long)n * _g > int.MaxValue ? throw new ArgumentException("Too many clusters × rows for the wild bootstrap.", nameof(z)) : n * _g];
        for (var i = 0; i < n; i++) block[_codes[i] * n + i] = z[i];
        if (fe.Dimensions > 0) fe.DemeanColumns(block, _g);
        for (var g = 0; g < _g; g++)
        {
            var column = block.AsSpan(g * n, n);
            for (var i = 0; i < n; i++) cross[_codes[i] * _g + g] += xc[i] * column[i];
        }
        return cross;
    }

    /// <summary>d_h = (X̃'X̃)⁻¹ X̃_h'X̃_h c for every cluster h.</summary>
    private double[][] LeverageDirections()
    {
        var n = _fit.N;
        var k = _fit.K;
        var x = _fit.DemeanedX;
        var c = _fit.Bread.AsSpan(_j * k, k).ToArray();
        var xc = new double[_g * k];
        for (var i = 0; i < n; i++)
        {
            var proj = 0.0;
            for (var b = 0; b < k; b++) proj += x[b * n + i] * c[b];
            var row = xc.AsSpan(_codes[i] * k, k);
            for (var b = 0; b < k; b++) row[b] += x[b * n + i] * proj;
        }
        var d = new double[_g][];
        for (var h = 0; h < _g; h++)
        {
            d[h] = new double[k];
            for (var a = 0; a < k; a++) d[h][a] = VectorOps.Dot(_fit.Bread.AsSpan(a * k, k), xc.AsSpan(h * k, k));
        }
        return d;
    }

    private static double[] OnesOf(int g)
    {
        var ones = new double[g];
        Array.Fill(ones, 1.0);
        return ones;
    }

    /// <summary>ỹ = e + X̃β (the fit keeps residuals and demeaned regressors, not the demeaned outcome).</summary>
    private static double[] DemeanedOutcome(OlsFit fit)
    {
        var n = fit.N;
        var y = fit.Residuals.ToArray();
        for (var b = 0; b < fit.K; b++) VectorOps.SubtractScaled(y, -fit.Coefficients[b], fit.DemeanedX.AsSpan(b * n, n));
        return y;
    }

    /// <summary>M_{X₋ⱼ} z: the residual of z on every demeaned regressor but the j-th (z itself when there is none).</summary>
    private static double[] RestrictedResiduals(OlsFit fit, int j, double[] z)
    {
        var n = fit.N;
        var others = Enumerable.Range(0, fit.K).Where(b => b != j).ToArray();
        var p = others.Length;
        var residual = (double[])z.Clone();
        if (p == 0) return residual;
        var gram = new double[p * p];
        var rhs = new double[p];
        for (var a = 0; a < p; a++)
        {
            var xa = fit.DemeanedX.AsSpan(others[a] * n, n);
            rhs[a] = VectorOps.Dot(xa, z);
            for (var b = 0; b <= a; b++)
            {
                var v = VectorOps.Dot(xa, fit.DemeanedX.AsSpan(others[b] * n, n));
                gram[a * p + b] = v;
                gram[b * p + a] = v;
            }
        }
        var (kept, lower) = Cholesky.FactorWithDropping(gram, p, gram.Where((_, i) => i % (p + 1) == 0).ToArray(), 1e-12);
        if (kept.Length != p) throw new RankDeficiencyException($"The regressors other than '{fit.Terms[j]}' are collinear; the restricted model of the wild bootstrap is not identified.");
        Cholesky.Solve(lower, p, rhs);
        for (var a = 0; a < p; a++) VectorOps.SubtractScaled(residual, rhs[a], fit.DemeanedX.AsSpan(others[a] * n, n));
        return residual;
    }
}
