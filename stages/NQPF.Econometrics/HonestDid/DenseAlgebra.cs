using System.Runtime.CompilerServices;

namespace NQPF.Econometrics.HonestDid;

/// <summary>Tiny dense helpers (row-major) for the sensitivity code: sizes are the number of event-study periods.</summary>
internal static class DenseAlgebra
{
    /// <summary>Solves A x = b (n×n, row-major) by Gaussian elimination with partial pivoting; null when a pivot is below 1e-12 of the largest entry.</summary>
    public static double[]? Solve(double[] a, double[] b, int n)
    {
        var x = (double[])b.Clone();
        return TrySolveInPlace((double[])a.Clone(), x, n) ? x : null;
    }

    /// <summary>
    /// <see cref="Solve"/> overwriting <paramref name="m"/> (its factor) and <paramref name="x"/> (b on entry, the solution
    /// on exit), so hot loops can solve from reused buffers; false when singular.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySolveInPlace(Span<double> m, Span<double> x, int n)
    {
        var scale = 0.0;
        foreach (var v in m) scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0) return false;
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r * n + c]) > Math.Abs(m[pivot * n + c])) pivot = r;
            if (Math.Abs(m[pivot * n + c]) <= 1e-12 * scale) return false;
            if (pivot != c)
            {
                for (var k = 0; k < n; k++) (m[c * n + k], m[pivot * n + k]) = (m[pivot * n + k], m[c * n + k]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r * n + c] / m[c * n + c];
                if (f == 0) continue;
                for (var k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
                x[r] -= f * x[c];
            }
        }
        for (var r = n - 1; r >= 0; r--)
        {
            var s = x[r];
            for (var k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
            x[r] = s / m[r * n + r];
        }
        return true;
    }

    /// <summary>A·B for row-major A (p×q) and B (q×r).</summary>
    public static double[] Multiply(double[] a, double[] b, int p, int q, int r)
    {
        var c = new double[p * r];
        for (var i = 0; i < p; i++)
            for (var k = 0; k < q; k++)
            {
                var aik = a[i * q + k];
                if (aik == 0) continue;
                for (var j = 0; j < r; j++) c[i * r + j] += aik * b[k * r + j];
            }
        return c;
    }

    /// <summary>A·Σ·A' for row-major A (p×q) and Σ (q×q).</summary>
    public static double[] Congruence(double[] a, double[] sigma, int p, int q)
    {
        var aSigma = Multiply(a, sigma, p, q, q);
        var result = new double[p * p];
        for (var i = 0; i < p; i++)
            for (var j = 0; j < p; j++)
            {
                var s = 0.0;
                for (var k = 0; k < q; k++) s += aSigma[i * q + k] * a[j * q + k];
                result[i * p + j] = s;
            }
        return result;
    }

    /// <summary>Advances <paramref name="idx"/> to the next k-subset of 0..n−1 in lexicographic order; false after the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool NextCombination(int[] idx, int n)
    {
        var k = idx.Length;
        var i = k - 1;
        while (i >= 0 && idx[i] == n - k + i) i--;
        if (i < 0) return false;
        idx[i]++;
        for (var j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
        return true;
    }
}
