using System.Globalization;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// The demeaned fit against brute-force dummy-variable OLS (MathNet QR on the full LSDV design) on small seeded
/// unbalanced panels with three FE dimensions; singleton dropping; clusters with one observation.
/// Tolerances: coefficients 1e-9 relative, SEs 1e-8 relative (the LSDV QR itself carries ~1e-12 error here).
/// </summary>
public sealed class FixedEffectsTests
{
    private sealed record Panel(double[] Y, double[] X1, double[] X2, double[] D, int[] Unit, int[] Year, int[] Industry, int[] Region);

    /// <summary>An unbalanced panel: 40 units × 9 years, ~30% of cells missing, an industry FE that varies within unit.</summary>
    private static Panel Simulate(int seed)
    {
        var rng = new Random(seed);
        var rows = new List<(int u, int t)>();
        for (var u = 0; u < 40; u++)
            for (var t = 0; t < 9; t++)
                if (rng.NextDouble() > 0.3) rows.Add((u, t));
        var n = rows.Count;
        var unitEffect = Enumerable.Range(0, 40).Select(_ => rng.NextDouble() * 3).ToArray();
        var p = new Panel(new double[n], new double[n], new double[n], new double[n], new int[n], new int[n], new int[n], new int[n]);
        for (var i = 0; i < n; i++)
        {
            var (u, t) = rows[i];
            p.Unit[i] = u;
            p.Year[i] = t;
            p.Industry[i] = rng.Next(6);
            p.Region[i] = u % 7;
            p.X1[i] = rng.NextDouble() + 0.1 * t;
            p.X2[i] = rng.NextDouble() * unitEffect[u];
            p.D[i] = u % 3 == 0 && t >= 4 + u % 4 ? 1 : 0;
            p.Y[i] = 0.5 * p.D[i] + 0.8 * p.X1[i] - 0.3 * p.X2[i] + unitEffect[u] + 0.2 * t + 0.4 * p.Industry[i] + rng.NextDouble();
        }
        return p;
    }

