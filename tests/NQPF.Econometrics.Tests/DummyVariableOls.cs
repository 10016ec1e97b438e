using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// Brute-force least-squares dummy-variable (LSDV) regression with MathNet's QR: the full design [X, dummies of every
/// FE (first level of each FE after the first dropped)], and a one-way CR1 sandwich on it with K = number of columns
/// (Stata regress with i.fe dummies, vce(cluster); fixest K.fixef = "full"). With weights w every row of y and the design
/// is multiplied by √w first (weighted least squares as R lm(weights =) defines it), so the scores are wᵢxᵢeᵢ.
/// </summary>
internal sealed record DummyVariableOls(double[] Slopes, double[] ClusterSe, double[] IidSe, double Ssr, int Columns)
{
    public static DummyVariableOls Fit(double[] y, double[][] slopes, int[][] feCodes, int[] cluster, double[]? weights = null)
    {
        var n = y.Length;
        var root = weights?.Select(Math.Sqrt).ToArray() ?? Enumerable.Repeat(1.0, n).ToArray();
        var columns = new List<double[]>(slopes);
        for (var q = 0; q < feCodes.Length; q++)
        {
            var levels = feCodes[q].Max() + 1;
            for (var g = q == 0 ? 0 : 1; g < levels; g++)
                columns.Add(feCodes[q].Select(c => c == g ? 1.0 : 0.0).ToArray());
        }
        var p = columns.Count;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => root[i] * columns[j][i]);
        var yv = Vector<double>.Build.Dense(n, i => root[i] * y[i]);
        var beta = x.QR().Solve(yv);
        var e = yv - x * beta;
        var bread = (x.TransposeThisAndMultiply(x)).Inverse();
        var g2 = cluster.Max() + 1;
        var scores = Matrix<double>.Build.Dense(g2, p);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < p; j++)
                scores[cluster[i], j] += x[i, j] * e[i];
        var meat = scores.TransposeThisAndMultiply(scores);
        var factor = (double)g2 / (g2 - 1) * (n - 1) / (n - p);
        var v = bread * meat * bread * factor;
        var ssr = e.DotProduct(e);
        var sigma2 = ssr / (n - p);
        var k = slopes.Length;
        return new DummyVariableOls(
            Enumerable.Range(0, k).Select(j => beta[j]).ToArray(),
            Enumerable.Range(0, k).Select(j => Math.Sqrt(v[j, j])).ToArray(),
            Enumerable.Range(0, k).Select(j => Math.Sqrt(sigma2 * bread[j, j])).ToArray(),
            ssr, p);
    }
}
