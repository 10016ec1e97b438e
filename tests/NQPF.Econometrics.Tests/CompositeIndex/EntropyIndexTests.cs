using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Econometrics.Tests.CompositeIndex;

public sealed class EntropyIndexTests
{
    // The 3×2 matrix used by the hand-computed tests: a = [1, 2, 4] ("+"), b = [30, 10, 20] ("−").
    private static readonly Indicator[] Pair =
    [
        new("a", IndicatorDirection.Positive, "D1"),
        new("b", IndicatorDirection.Negative, "D2"),
    ];

    private static double[][] PairData() => [[1, 2, 4], [30, 10, 20]];

    [Fact]
    public void Fit_HandMatrixShiftZero_MatchesHandArithmetic()
    {
        // By hand, A = 0 (0·ln 0 = 0):
        //   a' = (a − 1)/3 = [0, 1/3, 1]          b' = (30 − b)/20 = [0, 1, 1/2]
        //   p_a = a'/(4/3) = [0, 1/4, 3/4]        p_b = b'/(3/2) = [0, 2/3, 1/3]
        //   e_a = (¼ ln 4 + ¾ ln 4/3)/ln 3 = (0.3465736 + 0.2157616)/1.0986123 = 0.5118595
        //   e_b = (⅔ ln 3/2 + ⅓ ln 3)/ln 3 = (0.2703101 + 0.3662041)/1.0986123 = 0.5793802
        //   d = [0.4881405, 0.4206198], Σd = 0.9087603, w = [0.5371499, 0.4628501]
        //   score = w_a a' + w_b b' = [0, 0.5371499/3 + 0.4628501, 0.5371499 + 0.4628501/2] = [0, 0.6419001, 0.7685749]
        // Tolerance 1e-7: the hand values are rounded to 7 decimals.
        var model = EntropyIndex.Fit(Pair, PairData(), new EntropyOptions { Shift = 0 });
        Assert.Equal(0.5118595, model.Indicators[0].Entropy, 1e-7);
        Assert.Equal(0.5793802, model.Indicators[1].Entropy, 1e-7);
        Assert.Equal(0.4881405, model.Indicators[0].Divergence, 1e-7);
        Assert.Equal(0.5371499, model.Indicators[0].Weight, 1e-7);
        Assert.Equal(0.4628501, model.Indicators[1].Weight, 1e-7);
        var s = model.Score(PairData());
        Assert.Equal([0, 0.6419001, 0.7685749], s.Entropy, (x, y) => Math.Abs(x - y) < 1e-7);
        // Sub-indices: D1 = w_a a' = [0, 0.1790500, 0.5371499], D2 = w_b b' = [0, 0.4628501, 0.2314251].
        Assert.Equal([0, 0.1790500, 0.5371499], s.SubIndices["D1"], (x, y) => Math.Abs(x - y) < 1e-7);
        Assert.Equal([0, 0.4628501, 0.2314251], s.SubIndices["D2"], (x, y) => Math.Abs(x - y) < 1e-7);
    }

    [Fact]
    public void Fit_HandMatrixDefaultShift_MatchesHandArithmetic()
    {
        // A = 0.0001: x'' = x' + A, Σ a'' = 4/3 + 0.0003, Σ b'' = 3/2 + 0.0003.
        //   p_a = [0.0001, 0.3334333, 1.0001]/1.3336333, p_b = [0.0001, 1.0001, 0.5001]/1.5003
        //   e_a = 0.5125751, e_b = 0.5799996 (the 0.0001 share adds −p ln p ≈ 7.5e-5·9.5/ln 3 ≈ 6.5e-4 to each)
        //   w = [0.5371515, 0.4628485]; score = w·(x' + A) = [0.0001, 0.6419990, 0.7686758]
        // Tolerance 1e-7 (hand values rounded to 7 decimals; computed with Python's math module).
        var model = EntropyIndex.Fit(Pair, PairData());
        Assert.Equal(0.5125751, model.Indicators[0].Entropy, 1e-7);
        Assert.Equal(0.5799996, model.Indicators[1].Entropy, 1e-7);
        Assert.Equal(0.5371515, model.Indicators[0].Weight, 1e-7);
        var s = model.Score(PairData());
        Assert.Equal([0.0001, 0.6419990, 0.7686758], s.Entropy, (x, y) => Math.Abs(x - y) < 1e-7);
    }

