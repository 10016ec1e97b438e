namespace NQPF.Econometrics;

/// <summary>
/// Small dense symmetric positive (semi-)definite algebra for k×k cross-product matrices (row-major double[]).
/// k is the number of regressors (tens at most), so plain loops beat any library call here.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Cholesky of the Gram matrix G = X'X, skipping columns that are (numerically) linear combinations of earlier
    /// ones: column j is dropped when its squared residual on the kept earlier columns, d_j = G_jj − Σ L_jl², is
    /// ≤ tolerance · scale_j (scale_j is the column's raw sum of squares, so "collinear" means less than a fraction
    /// `tolerance` of its variation is left). This is fixest's rule (sequential Cholesky, collin.tol = 1e-10) with
    /// a relative instead of an absolute threshold. Returns the kept column indices and the lower factor L over
    /// them (row-major, |kept|²).
    /// </summary>
    public static (int[] Kept, double[] Lower) FactorWithDropping(ReadOnlySpan<double> gram, int k, ReadOnlySpan<double> scale, double tolerance)
    {
        var kept = new List<int>(k);
        var lower = new double[k * k];
        for (var j = 0; j < k; j++)
        {
            var m = kept.Count;
            var row = new double[m];
            for (var a = 0; a < m; a++)
            {
                var s = gram[j * k + kept[a]];
                for (var b = 0; b < a; b++) s -= row[b] * lower[a * k + b];
                row[a] = s / lower[a * k + a];
            }
            var d = gram[j * k + j];
            for (var b = 0; b < m; b++) d -= row[b] * row[b];
            if (!(d > tolerance * scale[j]) || !(d > 0)) continue;
            for (var b = 0; b < m; b++) lower[m * k + b] = row[b];
            lower[m * k + m] = Math.Sqrt(d);
            kept.Add(j);
        }
        var p = kept.Count;
        var compact = new double[p * p];
        for (var a = 0; a < p; a++)
            for (var b = 0; b <= a; b++)
                compact[a * p + b] = lower[a * k + b];
        return (kept.ToArray(), compact);
    }

    /// <summary>Solves L L' x = b in place (L lower, row-major p×p).</summary>
    public static void Solve(ReadOnlySpan<double> lower, int p, Span<double> b)
    {
        for (var i = 0; i < p; i++)
        {
            var s = b[i];
            for (var j = 0; j < i; j++) s -= lower[i * p + j] * b[j];
            b[i] = s / lower[i * p + i];
        }
        for (var i = p - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < p; j++) s -= lower[j * p + i] * b[j];
            b[i] = s / lower[i * p + i];
        }
    }

    /// <summary>(L L')⁻¹ as a row-major p×p matrix.</summary>
    public static double[] Inverse(ReadOnlySpan<double> lower, int p)
    {
        var inv = new double[p * p];
        var e = new double[p];
        for (var c = 0; c < p; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            Solve(lower, p, e);
            for (var r = 0; r < p; r++) inv[r * p + c] = e[r];
        }
        // Symmetrise: the two triangular solves leave rounding-level asymmetry.
        for (var r = 0; r < p; r++)
            for (var c = r + 1; c < p; c++)
            {
                var v = 0.5 * (inv[r * p + c] + inv[c * p + r]);
                inv[r * p + c] = v;
                inv[c * p + r] = v;
            }
        return inv;
    }
}
