using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Stages.Analysis;

/// <summary>One indicator's weight (per year with per-year normalisation).</summary>
internal sealed record EntropyWeightRow(long? Year, string Column, double Weight, double Entropy, double Divergence, bool Constant);

/// <summary>The weights of every indicator and the score of every row.</summary>
internal sealed record EntropyResult(IReadOnlyList<EntropyWeightRow> Weights, double[] Scores, int Rows);

/// <summary>
/// The entropy-weight index of any matrix for the <c>entropy</c> verb, through the composite-index library the index
/// stage uses (<see cref="EntropyIndex"/>).
/// </summary>
internal static class EntropyAnalysis
{
    /// <param name="groups">Null for global weights, else the group (year) of each row: weights per group.</param>
    /// <param name="path">The data file, named in errors.</param>
    public static EntropyResult Run(IReadOnlyList<Indicator> indicators, double[][] matrix, long[]? groups, EntropyOptions options, string path)
    {
        try
        {
            if (groups is null)
            {
                var model = EntropyIndex.Fit(indicators, matrix, options);
                return new EntropyResult([.. Rows(null, model)], model.Score(matrix).Entropy, matrix[0].Length);
            }
            var grouped = EntropyIndex.FitPerGroup(indicators, matrix, groups, options);
            return new EntropyResult([.. grouped.ByGroup.SelectMany(kv => Rows(kv.Key, kv.Value))],
                grouped.Score(matrix, groups).Entropy, matrix[0].Length);
        }
        catch (CompositeIndexException e)
        {
            throw new DataValidationException($"{path}: {e.Message}");
        }

        static IEnumerable<EntropyWeightRow> Rows(long? year, EntropyModel model) =>
            model.Indicators.Select(w => new EntropyWeightRow(year, w.Indicator, w.Weight, w.Entropy, w.Divergence, w.IsConstant));
    }
}
