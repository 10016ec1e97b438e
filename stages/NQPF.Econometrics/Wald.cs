using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace NQPF.Econometrics;

/// <summary>Result of a Wald test of Rβ = r.</summary>
/// <param name="Restrictions">q, the number of rows of R.</param>
/// <param name="Chi2">W = (Rβ − r)'(R V R')⁻¹(Rβ − r).</param>
/// <param name="ChiP">P(χ²_q ≥ W).</param>
/// <param name="F">W / q.</param>
/// <param name="FDf2">Denominator df: the vcov's t df (fixest wald()).</param>
/// <param name="FP">P(F_{q, FDf2} ≥ F).</param>
/// <param name="Difference">Rβ − r (for a single restriction, the estimated difference).</param>
internal sealed record WaldTest(string Hypothesis, int Restrictions, double Chi2, double ChiP, double F, double FDf2, double FP, IReadOnlyList<double> Difference);

internal static class Wald
{
    /// <summary>
    /// Tests Rβ = r with the result's own vcov V: W = (Rβ − r)'(R V R')⁻¹(Rβ − r), F = W/q on (q, t df) and χ²_q.
    /// <paramref name="restrictions"/> maps term names to coefficients of one row each. Degenerate: R V R' singular
    /// (redundant restrictions) → <see cref="RankDeficiencyException"/>. The F form equals fixest::wald() for a
    /// single restriction as t² (checked in the tests against the coefficient t statistic).
    /// </summary>
    public static WaldTest Test(RegressionResult result, IReadOnlyList<IReadOnlyDictionary<string, double>> restrictions, IReadOnlyList<double> rhs, string hypothesis) =>
        Test(result.Fit.Terms, result.Fit.Coefficients, result.Vcov, restrictions, rhs, hypothesis);

    /// <summary>The same test from the terms, coefficients and vcov of a fit.</summary>
    public static WaldTest Test(
        IReadOnlyList<string> terms, double[] coefficients, VarianceEstimate vcov,
        IReadOnlyList<IReadOnlyDictionary<string, double>> restrictions, IReadOnlyList<double> rhs, string hypothesis)
    {
        var q = restrictions.Count;
        if (q == 0 || rhs.Count != q) throw new ArgumentException("Need one right-hand side per restriction.", nameof(rhs));
        var k = terms.Count;
        var r = Matrix<double>.Build.Dense(q, k);
        for (var i = 0; i < q; i++)
        {
            foreach (var (term, weight) in restrictions[i])
            {
                var j = IndexOf(terms, term);
                if (j < 0) throw new KeyNotFoundException($"Wald test '{hypothesis}': term '{term}' is not in the fit (terms: {string.Join(", ", terms)}).");
                r[i, j] = weight;
            }
        }
        var beta = Vector<double>.Build.DenseOfArray(coefficients);
        var v = Matrix<double>.Build.Dense(k, k, (i, j) => vcov.Matrix[i * k + j]);
        var diff = r * beta - Vector<double>.Build.DenseOfEnumerable(rhs);
        var middle = r * v * r.Transpose();
        var chol = TryCholesky(middle);
        if (chol is null || chol.Determinant <= 0 || !double.IsFinite(chol.Determinant))
            throw new RankDeficiencyException($"Wald test '{hypothesis}': R V R' is singular (redundant restrictions?).");
        var w = diff.DotProduct(chol.Solve(diff));
        var df2 = vcov.Recipe.TDf;
        var f = w / q;
        // Upper tails through the regularized functions, so tiny p-values keep their digits.
        var chiP = SpecialFunctions.GammaUpperRegularized(q / 2.0, w / 2);
        var fP = SpecialFunctions.BetaRegularized(df2 / 2, q / 2.0, df2 / (df2 + q * f));
        return new WaldTest(hypothesis, q, w, chiP, f, df2, fP, diff.ToArray());
    }

    private static int IndexOf(IReadOnlyList<string> terms, string term)
    {
        for (var j = 0; j < terms.Count; j++)
            if (string.Equals(terms[j], term, StringComparison.Ordinal)) return j;
        return -1;
    }

    /// <summary>The Cholesky factor, or null when MathNet finds the matrix not positive definite (it throws ArgumentException).</summary>
    private static Cholesky<double>? TryCholesky(Matrix<double> m)
    {
        try
        {
            return m.Cholesky();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>β_a − β_b = 0.</summary>
    public static WaldTest Equal(RegressionResult result, string a, string b) =>
        Test(result, [new Dictionary<string, double>(StringComparer.Ordinal) { [a] = 1, [b] = -1 }], [0],
            string.Create(CultureInfo.InvariantCulture, $"{a} = {b}"));
}
