using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Stages.Index;

/// <summary>
/// index/weights ↔ <see cref="EntropyModel"/>. The table carries everything needed to freeze the model (bounds,
/// weights, PCA standardisation and loadings, shift, score basis, ×100, fitting rows), so a later run can score new
/// years with a base run's model (fixed-base mode) from the exported table alone.
/// </summary>
internal static class WeightsFrame
{
    public static Frame ToFrame(EntropyModel model, string source)
    {
        var w = model.Indicators;
        var m = w.Count;
        return new Frame(
            new StringColumn("indicator", w.Select(x => (string?)x.Indicator).ToArray()),
            new StringColumn("dimension", w.Select(x => (string?)x.Dimension).ToArray()),
            new StringColumn("direction", w.Select(x => (string?)Indicator.FormatDirection(x.Direction)).ToArray()),
            new DoubleColumn("min", w.Select(x => x.Min).ToArray()),
            new DoubleColumn("max", w.Select(x => x.Max).ToArray()),
            new DoubleColumn("entropy", w.Select(x => x.Entropy).ToArray()),
            new DoubleColumn("divergence", w.Select(x => x.Divergence).ToArray()),
            new DoubleColumn("weight", w.Select(x => x.Weight).ToArray()),
            new DoubleColumn("pca_mean", w.Select(x => x.PcaMean).ToArray()),
            new DoubleColumn("pca_sd", w.Select(x => x.PcaSd).ToArray()),
            new DoubleColumn("pca_loading", w.Select(x => x.PcaLoading).ToArray()),
            new DoubleColumn("pca_share", Enumerable.Repeat(model.PcaExplainedShare, m).ToArray()),
            new DoubleColumn("shift", Enumerable.Repeat(model.Options.Shift, m).ToArray()),
            new StringColumn("score_basis", Enumerable.Repeat((string?)model.Options.ScoreBasis.ToString(), m).ToArray()),
            new BoolColumn("times100", Enumerable.Repeat(model.Options.Times100, m).ToArray()),
            new LongColumn("observations", Enumerable.Repeat((long)model.Observations, m).ToArray()),
            new StringColumn("source", Enumerable.Repeat((string?)source, m).ToArray()));
    }

    /// <summary>Per-year weights (year, indicator, dimension, direction, min, max, entropy, divergence, weight).</summary>
    public static Frame ByYear(GroupedEntropyModel perYear)
    {
        var rows = perYear.ByGroup.SelectMany(kv => kv.Value.Indicators.Select(w => (Year: kv.Key, W: w))).ToArray();
        return new Frame(
            new LongColumn("year", rows.Select(r => r.Year).ToArray()),
            new StringColumn("indicator", rows.Select(r => (string?)r.W.Indicator).ToArray()),
            new StringColumn("dimension", rows.Select(r => (string?)r.W.Dimension).ToArray()),
            new StringColumn("direction", rows.Select(r => (string?)Indicator.FormatDirection(r.W.Direction)).ToArray()),
            new DoubleColumn("min", rows.Select(r => r.W.Min).ToArray()),
            new DoubleColumn("max", rows.Select(r => r.W.Max).ToArray()),
            new DoubleColumn("entropy", rows.Select(r => r.W.Entropy).ToArray()),
            new DoubleColumn("divergence", rows.Select(r => r.W.Divergence).ToArray()),
            new DoubleColumn("weight", rows.Select(r => r.W.Weight).ToArray()));
    }

    /// <summary>Rebuilds the frozen model from an index/weights table (rows in indicator order); errors name <paramref name="what"/>.</summary>
    public static EntropyModel ToModel(Frame weights, OutOfBaseRule outOfBase, string what)
    {
        foreach (var required in new[] { "indicator", "dimension", "direction", "min", "max", "entropy", "divergence", "weight",
                     "pca_mean", "pca_sd", "pca_loading", "pca_share", "shift", "score_basis", "times100", "observations" })
        {
            if (!weights.Has(required))
                throw new ConfigValidationException($"{what}: column '{required}' is missing (export a run's 03-index/weights).");
        }
        if (weights.RowCount == 0) throw new ConfigValidationException($"{what}: no indicator rows.");
        var names = weights.Strings("indicator");
        var dims = weights.Strings("dimension");
        var dirs = weights.Strings("direction");
        var list = new IndicatorWeight[weights.RowCount];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new IndicatorWeight(names[i] ?? "", dims[i] ?? "", Indicator.ParseDirection(dirs[i] ?? ""),
                weights.Doubles("min")[i], weights.Doubles("max")[i], weights.Doubles("entropy")[i], weights.Doubles("divergence")[i],
                weights.Doubles("weight")[i], weights.Doubles("pca_mean")[i], weights.Doubles("pca_sd")[i], weights.Doubles("pca_loading")[i]);
        }
        var basis = weights.Strings("score_basis")[0];
        var options = new EntropyOptions
        {
            Shift = weights.Doubles("shift")[0],
            ScoreBasis = Enum.TryParse<ScoreBasis>(basis, out var b) ? b
                : throw new ConfigValidationException($"{what}: score_basis '{basis}' is neither Shifted nor Unshifted."),
            Times100 = weights.Bools("times100")[0],
            OutOfBase = outOfBase,
        };
        try
        {
            return EntropyModel.FromWeights(list, options, (int)weights.Longs("observations")[0], weights.Doubles("pca_share")[0]);
        }
        catch (CompositeIndexException e)
        {
            throw new ConfigValidationException($"{what}: {e.Message}");
        }
    }

}
