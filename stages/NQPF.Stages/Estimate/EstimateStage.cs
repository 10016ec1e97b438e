using Microsoft.Extensions.Logging;

namespace NQPF.Stages.Estimate;

/// <summary>
/// 05-estimate: the study's main results on the NQPF index. Inputs index/index (outcome), cohorts/treatment (pilot
/// dummies and order), clean/panel (controls, mediators), cohorts/attributes (groupings). Every model is TWFE with
/// city and year FE, clustered by city (small-sample convention Estimate:Ssc, recipe printed under each table).
/// Outputs: baseline, single_dual, order, wald, mechanisms, mediation, heterogeneity, heterogeneity_tests, panel;
/// documents: each table as .md, .tex and .csv.
/// </summary>
internal sealed class EstimateStage(EstimateOptions options) : IStage
{
    public string Name => Datasets.Estimate.Stage;

    public int Version => 1;

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
        var documents = new List<StageDocument>();
        const int steps = 5;
        context.Progress.Report(new StageProgress(0, steps, "baseline"));

        var baseline = BaselineTables.Baseline(data);
        var (singleDual, singleDualTests) = BaselineTables.SingleVersusDual(data);
        var (order, orderTests) = BaselineTables.Order(data);
        context.Progress.Report(new StageProgress(1, steps, "mechanisms"));
        var mechanisms = MechanismTables.TwoStep(data);
        context.Progress.Report(new StageProgress(2, steps, "mediation (three-step, bootstrap)"));
        var mediation = options.ThreeStep ? MechanismTables.ThreeStep(data, cancellationToken) : [];
        context.Progress.Report(new StageProgress(3, steps, "heterogeneity (permutation tests)"));
        var (heterogeneity, heterogeneityRows) = HeterogeneityTables.Build(data, cancellationToken);
        context.Progress.Report(new StageProgress(4, steps, "tables"));

        foreach (var table in new[] { baseline, singleDual, order, mechanisms }.Concat(heterogeneity))
            documents.AddRange(table.Documents());
        var mediationFrame = MechanismTables.MediationFrame(mediation);
        var testsFrame = HeterogeneityTables.TestsFrame(heterogeneityRows);
        var recipe = baseline.Footnotes()[1];
        if (options.ThreeStep)
        {
            documents.AddRange(new FrameTable("mediation", "Mechanisms (three-step): indirect effects", mediationFrame,
            [
                "indirect = a·b; Sobel SE = √(b²·se_a² + a²·se_b²), normal p; boot_low/boot_high: percentile cluster-bootstrap CI " +
                $"(cities resampled with replacement, {options.BootstrapDraws} draws, seed {options.Seed}).",
                recipe,
                options.DataNote,
            ]).Documents());
        }
        documents.AddRange(new FrameTable("heterogeneity_tests", "Heterogeneity: subgroup differences", testsFrame,
            [$"permutation_p: Fisher permutation test of beta_1 − beta_0 ({options.PermutationDraws} draws, seed {options.Seed}).", recipe, options.DataNote]).Documents());

        context.Logger.LogInformation("Estimate: {Rows} city-years, {Cities} cities; baseline {Baseline}", panel.RowCount, data.City.LevelCount,
            string.Join(", ", baseline.Columns.Where((_, i) => i % 2 == 1).Select(c => $"{c.Result.Coefficients[0].Term} = {c.Result.Coefficients[0].Estimate:G4}")));
        context.Progress.Report(new StageProgress(steps, steps, "done"));
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
        }, documents);
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
