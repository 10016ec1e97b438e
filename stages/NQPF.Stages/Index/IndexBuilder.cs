using System.Globalization;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Stages.Common;

namespace NQPF.Stages.Index;

/// <summary>The index stage's tables and the model behind the main index.</summary>
internal sealed record IndexTables(
    Frame Index,
    Frame Weights,
    Frame WeightsByYear,
    Frame Normalised,
    Frame Descriptives,
    EntropyModel GlobalModel,
    string Settings);

/// <summary>
/// Computes the NQPF index from clean/panel with the composite-index library (<see cref="EntropyIndex"/>):
/// nqpf and one nqpf_&lt;dimension&gt; sub-index per dimension (sub-indices add up to nqpf), the alternatives
/// nqpf_topsis, nqpf_equal, nqpf_pca from the same bounds/weights, and nqpf_entropy_peryear (bounds and weights fitted
/// within each year). With <see cref="Normalisation.Global"/> the main model is fitted on all city-years — or, in
/// fixed-base mode, is the base run's frozen model; with <see cref="Normalisation.PerYear"/> the main index and its
/// alternatives use the per-year models and index/weights still shows the pooled fit for reference.
/// </summary>
internal static class IndexBuilder
{
    public static IndexTables Build(Frame panel, IndicatorSystem system, IndexOptions options, EntropyModel? baseModel, string baseDescription = "")
    {
        var codes = panel.Strings(Columns.CityCode);
        var years = panel.Longs(Columns.Year);
        var (indicators, dropped) = Available(panel, system.IndexIndicators, options);
        var columns = indicators.Select(i => Column(panel, i.Name)).ToArray();
        CheckFinite(indicators, columns, codes, years);
        var dimensions = system.Dimensions.Where(d => indicators.Any(i => i.Dimension == d)).ToList();

        var globalModel = baseModel is null ? EntropyIndex.Fit(indicators, columns, options.EntropyOptions) : CheckBase(baseModel, indicators);
        var perYear = EntropyIndex.FitPerGroup(indicators, columns, years, options.EntropyOptions);
        var perYearScores = perYear.Score(columns, years);
        var main = options.Normalisation == Normalisation.Global ? globalModel.Score(columns) : perYearScores;

        var indexColumns = new List<Column> { new StringColumn(Columns.CityCode, codes), new LongColumn(Columns.Year, years), new DoubleColumn("nqpf", main.Entropy) };
        indexColumns.AddRange(dimensions.Select(d => new DoubleColumn("nqpf_" + d, main.SubIndices[d])));
        indexColumns.Add(new DoubleColumn("nqpf_topsis", main.Topsis));
        indexColumns.Add(new DoubleColumn("nqpf_equal", main.EqualWeights));
        indexColumns.Add(new DoubleColumn("nqpf_pca", main.Pca));
        indexColumns.Add(new DoubleColumn("nqpf_entropy_peryear", perYearScores.Entropy));
        var index = new Frame(indexColumns);

        var normalised = new Frame(new Column[] { new StringColumn(Columns.CityCode, codes), new LongColumn(Columns.Year, years) }
            .Concat(indicators.Select((ind, j) => new DoubleColumn(ind.Name, main.Normalised[j]))));
        var source = baseModel is null ? "fitted" : "base:" + baseDescription;
        var weights = WeightsFrame.ToFrame(globalModel, source);
        var byYear = WeightsFrame.ByYear(perYear);
        var descriptives = Descriptives.Of(panel, index);
        var settings = SettingsText(options, globalModel, source, system, panel.RowCount, years) + Dropped(dropped, options);
        return new IndexTables(index, weights, byYear, normalised, descriptives, globalModel, settings);
    }

    /// <summary>
    /// The indicators the index is built from: those with a finite value in at least Index:MinIndicatorCoverage of the
    /// city-years (clean leaves a variable the data do not supply missing everywhere). At least two are needed.
    /// </summary>
    private static (IReadOnlyList<Indicator> Used, IReadOnlyList<(Indicator Indicator, double Coverage)> Dropped) Available(
        Frame panel, IReadOnlyList<Indicator> all, IndexOptions options)
    {
        if (panel.RowCount == 0)
            throw new DataValidationException("clean/panel has no city-years: there is nothing to build the index from.");
        var coverage = all.Select(i => (Indicator: i, Coverage: panel.RowCount == 0 ? 0.0
            : Column(panel, i.Name).Count(double.IsFinite) / (double)panel.RowCount)).ToList();
        var used = coverage.Where(c => c.Coverage >= options.MinIndicatorCoverage).Select(c => c.Indicator).ToList();
        var dropped = coverage.Where(c => c.Coverage < options.MinIndicatorCoverage).ToList();
        if (used.Count < 2)
        {
            throw new DataValidationException(
                $"clean/panel: only {used.Count.ToString(CultureInfo.InvariantCulture)} indicator(s) have values in at least " +
                $"{options.MinIndicatorCoverage.ToString("P0", CultureInfo.InvariantCulture)} of the city-years (Index:MinIndicatorCoverage); the index needs 2. " +
                $"Missing: {string.Join(", ", dropped.Select(d => d.Indicator.Name))}.");
        }
        return (used, dropped);
    }

