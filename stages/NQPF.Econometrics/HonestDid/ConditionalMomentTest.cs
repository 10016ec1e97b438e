using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.HonestDid;

/// <summary>
/// The conditional (and least-favourable hybrid) test of Andrews, Roth &amp; Pakes (2023) for moment inequalities with
/// linear nuisance parameters, E[y − Xδ] ≤ 0 with y ~ N(μ, Σ): HonestDiD's .lp_conditional_test_fn with hybrid "LF".
/// </summary>
/// <remarks>
/// The statistic η̂ = min_{η,δ} η s.t. y − Xδ ≤ η·σ (σ the SDs of y) equals, by LP duality, max γ'y over the polytope
/// {γ ≥ 0, γ'σ = 1, γ'X = 0}. That polytope does not depend on y, so its vertices are enumerated once (every basis of
/// k + 1 rows of W = [σ, X] with a non-negative solution of W_B'γ_B = e₁), and each test is a maximum over them: no LP
/// solver, and degenerate optima need no special path. Conditioning on the optimal vertex γ̃: with σ_B² = γ̃'Σγ̃,
/// b = Σγ̃/σ_B² and s = y − b·η̂, γ̃ stays optimal for c = γ̃'y in [v_lo, v_up], v_lo = max over vertices with γ'b &lt; 1
/// of γ's/(1 − γ'b), v_up = min over γ'b &gt; 1. The LF hybrid rejects when η̂ exceeds the least-favourable critical
/// value (the 1 − κ quantile of max γ'ξ over draws ξ ~ N(0, Σ) = Σ^{1/2}z, z from R's seeded stream
/// <see cref="RCompatibleNormals"/>, one row of z per draw as rmvnorm fills it), else truncates at min(v_up, cv_LF) and
/// rejects when η̂/σ_B exceeds max(0, the 1 − (α − κ)/(1 − κ) quantile of N(0,1) truncated to [v_lo, v_up]/σ_B).
/// In R the vertex comes from lpSolve and v_lo, v_up from the primal basis or a bisection on the dual: the same
/// numbers up to R's tolerances (1e-6). σ_B below 1e-10: reject iff η̂ &gt; 0.
/// </remarks>
internal sealed class ConditionalMomentTest
{
    private readonly double[][] _vertices;
    private readonly double[] _cross;
    private readonly double _lfCv;
    private readonly double _alpha;
    private readonly double _kappa;

    /// <param name="x">Nuisance design, row-major m×k (k may be 0).</param>
    /// <param name="sigma">Covariance of y, row-major m×m.</param>
    public ConditionalMomentTest(double[] x, int k, double[] sigma, int m, double alpha, double kappa, int sims, long seed)
    {
        _alpha = alpha;
        _kappa = kappa;
        var sd = new double[m];
        for (var i = 0; i < m; i++) sd[i] = Math.Sqrt(sigma[i * m + i]);
        _vertices = DualVertices(x, k, sd, m);
        var count = _vertices.Length;
        _cross = new double[count * count];
        var sigmaGamma = _vertices.Select(g => Times(sigma, g, m)).ToArray();
        for (var a = 0; a < count; a++)
            for (var b = 0; b < count; b++) _cross[a * count + b] = VectorOps.Dot(_vertices[a], sigmaGamma[b]);
        _lfCv = LeastFavourableCv(sigma, m, sims, seed);
    }

    /// <summary>Number of vertices of the dual polytope (0 means the constraints admit no test: never rejects).</summary>
    public int VertexCount => _vertices.Length;

    public double LeastFavourableCriticalValue => _lfCv;

    /// <summary>Whether the hybrid test rejects E[y − Xδ] ≤ 0 for this y.</summary>
    public bool Rejects(double[] y) => Rejects(y, new double[_vertices.Length]);

