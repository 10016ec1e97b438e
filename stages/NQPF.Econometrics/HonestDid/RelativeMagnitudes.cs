using System.Runtime.CompilerServices;

namespace NQPF.Econometrics.HonestDid;

/// <summary>Settings of the C-LF confidence sets (HonestDiD's createSensitivityResults_relativeMagnitudes defaults).</summary>
/// <param name="GridPoints">θ grid size over [−20·sd(l'β̂), 20·sd(l'β̂)] (gridPoints = 1000).</param>
/// <param name="Sims">Draws for the least-favourable critical value (1000).</param>
/// <param name="Seed">Seed of those draws.</param>
internal sealed record RelativeMagnitudesOptions(double Alpha = 0.05, int GridPoints = 1000, int Sims = 1000, long Seed = 0);

/// <summary>
/// Rambachan &amp; Roth (2023) relative magnitudes, Δ^RM(M̄) = {δ : |δ_{t+1} − δ_t| ≤ M̄·max_{s&lt;0}|δ_{s+1} − δ_s| for
/// every post t}: the C-LF confidence set for θ = l'τ_post of HonestDiD 0.2.6 computeConditionalCS_DeltaRM. Δ^RM is a
/// union over which pre-period difference s is the largest and its sign, each a polyhedron {Aδ ≤ 0}; θ is accepted when
/// the LF-hybrid conditional test (<see cref="ConditionalMomentTest"/>) accepts for any of them, on the post-period
/// moments only (postPeriodMomentsOnly), with the nuisance δ_post reparametrised through Γ = [l'; unit vectors]. The set
/// is reported as HonestDiD does: the smallest and largest accepted grid point (the grid extended where the set is open).
/// Checked against HonestDiD 0.2.6 on the mpdta event study of honestdid.json (1e-3: its grid and its LF simulation).
/// </summary>
internal static class RelativeMagnitudes
{
    /// <summary>Blocks of grid points added beyond an end of the grid that the set reaches, at most this many per side.</summary>
    private const int MaxExtensions = 20;

    /// <summary>
    /// The C-LF set [lb, ub] (NaN when no grid point is accepted). Where the accepted points reach an end of HonestDiD's
    /// grid (R then warns "CI is open at one of the endpoints" and reports the grid's end), the grid is extended past
    /// that end in blocks of the same spacing until a block ends rejected; still open after 20 blocks → ±∞. When no grid
    /// point is accepted and the estimate lies past the grid, the search goes that way. Inside the grid nothing changes,
    /// so the sets R reports as closed are reproduced point for point.
    /// </summary>
    public static (double Lb, double Ub) ConfidenceSet(EventStudyEstimates es, double[] l, double mbar, RelativeMagnitudesOptions? options = null)
    {
        options ??= new RelativeMagnitudesOptions();
        var sdTheta = Math.Sqrt(es.Variance(es.PostVector(l)));
        var n = options.GridPoints;
        var step = 40 * sdTheta / (n - 1);
        double Theta(long g) => -20 * sdTheta + g * step;
        var union = new PolyhedronUnion(Enumerable.Range(-(es.PrePeriods - 1), es.PrePeriods)
            .SelectMany(s => new[] { Polyhedron(es, l, mbar, s, true, options), Polyhedron(es, l, mbar, s, false, options) }).ToArray());
        bool Accepts(long g) => union.Accepts(Theta(g));
        var ends = Ends(Accepts, n);
        if (ends is not var (first, last))
        {
            // Nothing accepted on the grid: the set, if any, lies past the end on the estimate's side.
            var estimate = es.PostEstimate(l);
            if (Math.Abs(estimate) <= 20 * sdTheta) return (double.NaN, double.NaN);
            var direction = estimate > 0 ? 1 : -1;
            var (inner, outer) = Scan(Accepts, direction > 0 ? n - 1 : 0, direction, n);
            if (inner is null) return (double.NaN, double.NaN);
            var (near, far) = (Theta(inner.Value), outer is { } o ? Theta(o) : direction * double.PositiveInfinity);
            return direction > 0 ? (near, far) : (far, near);
        }
        double Bound(long index, int direction) =>
            Scan(Accepts, index, direction, n).Outer is { } o ? Theta(o) : direction * double.PositiveInfinity;
        var lb = first == 0 ? Bound(0, -1) : Theta(first);
        var ub = last == n - 1 ? Bound(n - 1, 1) : Theta(last);
        return (lb, ub);
    }