    private static int[] Dense(int[] codes)
    {
        var map = new Dictionary<int, int>();
        return codes.Select(c => map.TryGetValue(c, out var v) ? v : map[c] = map.Count).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_UnbalancedThreeWayFe_MatchesDummyVariableOls(int seed)
    {
        var p = Simulate(seed);
        var fe = new[]
        {
            Factor.FromCodes("unit", Dense(p.Unit), Dense(p.Unit).Max() + 1),
            Factor.FromCodes("year", Dense(p.Year), Dense(p.Year).Max() + 1),
            Factor.FromCodes("industry", Dense(p.Industry), Dense(p.Industry).Max() + 1),
        };
        var fit = Regression.Fit(
            new RegressionInput("y", p.Y, [new("d", p.D), new("x1", p.X1), new("x2", p.X2)], fe),
            new FitOptions(new AbsorbOptions(DropSingletons: false)));
        Assert.Equal(DemeanMethod.ConjugateGradient, fit.FixedEffects.Method);
        Assert.InRange(fit.DemeanIterations, 1, 500);

        var lsdv = DummyVariableOls.Fit(p.Y, [p.D, p.X1, p.X2], fe.Select(f => f.Codes).ToArray(), p.Region);
        var region = Factor.FromCodes("region", p.Region, 7);
        var cluster = Inference.Summarise(fit, VcovSpec.Cluster(region, SmallSample.Full));
        var iid = Inference.Summarise(fit, VcovSpec.Iid());
        Assert.Equal(lsdv.Columns, cluster.Vcov.Recipe.K);
        for (var j = 0; j < 3; j++)
        {
            ReferenceData.AssertRelative(lsdv.Slopes[j], fit.Coefficients[j], 1e-9, $"seed {seed} beta {fit.Terms[j]}");
            ReferenceData.AssertRelative(lsdv.ClusterSe[j], cluster.Coefficients[j].Se, 1e-8, $"seed {seed} CR1 se {fit.Terms[j]}");
            ReferenceData.AssertRelative(lsdv.IidSe[j], iid.Coefficients[j].Se, 1e-8, $"seed {seed} iid se {fit.Terms[j]}");
        }
        ReferenceData.AssertRelative(lsdv.Ssr, fit.Ssr, 1e-9, "ssr");
    }

    [Fact]
    public void Demean_UnbalancedThreeWay_ResultIsOrthogonalToEveryFeLevel()
    {
        var p = Simulate(7);
        var factors = new[] { Factor.FromCodes("unit", Dense(p.Unit), Dense(p.Unit).Max() + 1), Factor.FromCodes("year", p.Year, 9), Factor.FromCodes("industry", p.Industry, 6) };
        var fe = FixedEffects.Absorb(factors, new AbsorbOptions(DropSingletons: false));
        var x = fe.Gather(p.Y);
        var scale = Math.Sqrt(x.Sum(v => v * v));
        fe.Demean(x, x, fe.CreateWorkspace());
        foreach (var f in fe.Factors)
        {
            var sums = new double[f.LevelCount];
            for (var i = 0; i < x.Length; i++) sums[f.Codes[i]] += x[i];
            Assert.True(sums.Max(Math.Abs) < 1e-10 * scale, string.Create(CultureInfo.InvariantCulture, $"{f.Name}: max level sum {sums.Max(Math.Abs):E2}"));
        }
    }

    /// <summary>
    /// Several blocks demeaned as one set (what <see cref="Regression.Fit"/> does with y and the design) equal each
    /// column demeaned alone, bit for bit: on 300 rows (the serial path) and on 60,000 rows × 5 columns (the parallel
    /// path, three FE by conjugate gradient).
    /// </summary>
    [Theory]
    [InlineData(20, 15)]
    [InlineData(2000, 30)]
    public void DemeanColumns_SeveralBlocks_EqualEachColumnAlone(int units, int years)
    {
        var rng = new Random(11);
        var n = units * years;
        var unit = new int[n];
        var year = new int[n];
        var industry = new int[n];
        for (var i = 0; i < n; i++)
        {
            unit[i] = i / years;
            year[i] = i % years;
            industry[i] = rng.Next(8);
        }
        var fe = FixedEffects.Absorb([Factor.FromCodes("unit", unit, units), Factor.FromCodes("year", year, years), Factor.FromCodes("industry", industry, 8)]);
        double[] Column() => fe.Gather(Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10).ToArray());
        double[][] columns = [Column(), Column(), Column(), Column(), Column()];
        var y = columns[0].ToArray();
        var block = columns[1].Concat(columns[2]).ToArray();
        var other = columns[3].Concat(columns[4]).ToArray();
        fe.DemeanColumns(y, block, other);
        var ws = fe.CreateWorkspace();
        foreach (var c in columns) fe.Demean(c, c, ws);
        Assert.Equal(columns[0], y);
        Assert.Equal(columns[1].Concat(columns[2]), block);
        Assert.Equal(columns[3].Concat(columns[4]), other);
        Assert.Throws<ArgumentException>(() => fe.DemeanColumns(y, new double[fe.N + 1]));
    }

    [Fact]
    public void Absorb_ChainOfSingletons_DropsThemIteratively()
    {
        // A 4×4 balanced block, plus u9 seen once (in t8); t8 also holds u8, whose other row is in t0. Dropping (u9,t8)
        // leaves (u8,t8) alone in t8; dropping it leaves (u8,t0) alone in u8: three singletons, found iteratively.
        var units = new List<long>();
        var years = new List<long>();
        for (var u = 0; u < 4; u++)
            for (var t = 0; t < 4; t++) { units.Add(u); years.Add(t); }
        units.AddRange([9, 8, 8]);
        years.AddRange([8, 8, 0]);
        var factors = new[] { Factor.FromLongs("unit", units.ToArray()), Factor.FromLongs("year", years.ToArray()) };

        var fe = FixedEffects.Absorb(factors);
        Assert.Equal(3, fe.SingletonsDropped);
        Assert.Equal(16, fe.N);
        Assert.Equal(DemeanMethod.BalancedTwoWay, fe.Method);

        var kept = FixedEffects.Absorb(factors, new AbsorbOptions(DropSingletons: false));
        Assert.Equal(0, kept.SingletonsDropped);
        Assert.Equal(19, kept.N);
    }