    /// <summary><see cref="Rejects(double[])"/> with a caller's scratch of <see cref="VertexCount"/> values, for grid scans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Rejects(double[] y, double[] values)
    {
        var count = _vertices.Length;
        if (count == 0) return false;
        var best = 0;
        for (var a = 0; a < count; a++)
        {
            values[a] = VectorOps.Dot(_vertices[a], y);
            if (values[a] > values[best]) best = a;
        }
        var eta = values[best];
        var varianceB = _cross[best * count + best];
        if (!(Math.Sqrt(varianceB) >= 1e-10)) return eta > 0;
        if (eta > _lfCv) return true;
        double vlo = double.NegativeInfinity, vup = double.PositiveInfinity;
        for (var a = 0; a < count; a++)
        {
            if (a == best) continue;
            var gb = _cross[a * count + best] / varianceB;
            var gs = values[a] - gb * eta;
            if (gb < 1 - 1e-12) vlo = Math.Max(vlo, gs / (1 - gb));
            else if (gb > 1 + 1e-12) vup = Math.Min(vup, gs / (1 - gb));
        }
        var sigmaB = Math.Sqrt(varianceB);
        var zlo = vlo / sigmaB;
        var zup = Math.Min(vup, _lfCv) / sigmaB;
        var stat = eta / sigmaB;
        if (!(zlo <= stat && stat <= zup)) return false;
        var size = (_alpha - _kappa) / (1 - _kappa);
        var cv = Math.Max(0, Distributions.TruncatedNormalQuantile(1 - size, zlo, zup));
        return stat > cv;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LeastFavourableCv(double[] sigma, int m, int sims, long seed)
    {
        if (_vertices.Length == 0) return double.PositiveInfinity;
        var root = SymmetricSqrt(sigma, m);
        var etas = new double[sims];
        var normals = RCompatibleNormals.Stream(checked((int)seed), sims * m);
        var xi = new double[m];
        for (var b = 0; b < sims; b++)
        {
            var z = normals.AsSpan(b * m, m);
            for (var i = 0; i < m; i++) xi[i] = VectorOps.Dot(root.AsSpan(i * m, m), z);
            var max = double.NegativeInfinity;
            foreach (var g in _vertices) max = Math.Max(max, VectorOps.Dot(g, xi));
            etas[b] = max;
        }
        Array.Sort(etas);
        return PlaceboInference.Quantile(etas, 1 - _kappa);
    }

    /// <summary>Σ^{1/2} = V·diag(√max(λ, 0))·V' (rmvnorm's "eigen" root; Σ of the moments is often singular).</summary>
    private static double[] SymmetricSqrt(double[] sigma, int m)
    {
        var evd = Matrix<double>.Build.Dense(m, m, (i, j) => sigma[i * m + j]).Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var root = new double[m * m];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < m; j++)
            {
                var s = 0.0;
                for (var e = 0; e < m; e++) s += v[i, e] * Math.Sqrt(Math.Max(evd.EigenValues[e].Real, 0)) * v[j, e];
                root[i * m + j] = s;
            }
        return root;
    }

    private static double[] Times(double[] a, double[] x, int m)
    {
        var r = new double[m];
        for (var i = 0; i < m; i++) r[i] = VectorOps.Dot(a.AsSpan(i * m, m), x);
        return r;
    }

    /// <summary>max |aᵢ − bᵢ| as Enumerable.Max computes it (NaN only when every difference is NaN); a loop because the
    /// duplicate check runs for every basis.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double MaxAbsDifference(double[] a, double[] b)
    {
        var i = 0;
        var value = Math.Abs(a[0] - b[0]);
        while (double.IsNaN(value) && ++i < a.Length) value = Math.Abs(a[i] - b[i]);
        for (i++; i < a.Length; i++)
        {
            var x = Math.Abs(a[i] - b[i]);
            if (x > value) value = x;
        }
        return value;
    }

    /// <summary>Vertices of {γ ≥ 0, γ'σ = 1, γ'X = 0}: basic feasible solutions over every (k+1)-row basis, duplicates removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[][] DualVertices(double[] x, int k, double[] sd, int m)
    {
        var n = k + 1;
        var vertices = new List<double[]>();
        if (n > m) return [];
        var rows = Enumerable.Range(0, n).ToArray();
        var wt = new double[n * n];
        var gammaB = new double[n];
        do
        {
            // W_B' γ_B = e₁ with W = [σ, X]: row c of W_B' is column c of W over the basis rows.
            for (var c = 0; c < n; c++)
                for (var r = 0; r < n; r++) wt[c * n + r] = c == 0 ? sd[rows[r]] : x[rows[r] * k + c - 1];
            Array.Clear(gammaB);
            gammaB[0] = 1;
            if (!DenseAlgebra.TrySolveInPlace(wt, gammaB, n) || Array.Exists(gammaB, g => g < -1e-10)) continue;
            var gamma = new double[m];
            for (var r = 0; r < n; r++) gamma[rows[r]] = Math.Max(gammaB[r], 0);
            if (!vertices.Exists(v => MaxAbsDifference(v, gamma) < 1e-12)) vertices.Add(gamma);
        }
        while (DenseAlgebra.NextCombination(rows, m));
        return [.. vertices];
    }
}
