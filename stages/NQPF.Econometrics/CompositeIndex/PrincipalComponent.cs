using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.CompositeIndex;

/// <summary>
/// First principal component of standardised indicators: z_ij = (x_ij − mean_j)/sd_j (sd with n − 1), loadings a =
/// the unit eigenvector of the correlation matrix R = Z'Z/(n − 1) with the largest eigenvalue λ₁, sign fixed so that
/// Σ a_j > 0 (ties: the largest |a_j| positive); explained share λ₁ / Σ λ. Constant columns are left out (mean kept,
/// sd 0, loading 0). At least one non-constant column is required (the caller guarantees it).
/// </summary>
internal sealed record PrincipalComponent(double[] Means, double[] Sds, double[] Loadings, double ExplainedShare)
{
    public static PrincipalComponent Fit(double[][] columns, bool[] constant)
    {
        var m = columns.Length;
        var n = columns[0].Length;
        var means = new double[m];
        var sds = new double[m];
        var active = Enumerable.Range(0, m).Where(j => !constant[j]).ToArray();
        for (var j = 0; j < m; j++)
        {
            means[j] = columns[j].Average();
            if (constant[j]) continue;
            var ss = 0.0;
            foreach (var v in columns[j]) ss += (v - means[j]) * (v - means[j]);
            sds[j] = Math.Sqrt(ss / (n - 1));
        }
        var k = active.Length;
        var r = Matrix<double>.Build.Dense(k, k);
        for (var a = 0; a < k; a++)
        {
            for (var b = a; b < k; b++)
            {
                var ja = active[a];
                var jb = active[b];
                var s = 0.0;
                for (var i = 0; i < n; i++)
                    s += (columns[ja][i] - means[ja]) / sds[ja] * ((columns[jb][i] - means[jb]) / sds[jb]);
                r[a, b] = s / (n - 1);
                r[b, a] = r[a, b];
            }
        }
        var evd = r.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var top = Array.IndexOf(values, values.Max());
        var vector = evd.EigenVectors.Column(top).ToArray();
        var sum = vector.Sum();
        var flip = sum < 0 || (sum == 0 && vector[Array.IndexOf(vector.Select(Math.Abs).ToArray(), vector.Max(Math.Abs))] < 0);
        var loadings = new double[m];
        for (var a = 0; a < k; a++) loadings[active[a]] = flip ? -vector[a] : vector[a];
        var trace = values.Sum();
        return new PrincipalComponent(means, sds, loadings, trace > 0 ? values[top] / trace : 1.0);
    }
}