    [Fact]
    public void Score_HandMatrixAlternatives_MatchHandArithmetic()
    {
        // With A = 0, w = [0.5371499, 0.4628501] (see above):
        //   equal weights = (a' + b')/2 = [0, 2/3, 3/4]
        //   TOPSIS row 2: D⁺ = √((w_a·2/3)² + 0) = 0.3580999, D⁻ = √((w_a/3)² + w_b²) = 0.4961137,
        //     C = D⁻/(D⁺ + D⁻) = 0.5808634; row 3: D⁺ = w_b/2 = 0.2314251, D⁻ = √(w_a² + (w_b/2)²) = 0.5848720,
        //     C = 0.7164977; row 1: D⁻ = 0 → C = 0.
        //   PCA: mean(a') = 4/9, sd(a') = 0.5091751, mean(b') = 1/2, sd(b') = 1/2; r = Σ z_a z_b / 2 = 0.3273268 > 0,
        //     so PC1 = (1, 1)/√2 with λ₁ = 1 + r, share = (1 + r)/2 = 0.6636634;
        //     scores (z_a + z_b)/√2 = [−1.3243202, 0.5528034, 0.7715167].
        var model = EntropyIndex.Fit(Pair, PairData(), new EntropyOptions { Shift = 0 });
        var s = model.Score(PairData());
        Assert.Equal([0, 2.0 / 3, 0.75], s.EqualWeights, (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal([0, 0.5808634, 0.7164977], s.Topsis, (x, y) => Math.Abs(x - y) < 1e-7);
        Assert.Equal(0.6636634, model.PcaExplainedShare, 1e-7);
        Assert.Equal(1 / Math.Sqrt(2), model.Indicators[0].PcaLoading, 1e-12);
        Assert.Equal([-1.3243202, 0.5528034, 0.7715167], s.Pca, (x, y) => Math.Abs(x - y) < 1e-7);
    }

    [Fact]
    public void Score_UnshiftedTimes100_ScalesAndDropsShift()
    {
        var shifted = EntropyIndex.Fit(Pair, PairData()).Score(PairData());
        var options = new EntropyOptions { ScoreBasis = ScoreBasis.Unshifted, Times100 = true };
        var model = EntropyIndex.Fit(Pair, PairData(), options);
        var s = model.Score(PairData());
        // Σw = 1, so the shifted score is the unshifted one plus A exactly (up to rounding).
        for (var i = 0; i < 3; i++) Assert.Equal(100 * (shifted.Entropy[i] - 1e-4), s.Entropy[i], 1e-10);
        Assert.Equal(0.0, s.Entropy[0], 1e-12);
    }

    [Fact]
    public void Score_SubIndices_AddUpToIndex()
    {
        var rng = new Random(11);
        var (indicators, data) = RandomMatrix(rng, 40, 6);
        var s = EntropyIndex.Fit(indicators, data).Score(data);
        for (var i = 0; i < 40; i++) Assert.Equal(s.Entropy[i], s.SubIndices.Values.Sum(v => v[i]), 1e-12);
        Assert.Equal(3, s.SubIndices.Count);
    }

    [Fact]
    public void Fit_RandomMatrix_MatchesBruteForce()
    {
        // Independent implementation below: row-major loops, direction handled by flipping the sign of x.
        var rng = new Random(20240601);
        var (indicators, data) = RandomMatrix(rng, 57, 7);
        var model = EntropyIndex.Fit(indicators, data);
        var s = model.Score(data);
        var (weights, scores) = BruteForce(data, indicators.Select(i => i.Direction == IndicatorDirection.Negative).ToArray(), 1e-4);
        for (var j = 0; j < 7; j++) Assert.Equal(weights[j], model.Indicators[j].Weight, 1e-12);
        for (var i = 0; i < 57; i++) Assert.Equal(scores[i], s.Entropy[i], 1e-12);
    }

    [Fact]
    public void Fit_RandomMatrixPca_MatchesPowerIteration()
    {
        // Independent check of the first principal component: power iteration on the correlation matrix.
        var rng = new Random(7);
        var (indicators, data) = RandomMatrix(rng, 80, 5);
        var model = EntropyIndex.Fit(indicators, data);
        var z = data.Select((c, j) =>
        {
            var x = c.Select(v => indicators[j].Direction == IndicatorDirection.Positive ? v : -v).ToArray();
            var mean = x.Average();
            var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            return x.Select(v => (v - mean) / sd).ToArray();
        }).ToArray();
        var r = new double[5, 5];
        for (var a = 0; a < 5; a++)
            for (var b = 0; b < 5; b++)
                r[a, b] = Enumerable.Range(0, 80).Sum(i => z[a][i] * z[b][i]) / 79;
        var v = Enumerable.Repeat(1.0, 5).ToArray();
        for (var iter = 0; iter < 5000; iter++)
        {
            var next = new double[5];
            for (var a = 0; a < 5; a++)
                for (var b = 0; b < 5; b++)
                    next[a] += r[a, b] * v[b];
            var norm = Math.Sqrt(next.Sum(t => t * t));
            v = next.Select(t => t / norm).ToArray();
        }
        if (v.Sum() < 0) v = v.Select(t => -t).ToArray();
        for (var j = 0; j < 5; j++) Assert.Equal(v[j], model.Indicators[j].PcaLoading, 1e-9);
        var s = model.Score(data);
        for (var i = 0; i < 80; i++) Assert.Equal(Enumerable.Range(0, 5).Sum(j => v[j] * z[j][i]), s.Pca[i], 1e-8);
    }

    [Fact]
    public void Fit_ConstantIndicator_GetsWeightZeroAndOthersUnchanged()
    {
        var withConstant = new[] { Pair[0], Pair[1], new Indicator("c", IndicatorDirection.Positive, "D2") };
        double[][] data = [[1, 2, 4], [30, 10, 20], [5, 5, 5]];
        var model = EntropyIndex.Fit(withConstant, data, new EntropyOptions { Shift = 0 });
        Assert.True(model.Indicators[2].IsConstant);
        Assert.Equal(0.0, model.Indicators[2].Weight);
        Assert.Equal(1.0, model.Indicators[2].Entropy);
        Assert.Equal(0.0, model.Indicators[2].PcaLoading);
        Assert.Equal(0.5371499, model.Indicators[0].Weight, 1e-7);
        var s = model.Score(data);
        Assert.All(s.Entropy.Concat(s.Topsis).Concat(s.Pca).Concat(s.EqualWeights), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Fit_AllIndicatorsConstant_ThrowsNamingThem()
    {
        var e = Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[3, 3, 3], [1, 1, 1]]));
        Assert.Contains("No indicator varies", e.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SingleRow_ThrowsBecauseLnOneIsZero()
    {
        var e = Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1], [2]]));
        Assert.Contains("at least 2 rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_AllMissingColumn_ThrowsNamingIndicator()
    {
        var e = Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1, 2, 3], [double.NaN, double.NaN, double.NaN]]));
        Assert.Contains("'b' has no values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NaNCell_ThrowsNamingIndicatorAndRow()
    {
        var e = Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1, double.NaN, 3], [1, 2, 3]]));
        Assert.Contains("'a' row 1 is missing", e.Message, StringComparison.Ordinal);
        var inf = Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1, 2, 3], [1, double.PositiveInfinity, 3]]));
        Assert.Contains("infinite", inf.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_BadShiftOrShape_Throws()
    {
        Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, PairData(), new EntropyOptions { Shift = -1 }));
        Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1, 2, 3], [1, 2]]));
        Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit([Pair[0], Pair[0]], PairData()));
        Assert.Throws<CompositeIndexException>(() => EntropyIndex.Fit(Pair, [[1, 2, 3]]));
    }

    [Fact]
    public void FitPerGroup_EachGroup_EqualsSeparateFit()
    {
        var rng = new Random(3);
        var (indicators, data) = RandomMatrix(rng, 30, 4);
        var groups = Enumerable.Range(0, 30).Select(i => (long)(2011 + (i % 3))).ToArray();
        var grouped = EntropyIndex.FitPerGroup(indicators, data, groups);
        var s = grouped.Score(data, groups);
        var rows2012 = Enumerable.Range(0, 30).Where(i => groups[i] == 2012).ToArray();
        var alone = EntropyIndex.Fit(indicators, data.Select(c => rows2012.Select(i => c[i]).ToArray()).ToArray());
        Assert.Equal(alone.Indicators.Select(w => w.Weight), grouped.ByGroup[2012].Indicators.Select(w => w.Weight));
        var sAlone = alone.Score(data.Select(c => rows2012.Select(i => c[i]).ToArray()).ToArray());
        for (var r = 0; r < rows2012.Length; r++) Assert.Equal(sAlone.Entropy[r], s.Entropy[rows2012[r]]);
    }

    [Fact]
    public void FitPerGroup_GroupWithOneRow_ThrowsNamingGroup()
    {
        var e = Assert.Throws<CompositeIndexException>(() =>
            EntropyIndex.FitPerGroup(Pair, [[1, 2, 4, 5], [30, 10, 20, 1]], [2011, 2011, 2011, 2012]));
        Assert.StartsWith("Group 2012:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromWeights_FrozenModel_ScoresBaseRowsIdenticallyAndExtendsNewRows()
    {
        var model = EntropyIndex.Fit(Pair, PairData());
        var frozen = EntropyModel.FromWeights(model.Indicators, model.Options, model.Observations, model.PcaExplainedShare);
        double[][] extended = [[1, 2, 4, 7], [30, 10, 20, 0]];
        var s = frozen.Score(extended);
        var base3 = model.Score(PairData());
        for (var i = 0; i < 3; i++) Assert.Equal(base3.Entropy[i], s.Entropy[i]);
        // Row 4 lies beyond the base bounds: a' = (7 − 1)/3 = 2, b' = (30 − 0)/20 = 1.5, extrapolated.
        Assert.Equal(2.0, s.Normalised[0][3], 1e-12);
        Assert.Equal(1.5, s.Normalised[1][3], 1e-12);
        var clamped = (frozen with { Options = frozen.Options with { OutOfBase = OutOfBaseRule.Clamp } }).Score(extended);
        Assert.Equal(1.0, clamped.Normalised[0][3]);
        Assert.Equal(1.0 + 1e-4, clamped.Entropy[3], 1e-12);
    }

    [Fact]
    public void FromWeights_WeightsNotSummingToOne_Throws()
    {
        var model = EntropyIndex.Fit(Pair, PairData());
        var bad = model.Indicators.Select(w => w with { Weight = 0.4 }).ToArray();
        Assert.Throws<CompositeIndexException>(() => EntropyModel.FromWeights(bad, model.Options, 3, 1));
    }

    [Theory]
    [InlineData("+", IndicatorDirection.Positive)]
    [InlineData("-", IndicatorDirection.Negative)]
    [InlineData("−", IndicatorDirection.Negative)]
    [InlineData(" negative ", IndicatorDirection.Negative)]
    public void ParseDirection_KnownSpellings_Parse(string text, IndicatorDirection expected) =>
        Assert.Equal(expected, Indicator.ParseDirection(text));

    [Fact]
    public void ParseDirection_Unknown_Throws() =>
        Assert.Throws<CompositeIndexException>(() => Indicator.ParseDirection("up"));

    private static (Indicator[] Indicators, double[][] Data) RandomMatrix(Random rng, int n, int m)
    {
        var indicators = Enumerable.Range(0, m)
            .Select(j => new Indicator($"x{j}", j % 3 == 2 ? IndicatorDirection.Negative : IndicatorDirection.Positive, $"D{j % 3}"))
            .ToArray();
        // A common factor makes the columns correlated (so the PCA has a clear first component).
        var factor = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var data = Enumerable.Range(0, m)
            .Select(j => Enumerable.Range(0, n).Select(i => (j + 1) * 10 + 5 * factor[i] * (j % 3 == 2 ? -1 : 1) + rng.NextDouble() * (j + 1)).ToArray())
            .ToArray();
        return (indicators, data);
    }

    private static (double[] Weights, double[] Scores) BruteForce(double[][] data, bool[] negative, double shift)
    {
        var m = data.Length;
        var n = data[0].Length;
        var y = new double[n, m];
        for (var j = 0; j < m; j++)
        {
            var sign = negative[j] ? -1.0 : 1.0;
            double lo = double.MaxValue, hi = double.MinValue;
            for (var i = 0; i < n; i++) { lo = Math.Min(lo, sign * data[j][i]); hi = Math.Max(hi, sign * data[j][i]); }
            for (var i = 0; i < n; i++) y[i, j] = (sign * data[j][i] - lo) / (hi - lo) + shift;
        }
        var d = new double[m];
        for (var j = 0; j < m; j++)
        {
            double total = 0;
            for (var i = 0; i < n; i++) total += y[i, j];
            double h = 0;
            for (var i = 0; i < n; i++) h -= y[i, j] / total * Math.Log(y[i, j] / total);
            d[j] = 1 - h / Math.Log(n);
        }
        var w = d.Select(v => v / d.Sum()).ToArray();
        var scores = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
                scores[i] += w[j] * y[i, j];
        return (w, scores);
    }
}