    /// <summary>
    /// The smallest and largest accepted grid index in 0..n−1 (null when none): HonestDiD reports only these two of its
    /// scan, so they are searched from each end inward and the points between them are never tested.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (long First, long Last)? Ends(Func<long, bool> accepts, int n)
    {
        long first = 0;
        while (first < n && !accepts(first)) first++;
        if (first == n) return null;
        long last = n - 1;
        while (last > first && !accepts(last)) last--;
        return (first, last);
    }

    /// <summary>
    /// Grid points past <paramref name="edge"/> in <paramref name="direction"/>, in blocks of <paramref name="block"/>:
    /// the innermost and outermost accepted indices (the edge itself counts when accepted), stopping after the first
    /// block that ends rejected once something was accepted; outermost null when still open after the last block. Once
    /// the innermost is known only a block's last accepted point matters, so the block is searched from its far end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (long? Inner, long? Outer) Scan(Func<long, bool> accepts, long edge, int direction, int block)
    {
        long? inner = accepts(edge) ? edge : null;
        var outer = inner;
        for (var b = 1; b <= MaxExtensions; b++)
        {
            var before = edge + direction * (b - 1L) * block;
            var from = 1L;
            if (inner is null)
            {
                while (from <= block && !accepts(before + direction * from)) from++;
                if (from > block) continue;
                inner = outer = before + direction * from++;
            }
            for (var k = (long)block; k >= from; k--)
            {
                if (!accepts(before + direction * k)) continue;
                outer = before + direction * k;
                break;
            }
            if (outer != edge + direction * (long)b * block) return (inner, outer);
        }
        return (inner, null);
    }

    /// <summary>The moment inequalities of Δ^RM_{s,±}(M̄) for θ: y(θ) = Aβ̂ − a₁θ, X = A_post Γ⁻¹ without its first column.</summary>
    private static ThetaTest Polyhedron(EventStudyEstimates es, double[] l, double mbar, int s, bool positive, RelativeMagnitudesOptions options)
    {
        var (a, rows) = ConstraintMatrix(es.PrePeriods, es.PostPeriods, mbar, s, positive);
        var p = es.Dimension;
        var t = es.PostPeriods;
        var gammaInv = InverseGamma(l);
        var m = rows.Length;
        var y = new double[m];
        var a1 = new double[m];
        var x = new double[m * (t - 1)];
        var aRows = new double[m * p];
        for (var r = 0; r < m; r++)
        {
            var row = a.AsSpan(rows[r] * p, p);
            row.CopyTo(aRows.AsSpan(r * p, p));
            y[r] = VectorOps.Dot(row, es.Betahat);
            for (var c = 0; c < t; c++)
            {
                var v = 0.0;
                for (var j = 0; j < t; j++) v += row[es.PrePeriods + j] * gammaInv[j * t + c];
                if (c == 0) a1[r] = v;
                else x[r * (t - 1) + c - 1] = v;
            }
        }
        var sigmaY = DenseAlgebra.Congruence(aRows, es.Sigma, m, p);
        var test = new ConditionalMomentTest(x, t - 1, sigmaY, m, options.Alpha, options.Alpha / 10, options.Sims, options.Seed);
        return new ThetaTest(test, y, a1);
    }

