using System.Globalization;

namespace NQPF.Econometrics.CompositeIndex;

/// <summary>
/// The frozen parameters of one indicator: normalisation bounds, entropy weight, and the standardisation and loading of
/// the first principal component. A row of the index/weights table; enough to rebuild an <see cref="EntropyModel"/>
/// (fixed-base mode) without the data it was fitted on.
/// </summary>
public sealed record IndicatorWeight(
    string Indicator,
    string Dimension,
    IndicatorDirection Direction,
    double Min,
    double Max,
    double Entropy,
    double Divergence,
    double Weight,
    double PcaMean,
    double PcaSd,
    double PcaLoading)
{
    /// <summary>True when the indicator took a single value in the fitting sample (x' ≡ 0, weight 0, no PCA loading).</summary>
    public bool IsConstant => Max == Min;
}

/// <summary>
/// A fitted entropy-weight model: bounds and weights of every indicator, frozen. <see cref="Score"/> applies it to any
/// matrix with the same columns — the data it was fitted on (the ordinary index) or new years (fixed-base mode, so
/// history is not rewritten). Create it with <see cref="EntropyIndex.Fit"/> or, from a stored weights table, with
/// <see cref="FromWeights"/>.
/// </summary>
public sealed record EntropyModel(
    IReadOnlyList<IndicatorWeight> Indicators,
    EntropyOptions Options,
    int Observations,
    double PcaExplainedShare)
{
    /// <summary>Distinct dimensions in first-appearance order ("" when indicators have none).</summary>
    public IReadOnlyList<string> Dimensions => Indicators.Select(i => i.Dimension).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Rebuilds a model from stored weights (e.g. a base run's index/weights) so that it scores new data identically.</summary>
    public static EntropyModel FromWeights(IReadOnlyList<IndicatorWeight> weights, EntropyOptions options, int observations, double pcaExplainedShare)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (weights.Count == 0) throw new CompositeIndexException("A model needs at least one indicator.");
        foreach (var w in weights)
        {
            if (!double.IsFinite(w.Min) || !double.IsFinite(w.Max) || w.Max < w.Min || !double.IsFinite(w.Weight) || w.Weight < 0)
                throw new CompositeIndexException(
                    $"Stored weights of indicator '{w.Indicator}' are invalid (min {Fmt(w.Min)}, max {Fmt(w.Max)}, weight {Fmt(w.Weight)}).");
        }
        var sum = weights.Sum(w => w.Weight);
        if (Math.Abs(sum - 1.0) > 1e-9)
            throw new CompositeIndexException($"Stored entropy weights sum to {Fmt(sum)}, not 1.");
        return new EntropyModel(weights.ToArray(), options, observations, pcaExplainedShare);
    }

    /// <summary>
    /// Min–max normalisation with this model's frozen bounds: x' = (x − min)/(max − min) for "+", (max − x)/(max − min)
    /// for "−"; x' = 0 for an indicator constant in the fitting sample. Out-of-bounds values follow
    /// <see cref="EntropyOptions.OutOfBase"/>. Returns one array per indicator.
    /// </summary>
    public double[][] Normalise(IReadOnlyList<double[]> columns)
    {
        var n = EntropyIndex.CheckMatrix(Indicators.Select(i => i.Indicator).ToArray(), columns, minRows: 0);
        var result = new double[Indicators.Count][];
        for (var j = 0; j < Indicators.Count; j++)
        {
            var ind = Indicators[j];
            var x = columns[j];
            var xn = new double[n];
            if (!ind.IsConstant)
            {
                for (var i = 0; i < n; i++)
                {
                    var v = MinMax(x[i], ind.Min, ind.Max, ind.Direction);
                    xn[i] = Options.OutOfBase == OutOfBaseRule.Clamp ? Math.Clamp(v, 0.0, 1.0) : v;
                }
            }
            result[j] = xn;
        }
        return result;
    }

    /// <summary>
    /// Scores every row. With x' from <see cref="Normalise"/>, A the shift when <see cref="ScoreBasis.Shifted"/> (else 0)
    /// and s = 100 when ×100 (else 1):
    /// <list type="bullet">
    /// <item>entropy index: s · Σ_j w_j (x'_ij + A);</item>
    /// <item>sub-index of dimension D: s · Σ_{j∈D} w_j (x'_ij + A), so the sub-indices add up to the index;</item>
    /// <item>equal weights: s · Σ_j (x'_ij + A) / m over all m indicators;</item>
    /// <item>entropy-TOPSIS (Hwang–Yoon on the weighted normalised matrix v = w·x'): ideal v⁺_j = w_j (x' = 1),
    ///   anti-ideal v⁻_j = 0 (x' = 0) — the column max and min of a fitted sample — D⁺ = ‖v_i − v⁺‖, D⁻ = ‖v_i − v⁻‖,
    ///   closeness s · D⁻/(D⁺ + D⁻) ∈ [0, s];</item>
    /// <item>first principal component: Σ_j a_j (x'_ij − mean_j)/sd_j (not scaled, mean 0 on the fitting sample).</item>
    /// </list>
    /// Degenerate: an empty matrix gives empty scores; NaN or ±∞ anywhere throws naming the indicator and row.
    /// </summary>
    public IndexScores Score(IReadOnlyList<double[]> columns)
    {
        var xn = Normalise(columns);
        var n = xn.Length == 0 ? 0 : xn[0].Length;
        var m = Indicators.Count;
        var scale = Options.Scale;
        var offset = Options.ScoreOffset;
        var dims = Dimensions;
        var entropy = new double[n];
        var equal = new double[n];
        var topsis = new double[n];
        var pca = new double[n];
        var sub = dims.ToDictionary(d => d, _ => new double[n], StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            double total = 0, eq = 0, dPlus = 0, dMinus = 0, pc = 0;
            for (var j = 0; j < m; j++)
            {
                var ind = Indicators[j];
                var x = xn[j][i];
                var contribution = ind.Weight * (x + offset);
                total += contribution;
                sub[ind.Dimension][i] += scale * contribution;
                eq += x + offset;
                var gapBest = ind.Weight * (1.0 - x);
                var gapWorst = ind.Weight * x;
                dPlus += gapBest * gapBest;
                dMinus += gapWorst * gapWorst;
                if (ind.PcaSd > 0) pc += ind.PcaLoading * (x - ind.PcaMean) / ind.PcaSd;
            }
            entropy[i] = scale * total;
            equal[i] = scale * eq / m;
            dPlus = Math.Sqrt(dPlus);
            dMinus = Math.Sqrt(dMinus);
            topsis[i] = scale * dMinus / (dPlus + dMinus);
            pca[i] = pc;
        }
        return new IndexScores(entropy, sub, topsis, equal, pca, xn);
    }

    /// <summary>x' = (x − min)/(max − min) for "+", (max − x)/(max − min) for "−"; requires max &gt; min.</summary>
    internal static double MinMax(double x, double min, double max, IndicatorDirection direction) =>
        direction == IndicatorDirection.Positive ? (x - min) / (max - min) : (max - x) / (max - min);

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// Scores of every row of a scored matrix, in input order. <see cref="Normalised"/> holds x' (unshifted, one array per
/// indicator, in the model's indicator order).
/// </summary>
public sealed record IndexScores(
    double[] Entropy,
    IReadOnlyDictionary<string, double[]> SubIndices,
    double[] Topsis,
    double[] EqualWeights,
    double[] Pca,
    IReadOnlyList<double[]> Normalised);
