using System.Globalization;
using System.Text.Json;
using NQPF.Econometrics.CompositeIndex;
using static NQPF.Stages.RecordColumns;

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
            Text("indicator", w, x => x.Indicator),
            Text("dimension", w, x => x.Dimension),
            Text("direction", w, x => Indicator.FormatDirection(x.Direction)),
            Double("min", w, x => x.Min),
            Double("max", w, x => x.Max),
            Double("entropy", w, x => x.Entropy),
            Double("divergence", w, x => x.Divergence),
            Double("weight", w, x => x.Weight),
            Double("pca_mean", w, x => x.PcaMean),
            Double("pca_sd", w, x => x.PcaSd),
            Double("pca_loading", w, x => x.PcaLoading),
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
            Long("year", rows, r => r.Year),
            Text("indicator", rows, r => r.W.Indicator),
            Text("dimension", rows, r => r.W.Dimension),
            Text("direction", rows, r => Indicator.FormatDirection(r.W.Direction)),
            Double("min", rows, r => r.W.Min),
            Double("max", rows, r => r.W.Max),
            Double("entropy", rows, r => r.W.Entropy),
            Double("divergence", rows, r => r.W.Divergence),
            Double("weight", rows, r => r.W.Weight));
    }

    private static readonly string[] DoubleColumns =
        ["min", "max", "entropy", "divergence", "weight", "pca_mean", "pca_sd", "pca_loading", "pca_share", "shift"];

    private static readonly string[] TextColumns = ["indicator", "dimension", "direction", "score_basis"];

    /// <summary>
    /// Reads an index/weights table exported as JSON (an array of row objects, as <c>nqpf export … --format json</c>
    /// writes it) and rebuilds the frozen model; errors name <paramref name="what"/>.
    /// </summary>
    public static EntropyModel FromJson(ReadOnlySpan<byte> utf8Json, OutOfBaseRule outOfBase, string what)
    {
        JsonElement[] rows;
        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new ConfigValidationException($"{what}: expected a JSON array of index/weights rows.");
            rows = doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        }
        catch (JsonException e)
        {
            throw new ConfigValidationException($"{what}: not valid JSON ({e.Message}).");
        }
        JsonElement Cell(int row, string column) =>
            rows[row].ValueKind == JsonValueKind.Object && rows[row].TryGetProperty(column, out var v) ? v
                : throw new ConfigValidationException($"{what}: row {row.ToString(CultureInfo.InvariantCulture)} has no '{column}' (export a run's 03-index/weights).");
        double Number(int row, string column) => Cell(row, column) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble()
            : throw new ConfigValidationException($"{what}: row {row.ToString(CultureInfo.InvariantCulture)} column '{column}' is not a number.");
        var columns = new List<Column>();
        columns.AddRange(DoubleColumns.Select(c => new DoubleColumn(c, Enumerable.Range(0, rows.Length).Select(r => Number(r, c)).ToArray())));
        columns.AddRange(TextColumns.Select(c => new StringColumn(c, Enumerable.Range(0, rows.Length).Select(r => Cell(r, c).ToString()).ToArray())));
        columns.Add(new BoolColumn("times100", Enumerable.Range(0, rows.Length).Select(r => Cell(r, "times100").ValueKind == JsonValueKind.True).ToArray()));
        columns.Add(new LongColumn("observations", Enumerable.Range(0, rows.Length).Select(r => (long)Number(r, "observations")).ToArray()));
        return ToModel(new Frame(columns), outOfBase, what);
    }

    /// <summary>Rebuilds the frozen model from an index/weights table (rows in indicator order); errors name <paramref name="what"/>.</summary>
    public static EntropyModel ToModel(Frame weights, OutOfBaseRule outOfBase, string what)
    {
        foreach (var required in DoubleColumns.Concat(TextColumns).Append("times100").Append("observations"))
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
            IndicatorDirection direction;
            try
            {
                direction = Indicator.ParseDirection(dirs[i] ?? "");
            }
            catch (CompositeIndexException e)
            {
                throw new ConfigValidationException($"{what}: indicator '{names[i]}': {e.Message}");
            }
            list[i] = new IndicatorWeight(names[i] ?? "", dims[i] ?? "", direction,
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