    private static string Dropped(IReadOnlyList<(Indicator Indicator, double Coverage)> dropped, IndexOptions options) =>
        dropped.Count == 0 ? "" : "\n## Indicators not available\n\nBuilt without these indicators (values in fewer than " +
            options.MinIndicatorCoverage.ToString("P0", CultureInfo.InvariantCulture) + " of the city-years, Index:MinIndicatorCoverage): " +
            string.Join(", ", dropped.Select(d => $"{d.Indicator.Name} ({d.Coverage.ToString("P0", CultureInfo.InvariantCulture)})")) + ".\n";

    private static double[] Column(Frame panel, string name) =>
        panel.Has(name) ? panel.Doubles(name)
            : throw new DataValidationException($"clean/panel has no column '{name}' (an indicator of the indicator system).");

    private static void CheckFinite(IReadOnlyList<Indicator> indicators, double[][] columns, string?[] codes, long[] years)
    {
        for (var j = 0; j < columns.Length; j++)
        {
            for (var i = 0; i < columns[j].Length; i++)
            {
                if (!double.IsFinite(columns[j][i]))
                    throw new DataValidationException(
                        $"clean/panel: indicator '{indicators[j].Name}' is {(double.IsNaN(columns[j][i]) ? "missing" : "infinite")} for city {codes[i]} year {years[i].ToString(CultureInfo.InvariantCulture)} " +
                        "(raise Index:MinIndicatorCoverage above its coverage to build the index without it).");
            }
        }
    }

    private static EntropyModel CheckBase(EntropyModel baseModel, IReadOnlyList<Indicator> indicators)
    {
        var expected = indicators.Select(i => (i.Name, i.Direction, i.Dimension)).ToArray();
        var got = baseModel.Indicators.Select(i => (i.Indicator, i.Direction, i.Dimension)).ToArray();
        if (!expected.SequenceEqual(got))
            throw new ConfigValidationException(
                "The base weights do not describe the current indicator system (names, directions, dimensions and order must match): base has " +
                string.Join(", ", got.Select(g => $"{g.Item1}({Indicator.FormatDirection(g.Item2)},{g.Item3})")) + ".");
        return baseModel;
    }

    private static string SettingsText(IndexOptions o, EntropyModel model, string source, IndicatorSystem system, int rows, long[] years)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# NQPF index: settings",
            "",
            $"- rows (city-years): {rows.ToString(inv)}; years {years.Min().ToString(inv)}–{years.Max().ToString(inv)}",
            $"- indicators: {system.Indicators.Count().ToString(inv)} in {system.Dimensions.Count.ToString(inv)} dimensions ({string.Join(", ", system.Dimensions)})",
            $"- normalisation and weights of nqpf: {(o.Normalisation == Normalisation.Global ? "global (min–max over all cities and years)" : "per year (min–max and weights within each year)")}",
            $"- weights: {(source == "fitted" ? "fitted on this run's data" : "fixed base, frozen from " + source[5..])}; values outside the base bounds: {model.Options.OutOfBase}",
            $"- shift constant A: {model.Options.Shift.ToString("R", inv)}; score on {(model.Options.ScoreBasis == ScoreBasis.Shifted ? "shifted values x' + A" : "unshifted values x'")}; ×100: {(model.Options.Times100 ? "yes" : "no")}",
            "- entropy e_j = −(1/ln n) Σ p ln p, d_j = 1 − e_j, w_j = d_j/Σd; sub-indices nqpf_<dimension> = Σ_{j∈dimension} w_j(x'+A) add up to nqpf",
            "- alternatives: nqpf_topsis (entropy-weighted TOPSIS, ideal x' = 1, anti-ideal x' = 0), nqpf_equal (weights 1/m), " +
                $"nqpf_pca (first principal component of standardised x', loadings sum > 0, explains {(100 * model.PcaExplainedShare).ToString("F1", inv)}% of variance), " +
                "nqpf_entropy_peryear (bounds and weights within each year)",
            "",
            "| indicator | dimension | direction | min | max | entropy | divergence | weight |",
            "|---|---|---|---|---|---|---|---|",
        };
        lines.AddRange(model.Indicators.Select(w =>
            $"| {w.Indicator} | {w.Dimension} | {Indicator.FormatDirection(w.Direction)} | {w.Min.ToString("G6", inv)} | {w.Max.ToString("G6", inv)} | " +
            $"{w.Entropy.ToString("F6", inv)} | {w.Divergence.ToString("F6", inv)} | {w.Weight.ToString("F6", inv)} |"));
        return string.Join('\n', lines) + '\n';
    }
}