    /// <summary>
    /// θ is accepted when any polyhedron's test accepts it. The one that accepted last is asked first (neighbouring grid
    /// points are mostly accepted by the same one), which changes the work but not the answer.
    /// </summary>
    private sealed class PolyhedronUnion(ThetaTest[] tests)
    {
        private int _hint;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Accepts(double theta)
        {
            if (tests.Length == 0) return false;
            if (!tests[_hint].Rejects(theta)) return true;
            for (var i = 0; i < tests.Length; i++)
            {
                if (i == _hint || tests[i].Rejects(theta)) continue;
                _hint = i;
                return true;
            }
            return false;
        }
    }

    /// <summary>The test of one polyhedron along θ; scratch buffers reused across the grid (one scan at a time).</summary>
    private sealed class ThetaTest(ConditionalMomentTest test, double[] y, double[] a1)
    {
        private readonly double[] _y = new double[y.Length];
        private readonly double[] _values = new double[test.VertexCount];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Rejects(double theta)
        {
            for (var i = 0; i < _y.Length; i++) _y[i] = y[i] - a1[i] * theta;
            return test.Rejects(_y, _values);
        }
    }

    /// <summary>
    /// A (row-major, columns = pre then post periods, the reference period dropped) with |Δδ_r| ≤ (±Δδ_s) for the pre
    /// differences and ≤ M̄·(±Δδ_s) for the post differences (HonestDiD .create_A_RM, all-zero rows removed), and the
    /// rows used by the test: those touching a post period (all rows when there is a single post period).
    /// </summary>
    internal static (double[] A, int[] Rows) ConstraintMatrix(int pre, int post, double mbar, int s, bool positive)
    {
        var n = pre + post;
        var full = new List<double[]>();
        var sign = positive ? 1.0 : -1.0;
        foreach (var side in new[] { 1.0, -1.0 })
        {
            for (var r = 0; r < n; r++)
            {
                var row = new double[n + 1];
                row[r] -= side;
                row[r + 1] += side;
                var bound = r < pre ? 1.0 : mbar;
                row[pre + s - 1] -= bound * -sign;
                row[pre + s] -= bound * sign;
                if (row.Sum(v => v * v) > 1e-10) full.Add(row);
            }
        }
        var a = new double[full.Count * n];
        for (var r = 0; r < full.Count; r++)
            for (int c = 0, k = 0; c <= n; c++)
                if (c != pre) a[r * n + k++] = full[r][c];
        var rows = Enumerable.Range(0, full.Count)
            .Where(r => post == 1 || Enumerable.Range(pre, post).Any(c => a[r * n + c] != 0)).ToArray();
        return (a, rows);
    }

    /// <summary>Γ⁻¹ for Γ = [l'; e_j' for the first unit vectors independent of l and each other] (HonestDiD .construct_Gamma).</summary>
    private static double[] InverseGamma(double[] l)
    {
        var t = l.Length;
        var rows = new List<double[]> { l };
        for (var j = 0; j < t && rows.Count < t; j++)
        {
            var e = new double[t];
            e[j] = 1;
            if (Independent([.. rows, e])) rows.Add(e);
        }
        var gamma = rows.SelectMany(r => r).ToArray();
        var inverse = new double[t * t];
        for (var c = 0; c < t; c++)
        {
            var unit = new double[t];
            unit[c] = 1;
            var col = DenseAlgebra.Solve(gamma, unit, t) ?? throw new ArgumentException("The target vector l is zero.", nameof(l));
            for (var r = 0; r < t; r++) inverse[r * t + c] = col[r];
        }
        return inverse;
    }

    /// <summary>Whether the rows are linearly independent: their Gram matrix is non-singular.</summary>
    private static bool Independent(List<double[]> rows)
    {
        var k = rows.Count;
        var gram = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++) gram[i * k + j] = VectorOps.Dot(rows[i], rows[j]);
        var unit = new double[k];
        unit[0] = 1;
        return DenseAlgebra.Solve(gram, unit, k) is not null;
    }
}
