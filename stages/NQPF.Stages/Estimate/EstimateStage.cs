using Microsoft.Extensions.Logging;
using NQPF.Stages.Common;

namespace NQPF.Stages.Estimate;

/// <summary>
/// 05-estimate: the study's main results on the NQPF index. Inputs index/index (outcome), cohorts/treatment (pilot
/// dummies and order), clean/panel (controls, mediators), cohorts/attributes (groupings). Every model is TWFE with
/// city and year FE, clustered by city (small-sample convention Estimate:Ssc, recipe printed under each table).
/// Outputs: baseline, single_dual, order, wald, mechanisms, mediation, heterogeneity, heterogeneity_tests, panel.
/// No documents: the report stage lays these tables out in every format (HTML, Word, LaTeX, Excel).
/// </summary>
internal sealed class EstimateStage(EstimateOptions options) : IStage
{
    public string Name => Datasets.Estimate.Stage;

    public int Version => 2;

    public string ConfigSection => "Estimate";

    public object Settings => options;

    public IReadOnlyList<string> Inputs =>
        [Datasets.Index.Values, Datasets.Cohorts.Treatment, Datasets.Cohorts.Attributes, Datasets.Clean.Panel];

    public IReadOnlyList<string> Outputs =>
        Datasets.Tables(Datasets.Estimate.Baseline, Datasets.Estimate.SingleDual, Datasets.Estimate.Order, Datasets.Estimate.Wald,
            Datasets.Estimate.Mechanisms, Datasets.Estimate.Mediation, Datasets.Estimate.Heterogeneity,
            Datasets.Estimate.HeterogeneityTests, Datasets.Estimate.Panel);

    public IReadOnlyList<string> SourceGlobs => [];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var panel = EstimatePanel.Build(context.Input(Datasets.Index.Values), context.Input(Datasets.Cohorts.Treatment),
            context.Input(Datasets.Clean.Panel), context.Input(Datasets.Cohorts.Attributes), options);
        var data = new RegressionPanel(panel, options);
        context.Progress.Report(new StageProgress(0, 2, "baseline, mechanisms, mediation bootstrap and heterogeneity permutation tests"));
        RegressionTable baseline = null!;
        IReadOnlyList<WaldRow> singleDualTests = [], orderTests = [];
        RegressionTable singleDual = null!, order = null!, mechanisms = null!;
        IReadOnlyList<MediationRow> mediation = [];
        (IReadOnlyList<RegressionTable> Tables, IReadOnlyList<HeterogeneityRow> Rows) heterogeneityResult = ([], []);
        // The tables read the panel only and each fills its own result, so they are computed side by side (the bootstrap
        // and the permutation tests are the long ones) with the same numbers as one after the other.
        Concurrently.Run(cancellationToken,
            () => heterogeneityResult = HeterogeneityTables.Build(data, cancellationToken),
            () => mediation = options.ThreeStep ? MechanismTables.ThreeStep(data, cancellationToken) : [],
            () =>
            {
                baseline = BaselineTables.Baseline(data);
                (singleDual, singleDualTests) = BaselineTables.SingleVersusDual(data);
                (order, orderTests) = BaselineTables.Order(data);
                mechanisms = MechanismTables.TwoStep(data);
            });
        var (heterogeneity, heterogeneityRows) = heterogeneityResult;
        context.Progress.Report(new StageProgress(1, 2, "tables"));

        var mediationFrame = MechanismTables.MediationFrame(mediation);
        var testsFrame = HeterogeneityTables.TestsFrame(heterogeneityRows);

        context.Logger.LogInformation("Estimate: {Rows} city-years, {Cities} cities; baseline {Baseline}", panel.RowCount, data.City.LevelCount,
            string.Join(", ", baseline.Columns.Where((_, i) => i % 2 == 1).Select(c => $"{c.Result.Coefficients[0].Term} = {c.Result.Coefficients[0].Estimate:G4}")));
        context.Progress.Report(new StageProgress(2, 2, "done"));
        return new StageResult(new Dictionary<string, Frame>
        {
            ["baseline"] = baseline.ToFrame(),
            ["single_dual"] = singleDual.ToFrame(),
            ["order"] = order.ToFrame(),
            ["wald"] = BaselineTables.WaldFrame([.. singleDualTests, .. orderTests]),
            ["mechanisms"] = mechanisms.ToFrame(),
            ["mediation"] = mediationFrame,
            ["heterogeneity"] = Concat(heterogeneity.Select(t => t.ToFrame()).ToList(), baseline.ToFrame()),
            ["heterogeneity_tests"] = testsFrame,
            ["panel"] = panel,
        }, []);
    }

    /// <summary>Row-binds frames of the same schema; with none, an empty frame of <paramref name="schema"/>'s columns.</summary>
    private static Frame Concat(IReadOnlyList<Frame> frames, Frame schema)
    {
        var template = frames.Count > 0 ? frames[0] : schema;
        return new Frame(template.Columns.Select(c => (Column)(c switch
        {
            DoubleColumn => new DoubleColumn(c.Name, frames.SelectMany(f => f.Doubles(c.Name)).ToArray()),
            LongColumn => new LongColumn(c.Name, frames.SelectMany(f => f.Longs(c.Name)).ToArray()),
            StringColumn => new StringColumn(c.Name, frames.SelectMany(f => f.Strings(c.Name)).ToArray()),
            _ => new BoolColumn(c.Name, frames.SelectMany(f => f.Bools(c.Name)).ToArray()),
        })));
    }
}
