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
/// is reported as HonestDiD does: the smallest and largest accepted grid point.
/// Checked against HonestDiD 0.2.6 on the mpdta event study of honestdid.json (1e-3: its grid and its LF simulation).
/// </summary>
internal static class RelativeMagnitudes
{
    /// <summary>The C-LF set [lb, ub] (NaN when no grid point is accepted).</summary>
    public static (double Lb, double Ub) ConfidenceSet(EventStudyEstimates es, double[] l, double mbar, RelativeMagnitudesOptions? options = null)
    {
        options ??= new RelativeMagnitudesOptions();
        var sdTheta = Math.Sqrt(es.Variance(es.PostVector(l)));
        var grid = Enumerable.Range(0, options.GridPoints)
            .Select(g => -20 * sdTheta + g * (40 * sdTheta) / (options.GridPoints - 1)).ToArray();
        var accepted = new bool[grid.Length];
        for (var s = -(es.PrePeriods - 1); s <= 0; s++)
        {
            foreach (var positive in new[] { true, false })
            {
                var test = Polyhedron(es, l, mbar, s, positive, options);
                for (var g = 0; g < grid.Length; g++)
                    if (!accepted[g]) accepted[g] = !test.Rejects(grid[g]);
            }
        }
        var idx = Enumerable.Range(0, grid.Length).Where(g => accepted[g]).ToArray();
        return idx.Length == 0 ? (double.NaN, double.NaN) : (grid[idx[0]], grid[idx[^1]]);
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

    private sealed record ThetaTest(ConditionalMomentTest Test, double[] Y, double[] A1)
    {
        public bool Rejects(double theta) => Test.Rejects(Y.Select((v, i) => v - A1[i] * theta).ToArray());
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
