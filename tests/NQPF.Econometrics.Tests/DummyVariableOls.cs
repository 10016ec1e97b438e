using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// Brute-force least-squares dummy-variable (LSDV) regression with MathNet's QR: the full design [X, dummies of every
/// FE (first level of each FE after the first dropped)], and a one-way CR1 sandwich on it with K = number of columns
/// (Stata regress with i.fe dummies, vce(cluster); fixest K.fixef = "full").
/// </summary>
internal sealed record DummyVariableOls(double[] Slopes, double[] ClusterSe, double[] IidSe, double Ssr, int Columns)
{
    public static DummyVariableOls Fit(double[] y, double[][] slopes, int[][] feCodes, int[] cluster)
    {
        var n = y.Length;
        var columns = new List<double[]>(slopes);
        for (var q = 0; q < feCodes.Length; q++)
        {
            var levels = feCodes[q].Max() + 1;
            for (var g = q == 0 ? 0 : 1; g < levels; g++)
                columns.Add(feCodes[q].Select(c => c == g ? 1.0 : 0.0).ToArray());
        }
        var p = columns.Count;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => columns[j][i]);
        var yv = Vector<double>.Build.DenseOfArray(y);
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
