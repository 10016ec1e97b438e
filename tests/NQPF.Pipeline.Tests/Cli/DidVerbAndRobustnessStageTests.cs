using System.Text.Json.Nodes;
using NQPF.Econometrics.Staggered;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;
using NQPF.Stages.Analysis;
using NQPF.Stages.Estimate;
using NQPF.Stages.Robustness;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>
/// The <c>did</c> verb and the robustness stage's staggered comparison call the same analysis functions
/// (<see cref="StaggeredAnalysis"/>): on the same panel (mpdta) and settings every estimator gives bit-identical
/// numbers through both — event-time effects, ATTs, SEs (bootstrapped ones included: one seed rule) and pre-tests.
/// </summary>
public sealed class DidVerbAndRobustnessStageTests : IDisposable
{
    private const int Draws = 99;
    private const int Seed = 7;

    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static string Mpdta => ReferenceFiles.Dataset("mpdta.csv");

    private string _data = Mpdta;

    /// <summary>mpdta with only the rows whose first.treat (5th column) is one of <paramref name="cohorts"/>.</summary>
    private string KeepCohorts(string[] cohorts)
    {
        var lines = File.ReadAllLines(Mpdta);
        var path = Path.Combine(_workspace.Root, "mpdta_subset.csv");
        File.WriteAllLines(path, [lines[0], .. lines.Skip(1).Where(l => cohorts.Contains(l.Split(',')[4]))]);
        return path;
    }

    /// <param name="cohorts">The cohorts kept (first.treat values; empty = all): with one cohort, Sun–Abraham under
    /// not-yet-treated has no last-treated cohort to compare with and both must fall back to never-treated units.</param>
    [Theory]
    [InlineData("never", "")]
    [InlineData("notyet", "")]
    [InlineData("notyet", "0,2006")]
    public async Task DidVerb_EveryEstimator_SameNumbersAsRobustnessStage(string control, string cohorts)
    {
        _data = cohorts.Length == 0 ? Mpdta : KeepCohorts(cohorts.Split(','));
        var stage = await StageAsync(control);
        var events = stage.Frames["staggered_event"];
        var summary = stage.Frames["staggered_summary"];

        foreach (var (verb, name) in new[] { ("event", "twfe_event"), ("sa", "sa"), ("bjs", "bjs") })
        {
            var result = await VerbAsync(verb, control);
            AssertEvents(result["event"]!.AsArray(), "e", "estimate", events, name);
            Assert.Equal(Row(summary, name, "att"), result["att"]!["estimate"]!.GetValue<double>());
            Assert.Equal(Row(summary, name, "se"), result["att"]!["se"]!.GetValue<double>());
            Assert.Equal(Row(summary, name, "pretrend_chi2"), Num(result["pretrend"]?["chi2"]));
        }

        var cs = await VerbAsync("cs", control, "--bootstrap", Draws.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertEvents(cs["aggregates"]!["dynamic"]!.AsArray(), "e", "att", events, "cs");
        Assert.Equal(Row(summary, "cs", "att"), cs["aggregates"]!["simple"]!["att"]!.GetValue<double>());
        Assert.Equal(Row(summary, "cs", "se"), cs["aggregates"]!["simple"]!["se"]!.GetValue<double>());
        Assert.Equal(Row(summary, "cs", "pretrend_chi2"), cs["pretest"]!["wald"]!.GetValue<double>());

        var bacon = await VerbAsync("bacon", control);
        Assert.Equal(Row(summary, "twfe_bacon", "att"), bacon["twfe"]!.GetValue<double>());
        var comparisons = bacon["comparisons"]!.AsArray();
        Assert.Equal(stage.Frames["bacon"].Doubles("estimate"), comparisons.Select(c => c!["estimate"]!.GetValue<double>()));
        Assert.Equal(stage.Frames["bacon"].Doubles("weight"), comparisons.Select(c => c!["weight"]!.GetValue<double>()));
    }

    /// <summary>The stage's comparison on mpdta, its panel read by the verbs' table reader.</summary>
    private async Task<StaggeredComparisonResult> StageAsync(string control)
    {
        var data = await TableFiles.ReadAsync(_data, CancellationToken.None);
        var units = FrameColumns.Strings(data, "countyreal", _data).Select(u => u!).ToArray();
        var spec = new StaggeredSpec(control == "notyet" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated,
            BootstrapDraws: Draws, Seed: Seed);
        return StaggeredComparison.Run("mpdta", units, FrameColumns.Longs(data, "year", _data),
            FrameColumns.Longs(data, "first.treat", _data, missing: 0), FrameRegression.Numeric(data, "lemp"), spec, "countyreal");
    }

    private async Task<JsonObject> VerbAsync(string estimator, string control, params string[] extra)
    {
        string[] args = ["did", "--data", _data, "--unit", "countyreal", "--time", "year", "--cohort", "first.treat", "--y", "lemp",
            "--estimator", estimator, "--control", control, .. extra, "--json"];
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(args, _workspace.HostSettings(), output, error);
        Assert.True(code == 0, error.ToString());
        return JsonNode.Parse(output.ToString())!.AsObject();
    }

    private static void AssertEvents(JsonArray verb, string eKey, string estimateKey, Frame events, string estimator)
    {
        var rows = Enumerable.Range(0, events.RowCount).Where(i => events.Strings("estimator")[i] == estimator).ToArray();
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Select(i => events.Longs("e")[i]), verb.Select(v => v![eKey]!.GetValue<long>()));
        Assert.Equal(rows.Select(i => events.Doubles("estimate")[i]), verb.Select(v => Num(v![estimateKey])));
        Assert.Equal(rows.Select(i => events.Doubles("se")[i]), verb.Select(v => Num(v!["se"])));
    }

    private static double Row(Frame summary, string estimator, string column) =>
        summary.Doubles(column)[Array.IndexOf(summary.Strings("estimator"), estimator)];

    private static double Num(JsonNode? node) => node is null ? double.NaN : node.GetValue<double>();
}
