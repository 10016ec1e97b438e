using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Stages;

public sealed class PipelineDefinitionTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public void StagePlan_StudyStages_DeclareOnlyWhatTheDefinitionListsInItsOrder(string staggered)
    {
        using var host = PipelineHost.Build(DefaultDataRun.Settings(_ws.ProcessedDir,
            new Dictionary<string, string?> { ["Robustness:Staggered:Enabled"] = staggered }));

        var plan = host.Services.GetRequiredService<StagePlan>();

        Assert.Equal(PipelineDefinition.Order, plan.Stages.Select(s => s.Name));
        Assert.Empty(plan.Unrunnable);
    }

    [Fact]
    public async Task Cli_StageDeclaringAReadTheDefinitionDoesNotList_IsAConfigurationError()
    {
        _ws.RegisterStages = r => r.UseOrder("alpha", "beta", "gamma")
            .Add<TestStages.AlphaStage, TestStages.AlphaOptions>("Alpha", reads: ["raw:**/*.csv"], writes: ["alpha/numbers"])
            .Add<TestStages.BetaStage, TestStages.BetaOptions>("Beta", reads: ["alpha/numbers"], writes: ["beta/scaled"])
            .Add<TestStages.GammaStage, TestStages.GammaOptions>("Gamma", reads: ["alpha/numbers"], writes: ["gamma/total"]);

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.Equal(2, code);
        Assert.Contains("Stage 'gamma' reads 'beta/scaled', which the pipeline definition", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StageReturningAnUndeclaredTable_FailsAsAStageDefectNotADataError()
    {
        _ws.RegisterStages = r => r.UseOrder("alpha")
            .Add<OverproducingAlpha, TestStages.AlphaOptions>("Alpha");

        var outcome = await _ws.RunAsync();

        Assert.False(outcome.Succeeded);
        Assert.StartsWith(nameof(StageContractException) + ": Stage 'alpha' returned table 'extra'", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StageAskingForAnUndeclaredInput_FailsAsAStageDefect()
    {
        _ws.RegisterStages = r => r.UseOrder("alpha", "beta")
            .Add<TestStages.AlphaStage, TestStages.AlphaOptions>("Alpha")
            .Add<PeekingBeta, TestStages.BetaOptions>("Beta");

        var outcome = await _ws.RunAsync();

        Assert.False(outcome.Succeeded);
        Assert.StartsWith(nameof(StageContractException) + ": The stage asked for 'alpha/other'", outcome.Error, StringComparison.Ordinal);
    }

    private sealed class OverproducingAlpha(TestStages.AlphaOptions options) : IStage
    {
        public string Name => "alpha";
        public int Version => 1;
        public string ConfigSection => "Alpha";
        public object Settings => options;
        public IReadOnlyList<string> Inputs => [];
        public IReadOnlyList<string> Outputs => ["numbers"];
        public IReadOnlyList<string> SourceGlobs => [];

        public StageResult Run(StageContext context, CancellationToken cancellationToken) => new(new Dictionary<string, Frame>
        {
            ["numbers"] = new(new DoubleColumn("value", [1.0])),
            ["extra"] = new(new DoubleColumn("value", [2.0])),
        });
    }

    private sealed class PeekingBeta(TestStages.BetaOptions options) : IStage
    {
        public string Name => "beta";
        public int Version => 1;
        public string ConfigSection => "Beta";
        public object Settings => options;
        public IReadOnlyList<string> Inputs => ["alpha/numbers"];
        public IReadOnlyList<string> Outputs => ["scaled"];
        public IReadOnlyList<string> SourceGlobs => [];

        public StageResult Run(StageContext context, CancellationToken cancellationToken) =>
            new(new Dictionary<string, Frame> { ["scaled"] = context.Input("alpha/other") });
    }

    [Fact]
    public void StagePlan_ColumnsNamedForADatasetThatIsNotAnInput_IsAConfigurationError()
    {
        var error = Assert.Throws<ConfigValidationException>(() => new StagePlan([new StrayColumnsStage()], new StageOrder(["stray"], [])));
        Assert.Equal("Stage 'stray' names columns of 'alpha/other', which is not one of its inputs (alpha/numbers).", error.Message);
    }

    /// <summary>Reads alpha/numbers but names the columns it would read of alpha/other.</summary>
    private sealed class StrayColumnsStage : IStage
    {
        public string Name => "stray";
        public int Version => 1;
        public string ConfigSection => "Stray";
        public object Settings => new();
        public IReadOnlyList<string> Inputs => ["alpha/numbers"];
        public IReadOnlyDictionary<string, IReadOnlyList<string>> InputColumns =>
            new Dictionary<string, IReadOnlyList<string>> { ["alpha/other"] = ["value"] };
        public IReadOnlyList<string> Outputs => ["out"];
        public IReadOnlyList<string> SourceGlobs => [];
        public StageResult Run(StageContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
