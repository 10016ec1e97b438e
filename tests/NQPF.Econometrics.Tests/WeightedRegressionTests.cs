namespace NQPF.Econometrics.Tests;

/// <summary>
/// Weighted least squares with absorbed fixed effects, checked against brute force: dummy-variable OLS on the
/// √w-scaled design (MathNet QR, <see cref="DummyVariableOls"/>), which is how R's lm(weights =) and fixest's
/// feols(weights =) define the estimator and its sandwich. Tolerances: 1e-9 relative for coefficients and SSR, 1e-8 for
/// SEs (the CG demeaning stops at 1e-12 relative).
/// </summary>
public class WeightedRegressionTests
{
    private sealed record Panel(double[] Y, double[] D, double[] X, int[] Unit, int[] Year, int[] Cluster, double[] W);

    /// <summary>A balanced 40 × 8 panel with a unit-level effect, weights in (0.2, 3) and a few zero weights.</summary>
    private static Panel Simulate(int seed, bool withZeros)
    {
        var rng = new Random(seed);
        const int units = 40, years = 8;
        var n = units * years;
        var p = new Panel(new double[n], new double[n], new double[n], new int[n], new int[n], new int[n], new double[n]);
        var alpha = Enumerable.Range(0, units).Select(_ => rng.NextDouble() * 2).ToArray();
        for (var i = 0; i < n; i++)
        {
            var u = i / years;
            var t = i % years;
            p.Unit[i] = u;
            p.Year[i] = t;
            p.Cluster[i] = u / 4;
            p.D[i] = u % 3 == 0 && t >= 3 + u % 4 ? 1 : 0;
            p.X[i] = rng.NextDouble() + 0.1 * t;
            p.W[i] = withZeros && i % 17 == 0 ? 0 : 0.2 + 2.8 * rng.NextDouble();
            p.Y[i] = alpha[u] + 0.05 * t + 0.7 * p.D[i] - 0.4 * p.X[i] + rng.NextDouble() - 0.5;
        }
        return p;
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    public void Fit_WeightedTwoWayFe_MatchesWeightedDummyVariableOls(int seed, bool withZeros)
    {
        var p = Simulate(seed, withZeros);
        var fe = new[] { Factor.FromCodes("unit", p.Unit, 40), Factor.FromCodes("year", p.Year, 8) };
        var fit = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x", p.X)], fe, Weights: p.W),
            new FitOptions(new AbsorbOptions(DropSingletons: false)));
        Assert.Equal(DemeanMethod.ConjugateGradient, fit.FixedEffects.Method);

        var keep = Enumerable.Range(0, p.Y.Length).Where(i => p.W[i] > 0).ToArray();
        Assert.Equal(keep.Length, fit.N);
        Assert.Equal(p.Y.Length - keep.Length, fit.MissingRowsRemoved);
        var lsdv = DummyVariableOls.Fit(Take(p.Y, keep), [Take(p.D, keep), Take(p.X, keep)],
            [Take(p.Unit, keep), Take(p.Year, keep)], Take(p.Cluster, keep), Take(p.W, keep));
        var cluster = Inference.Summarise(fit, VcovSpec.Cluster(Factor.FromCodes("cluster", p.Cluster, 10), SmallSample.Full));
        var iid = Inference.Summarise(fit, VcovSpec.Iid(SmallSample.Full));
        Assert.Equal(lsdv.Columns, cluster.Vcov.Recipe.K);
        for (var j = 0; j < 2; j++)
        {
            ReferenceData.AssertRelative(lsdv.Slopes[j], fit.Coefficients[j], 1e-9, $"beta {fit.Terms[j]}");
            ReferenceData.AssertRelative(lsdv.ClusterSe[j], cluster.Coefficients[j].Se, 1e-8, $"CR1 se {fit.Terms[j]}");
            ReferenceData.AssertRelative(lsdv.IidSe[j], iid.Coefficients[j].Se, 1e-8, $"iid se {fit.Terms[j]}");
        }
        ReferenceData.AssertRelative(lsdv.Ssr, fit.Ssr, 1e-9, "weighted ssr");
    }

    [Fact]
    public void Fit_WeightsAllOne_SameAsUnweightedToRoundOff()
    {
        var p = Simulate(13, withZeros: false);
        var fe = new[] { Factor.FromCodes("unit", p.Unit, 40), Factor.FromCodes("year", p.Year, 8) };
        var plain = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x", p.X)], fe));
        var ones = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x", p.X)], fe,
            Weights: Enumerable.Repeat(1.0, p.Y.Length).ToArray()));
        for (var j = 0; j < 2; j++) Assert.Equal(plain.Coefficients[j], ones.Coefficients[j], 1e-11);
        Assert.Equal(plain.Ssr, ones.Ssr, 1e-10);
    }

    [Fact]
    public void Fit_IntegerWeights_EqualRepeatingRows()
    {
        // Frequency weights of 1 or 2 give the coefficients of the data with the weight-2 rows duplicated (exact
        // identity of weighted least squares; the SEs differ because N differs, as in lm).
        var p = Simulate(14, withZeros: false);
        var w = p.W.Select((_, i) => i % 3 == 0 ? 2.0 : 1.0).ToArray();
        var fe = new[] { Factor.FromCodes("unit", p.Unit, 40), Factor.FromCodes("year", p.Year, 8) };
        var weighted = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x", p.X)], fe, Weights: w));
        var rows = Enumerable.Range(0, p.Y.Length).SelectMany(i => w[i] == 2 ? new[] { i, i } : [i]).ToArray();
        var repeated = Regression.Fit(new RegressionInput("y", Take(p.Y, rows), [new("d", Take(p.D, rows)), new("x", Take(p.X, rows))],
            [Factor.FromCodes("unit", Take(p.Unit, rows), 40), Factor.FromCodes("year", Take(p.Year, rows), 8)]));
        for (var j = 0; j < 2; j++) ReferenceData.AssertRelative(repeated.Coefficients[j], weighted.Coefficients[j], 1e-9, weighted.Terms[j]);
        ReferenceData.AssertRelative(repeated.Ssr, weighted.Ssr, 1e-9, "ssr");
    }

    [Fact]
    public void Fit_OneFeWeighted_UsesWeightedGroupMeansExactly()
    {
        var p = Simulate(15, withZeros: false);
        var fit = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x", p.X)], [Factor.FromCodes("unit", p.Unit, 40)], Weights: p.W));
        Assert.Equal(DemeanMethod.OneWay, fit.FixedEffects.Method);
        var lsdv = DummyVariableOls.Fit(p.Y, [p.D, p.X], [p.Unit], p.Cluster, p.W);
        for (var j = 0; j < 2; j++) ReferenceData.AssertRelative(lsdv.Slopes[j], fit.Coefficients[j], 1e-10, fit.Terms[j]);
    }

    [Fact]
    public void Fit_NegativeWeight_ThrowsNamingTheRow()
    {
        var p = Simulate(16, withZeros: false);
        p.W[5] = -1;
        var ex = Assert.Throws<ArgumentException>(() => Regression.Fit(
            new RegressionInput("y", p.Y, [new("d", p.D)], [Factor.FromCodes("unit", p.Unit, 40)], Weights: p.W)));
        Assert.Contains("row 5", ex.Message, StringComparison.Ordinal);
    }

    private static T[] Take<T>(T[] source, int[] rows) => rows.Select(i => source[i]).ToArray();
}
