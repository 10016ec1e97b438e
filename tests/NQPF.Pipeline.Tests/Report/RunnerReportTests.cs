using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Pipeline.Tests.TestStages;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>The runner's support for a report stage: optional and previous-run inputs, renderers, the published report folder.</summary>
public sealed class RunnerReportTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Run_OptionalInputs_ProvidesEveryTableOfMatchedStagesAndTheRawListing()
    {
        var outcome = await RunAsync();

        Assert.True(outcome.Succeeded, outcome.Error);
        var index = ReadReport(outcome.RunId, "index.html");
        Assert.Contains("inputs: alpha/numbers, beta/scaled, run/raw_files", index, StringComparison.Ordinal);
        Assert.Contains("raw: 2011.csv, 2012.csv", index, StringComparison.Ordinal);
        Assert.Contains("previous: none", index, StringComparison.Ordinal);
        Assert.Equal("rendered 3 keys", ReadReport(outcome.RunId, "extra.txt"));
        Assert.True(File.Exists(Path.Combine(_ws.ProcessedDir, "runs", outcome.RunId, "04-report", "extra.txt")));
    }

    [Fact]
    public async Task Run_RawDataChanged_GivesThePreviousRunsTablesAndPublishesAgain()
    {
        var first = await RunAsync();
        _ws.WriteRaw("2013.csv", "110000,2013,4\n");

        var second = await RunAsync();

        Assert.True(second.Succeeded, second.Error);
        var index = ReadReport(second.RunId, "index.html");
        Assert.Contains($"previous: {first.RunId}: beta/scaled, run/raw_files", index, StringComparison.Ordinal);
        Assert.Contains("previous raw: 2011.csv, 2012.csv", index, StringComparison.Ordinal);
        Assert.Contains("raw: 2011.csv, 2012.csv, 2013.csv", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NothingChanged_ReusesTheReportAndStillPublishesItForTheNewRun()
    {
        var first = await RunAsync();

        var second = await RunAsync();

        Assert.True(second.Succeeded, second.Error);
        var stages = await _ws.StageRunsAsync(second.RunId);
        Assert.All(stages, s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.Equal(ReadReport(first.RunId, "index.html"), ReadReport(second.RunId, "index.html"));
        Assert.False(Directory.Exists(Path.Combine(_ws.ProcessedDir, "runs", second.RunId, "04-report")));
    }

    [Fact]
    public async Task Diff_TwoRuns_ListsTheRawFileChangesAndNoEstimates()
    {
        var first = await RunAsync();
        _ws.WriteRaw("2013.csv", "110000,2013,4\n");
        _ws.WriteRaw("2012.csv", "110000,2012,2.75\n");
        var second = await RunAsync();

        var (code, output, error) = await _ws.CliAsync("diff", first.RunId, second.RunId);

        Assert.True(code == 0, error);
        Assert.Matches(@"2012\.csv\s+changed", output);
        Assert.Matches(@"2013\.csv\s+added", output);
        Assert.Contains("Key estimates (0 flagged):\n  none", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_UnknownRun_IsAUsageError()
    {
        var first = await RunAsync();

        var (code, _, error) = await _ws.CliAsync("diff", first.RunId, "20990101T000000Z-000000");

        Assert.Equal(2, code);
        Assert.Contains("There is no run '20990101T000000Z-000000'", error, StringComparison.Ordinal);
    }

    private string ReadReport(string runId, string name) =>
        File.ReadAllText(Path.Combine(_ws.ProcessedDir, "runs", runId, "report", name));

    private async Task<RunOutcome> RunAsync()
    {
        var settings = _ws.HostSettings() with
        {
            RegisterStages = registry =>
            {
                TestStageCatalog.RegisterAll(registry);
                registry.UseOrder("alpha", "beta", "gamma", "report")
                    .Add<EchoReportStage, GammaOptions>("Gamma")
                    .AddRenderer<CountingRenderer>();
            },
        };
        using var host = PipelineHost.Build(settings);
        PipelineHost.Validate(host.Services);
        return await host.Services.GetRequiredService<PipelineRunner>().RunAsync(new RunRequest("test"), CancellationToken.None);
    }

    /// <summary>Lists what it was given; gamma is registered but its table is left out by the patterns on purpose.</summary>
    private sealed class EchoReportStage(GammaOptions options) : IStage
    {
        public string Name => "report";
        public int Version => 1;
        public string ConfigSection => "Gamma";
        public object Settings => options;
        public IReadOnlyList<string> Inputs => [];
        public IReadOnlyList<string> OptionalInputs => ["alpha/*", "beta/scaled", "missing/*", "run/raw_files"];
        public IReadOnlyList<string> PreviousInputs => ["beta/*", "run/raw_files"];
        public IReadOnlyList<string> Outputs => ["listing"];
        public IReadOnlyList<string> SourceGlobs => [];

        public StageResult Run(StageContext context, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            text.AppendLine("inputs: " + string.Join(", ", context.Inputs.Keys.Order(StringComparer.Ordinal)));
            text.AppendLine("raw: " + string.Join(", ", context.Input("run/raw_files").Strings("path")));
            text.AppendLine(context.PreviousRunId is null ? "previous: none"
                : $"previous: {context.PreviousRunId}: {string.Join(", ", context.Previous.Keys.Order(StringComparer.Ordinal))}");
            if (context.Previous.TryGetValue("run/raw_files", out var raw))
                text.AppendLine("previous raw: " + string.Join(", ", raw.Strings("path")));
            var listing = new Frame(new StringColumn("key", [.. context.Inputs.Keys.Order(StringComparer.Ordinal)]));
            return new StageResult(new Dictionary<string, Frame> { ["listing"] = listing },
                [new StageDocument("index.html", Encoding.UTF8.GetBytes(text.ToString()))]);
        }
    }

    private sealed class CountingRenderer : IDocumentRenderer
    {
        public string Stage => "report";
        public int Version => 1;

        public IReadOnlyList<StageDocument> Render(StageResult result, object settings) =>
            [new StageDocument("extra.txt", Encoding.UTF8.GetBytes($"rendered {result.Tables["listing"].RowCount} keys"))];
    }
}
