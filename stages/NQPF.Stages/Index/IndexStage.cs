using System.Text;
using Microsoft.Extensions.Logging;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Stages.Common;

namespace NQPF.Stages.Index;

/// <summary>
/// 03-index: clean/panel → the NQPF index (<see cref="IndexBuilder"/>). Reads config/indicators.json and, in
/// fixed-base mode, the base run's exported weights (Index:BaseWeightsFile). Outputs: index, weights,
/// weights_by_year, normalised, descriptives; document settings.md (every option that changes the numbers).
/// </summary>
internal sealed class IndexStage(IndexOptions options) : IStage
{
    public string Name => "index";

    public int Version => 1;

    public string ConfigSection => "Index";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => ["clean/panel"];

    public IReadOnlyList<string> Outputs => ["index", "weights", "weights_by_year", "normalised", "descriptives"];

    public IReadOnlyList<string> SourceGlobs =>
        options.FixedBase ? ["config:" + options.IndicatorsFile, "config:" + options.BaseWeightsFile] : ["config:" + options.IndicatorsFile];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var system = IndicatorSystem.FromJson(context.Config(options.IndicatorsFile, Name), options.IndicatorsFile);
        EntropyModel? baseModel = options.FixedBase
            ? WeightsFrame.FromJson(context.Config(options.BaseWeightsFile, Name), options.OutOfBase, "config/" + options.BaseWeightsFile)
            : null;
        IndexTables t;
        try
        {
            t = IndexBuilder.Build(context.Input("clean/panel"), system, options, baseModel, options.BaseWeightsFile);
        }
        catch (CompositeIndexException e)
        {
            // The library knows rows, not files: say where the matrix came from.
            throw new DataValidationException($"clean/panel: {e.Message}", e);
        }
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
            },
            [new StageDocument("settings.md", Encoding.UTF8.GetBytes(t.Settings))]);
    }
}
