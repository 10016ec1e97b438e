using System.Text;
using Microsoft.Extensions.Logging;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Stages.Common;

namespace NQPF.Stages.Index;

/// <summary>
/// 03-index: clean/panel → the NQPF index (<see cref="IndexBuilder"/>). Reads config/indicators.json and, in
/// fixed-base mode, the base run's exported weights (Index:BaseWeightsFile). Outputs: index, weights,
/// weights_by_year, normalised, descriptives, vintage; documents settings.md (every option that changes the numbers)
/// and vintage.md. When the previous successful run had different raw data, the runner passes its index and
/// weights, and vintage measures how much the weights and the history (Index:HistoryFirstYear–HistoryLastYear) moved
/// (<see cref="VintageComparison"/>); otherwise vintage is empty.
/// </summary>
internal sealed class IndexStage(IndexOptions options) : IStage
{
    public string Name => Datasets.Index.Stage;

    public int Version => 1;

    public string ConfigSection => "Index";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [Datasets.Clean.Panel];

    public IReadOnlyList<string> Outputs => Datasets.Tables(Datasets.Index.Values, Datasets.Index.Weights, Datasets.Index.WeightsByYear,
        Datasets.Index.Normalised, Datasets.Index.Descriptives, Datasets.Index.Vintage);

    public IReadOnlyList<string> PreviousInputs => [Datasets.Index.Values, Datasets.Index.Weights];

    public IReadOnlyList<string> SourceGlobs =>
        options.FixedBase ? ["config:" + options.IndicatorsFile, "config:" + options.BaseWeightsFile] : ["config:" + options.IndicatorsFile];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var system = context.Config.Indicators(options.IndicatorsFile);
        EntropyModel? baseModel = options.FixedBase
            ? context.Config.BaseWeights(options.BaseWeightsFile, options.OutOfBase)
            : null;
        IndexTables t;
        try
        {
            t = IndexBuilder.Build(context.Input(Datasets.Clean.Panel), system, options, baseModel, options.BaseWeightsFile);
        }
        catch (CompositeIndexException e)
        {
            // The library knows rows, not files: say where the matrix came from.
            throw new DataValidationException($"clean/panel: {e.Message}", e);
        }
        var vintage = Vintage(context, t);
        context.Logger.LogInformation("Index: {Rows} city-years, weights {Source}; {Settings}",
            t.Index.RowCount, baseModel is null ? "fitted" : "from " + options.BaseWeightsFile, options);
        return new StageResult(
            new Dictionary<string, Frame>
            {
                ["index"] = t.Index,
                ["weights"] = t.Weights,
                ["weights_by_year"] = t.WeightsByYear,
                ["normalised"] = t.Normalised,
                ["descriptives"] = t.Descriptives,
                ["vintage"] = vintage.Table,
            },
            [new StageDocument("settings.md", Encoding.UTF8.GetBytes(t.Settings)), new StageDocument("vintage.md", Encoding.UTF8.GetBytes(vintage.Text))]);
    }

    private (Frame Table, string Text) Vintage(StageContext context, IndexTables t)
    {
        if (!context.Previous.TryGetValue(Datasets.Index.Values, out var previousIndex) || !context.Previous.TryGetValue(Datasets.Index.Weights, out var previousWeights))
        {
            return (VintageComparison.Empty(),
                "## Vintage\n\nNo earlier successful run with different raw data: nothing to compare.\n");
        }
        // History = the years both vintages share: by default up to the previous run's last year (HistoryLastYear 0).
        var lastYear = options.HistoryLastYear != 0 ? options.HistoryLastYear
            : previousIndex.RowCount > 0 ? previousIndex.Longs("year").Max() : options.HistoryFirstYear;
        var table = VintageComparison.Compare(previousWeights, t.Weights, previousIndex, t.Index, options.HistoryFirstYear, lastYear);
        var text = VintageComparison.Summary(table, options.HistoryFirstYear, lastYear)
                   + $"\nPrevious run: {context.PreviousRunId}. Weights: {(options.FixedBase ? "fixed base " + options.BaseWeightsFile : "fitted on this run's data")}.\n";
        var row = Array.IndexOf(table.Strings("name"), "nqpf");
        context.Logger.LogInformation("Index vintage vs run {Run}: nqpf {First}-{Last} max |Δ| {Max}, {Moved} of {N} city-years moved",
            context.PreviousRunId, options.HistoryFirstYear, lastYear,
            table.Doubles("max_abs_diff")[row], table.Longs("moved")[row], table.Longs("n")[row]);
        return (table, text);
    }
}