    [Fact]
    public void Fit_WithAndWithoutSingletons_SameCoefficientsDifferentN()
    {
        var p = Simulate(11);
        // Two extra units observed once each: singletons in the unit FE.
        var y = p.Y.Concat([3.0, -1.0]).ToArray();
        var d = p.D.Concat([1.0, 0.0]).ToArray();
        var x1 = p.X1.Concat([0.3, 0.7]).ToArray();
        var unit = p.Unit.Select(u => (long)u).Concat([100L, 101L]).ToArray();
        var year = p.Year.Select(t => (long)t).Concat([2L, 5L]).ToArray();
        var input = new RegressionInput("y", y, [new("d", d), new("x1", x1)], [Factor.FromLongs("unit", unit), Factor.FromLongs("year", year)]);

        var dropped = Regression.Fit(input);
        var kept = Regression.Fit(input, new FitOptions(new AbsorbOptions(DropSingletons: false)));
        Assert.Equal(2, dropped.FixedEffects.SingletonsDropped);
        Assert.Equal(kept.N - 2, dropped.N);
        for (var j = 0; j < 2; j++)
            ReferenceData.AssertRelative(kept.Coefficients[j], dropped.Coefficients[j], 1e-9, dropped.Terms[j]);
    }

    [Fact]
    public void Vcov_ClusterWithOneObservation_CountsItAndMatchesLsdv()
    {
        var p = Simulate(5);
        // Cluster = region, except row 0 which forms its own cluster of one observation.
        var cluster = p.Region.Select((r, i) => i == 0 ? 7 : r).ToArray();
        var yearOnly = new[] { Factor.FromCodes("year", p.Year, 9) };
        var fit = Regression.Fit(new RegressionInput("y", p.Y, [new("d", p.D), new("x1", p.X1)], yearOnly));
        var result = Inference.Summarise(fit, VcovSpec.Cluster(Factor.FromCodes("cluster", cluster, 8), SmallSample.Full));
        Assert.Equal([8], result.Vcov.Recipe.ClusterCounts);
        Assert.Equal(7, result.Vcov.Recipe.TDf);
        var lsdv = DummyVariableOls.Fit(p.Y, [p.D, p.X1], [p.Year], cluster);
        for (var j = 0; j < 2; j++)
            ReferenceData.AssertRelative(lsdv.ClusterSe[j], result.Coefficients[j].Se, 1e-8, fit.Terms[j]);
    }

    [Fact]
    public void Fit_TreatmentAbsorbedByFe_ThrowsRankDeficiencyNamingIt()
    {
        var p = Simulate(3);
        // Treatment switched on in year ≥ 5 for everybody: a function of the year FE only.
        var d = p.Year.Select(t => t >= 5 ? 1.0 : 0.0).ToArray();
        var input = new RegressionInput("y", p.Y, [new("treat_post", d), new("x1", p.X1)],
            [Factor.FromCodes("unit", Dense(p.Unit), Dense(p.Unit).Max() + 1), Factor.FromCodes("year", p.Year, 9)]);
        var ex = Assert.Throws<RankDeficiencyException>(() => Regression.Fit(input, new FitOptions(RequiredTerms: ["treat_post"])));
        Assert.Contains("'treat_post'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["treat_post"], Regression.Fit(input).DroppedCollinear);
    }

    [Fact]
    public void Fit_NoFixedEffects_AddsInterceptAndMatchesDummyFreeOls()
    {
        var p = Simulate(9);
        var fit = Regression.Fit(new RegressionInput("y", p.Y, [new("x1", p.X1)], []));
        Assert.Equal([Regression.InterceptName, "x1"], fit.Terms);
        Assert.True(double.IsNaN(fit.R2Within));
        var ones = Enumerable.Repeat(1.0, p.Y.Length).ToArray();
        var lsdv = DummyVariableOls.Fit(p.Y, [ones, p.X1], [], p.Region);
        ReferenceData.AssertRelative(lsdv.Slopes[1], fit.Coefficients[1], 1e-10, "slope");
        ReferenceData.AssertRelative(lsdv.Slopes[0], fit.Coefficients[0], 1e-10, "intercept");
    }
}
