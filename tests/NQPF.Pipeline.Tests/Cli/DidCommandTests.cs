using System.Text.Json;
using System.Text.Json.Nodes;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>
/// The <c>did</c> verb end to end on mpdta (tests/reference/datasets/mpdta.csv), compared with the R references in
/// tests/reference/expected: did 2.3.0 (cs_mpdta.json), fixest 0.14.2 sunab (sunab_mpdta.json) and feols
/// (twfe_mpdta.json), didimputation 0.5.0 (didimputation_mpdta.json). Tolerance 1e-6.
/// </summary>
public sealed class DidCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private static string Reference(string relative) => Path.Combine(ReferenceFiles.Root, relative);

    private static JsonElement Expected(string file) => JsonDocument.Parse(File.ReadAllText(Reference(Path.Combine("expected", file)))).RootElement;

    private async Task<(int Code, string Out, string Err)> Did(params string[] extra)
    {
        string[] args = ["did", "--data", Reference("datasets/mpdta.csv"), "--unit", "countyreal", "--time", "year", "--cohort", "first.treat", "--y", "lemp", .. extra];
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(args, _workspace.HostSettings(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<JsonObject> DidJson(params string[] extra)
    {
        var (code, output, error) = await Did([.. extra, "--json"]);
        Assert.True(code == 0, error);
        return JsonNode.Parse(output)!.AsObject();
    }

    [Fact]
    public async Task Did_CsJson_MatchesRDidAndStatesSettings()
    {
        var spec = Expected("cs_mpdta.json").GetProperty("specs").GetProperty("notyettreated_nocov");
        var result = await DidJson("--estimator", "cs", "--control", "notyet");
        var cells = result["att_gt"]!.AsArray();
        var expected = spec.GetProperty("att_gt").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, cells.Count);
        for (var c = 0; c < cells.Count; c++)
        {
            Assert.Equal(expected[c].GetProperty("group").GetInt64(), cells[c]!["group"]!.GetValue<long>());
            Assert.Equal(expected[c].GetProperty("t").GetInt64(), cells[c]!["time"]!.GetValue<long>());
            Assert.Equal(expected[c].GetProperty("att").GetDouble(), cells[c]!["att"]!.GetValue<double>(), 1e-6);
            Assert.Equal(expected[c].GetProperty("se").GetDouble(), cells[c]!["se"]!.GetValue<double>(), 1e-6);
        }
        var agg = result["aggregates"]!;
        Assert.Equal(spec.GetProperty("aggte").GetProperty("simple").GetProperty("overall_att").GetDouble(), agg["simple"]!["att"]!.GetValue<double>(), 1e-6);
        Assert.Equal(spec.GetProperty("aggte").GetProperty("simple").GetProperty("overall_se").GetDouble(), agg["simple"]!["se"]!.GetValue<double>(), 1e-6);
        var dynamic = spec.GetProperty("aggte").GetProperty("dynamic").GetProperty("by").EnumerateArray().ToArray();
        Assert.Equal(dynamic.Length, agg["dynamic"]!.AsArray().Count);
        Assert.Equal(dynamic[0].GetProperty("att").GetDouble(), agg["dynamic"]![0]!["att"]!.GetValue<double>(), 1e-6);
        Assert.Equal(-3, agg["dynamic"]![0]!["e"]!.GetValue<long>());
        Assert.Equal(3, agg["group"]!.AsArray().Count);
        Assert.Equal(4, agg["calendar"]!.AsArray().Count);
        Assert.Equal("notyet", result["settings"]!["control"]!.GetValue<string>());
        Assert.Equal("varying", result["settings"]!["base"]!.GetValue<string>());
        Assert.Equal(0, result["settings"]!["anticipation"]!.GetValue<int>());
        Assert.Equal(500, result["sample"]!["units"]!.GetValue<int>());
    }

    [Fact]
    public async Task Did_SaJson_MatchesFixestSunab()
    {
        var reference = Expected("sunab_mpdta.json").GetProperty("mpdta");
        var result = await DidJson("--estimator", "sa");
        Assert.Equal(reference.GetProperty("att")[0].GetProperty("estimate").GetDouble(), result["att"]!["estimate"]!.GetValue<double>(), 1e-6);
        Assert.Equal(reference.GetProperty("att")[0].GetProperty("se").GetDouble(), result["att"]!["se"]!.GetValue<double>(), 1e-6);
        var events = reference.GetProperty("event_time").EnumerateArray().ToArray();
        Assert.Equal(events.Length, result["event"]!.AsArray().Count);
        Assert.Equal(events[0].GetProperty("estimate").GetDouble(), result["event"]![0]!["estimate"]!.GetValue<double>(), 1e-6);
        Assert.Equal(-4, result["event"]![0]!["e"]!.GetValue<long>());
    }

    [Fact]
    public async Task Did_BjsJson_MatchesDidimputation()
    {
        var reference = Expected("didimputation_mpdta.json").GetProperty("mpdta");
        var result = await DidJson("--estimator", "bjs");
        Assert.Equal(reference.GetProperty("static")[0].GetProperty("estimate").GetDouble(), result["att"]!["estimate"]!.GetValue<double>(), 1e-6);
        Assert.Equal(reference.GetProperty("static")[0].GetProperty("std.error").GetDouble(), result["att"]!["se"]!.GetValue<double>(), 1e-6);
        var e0 = result["event"]!.AsArray().Single(e => e!["e"]!.GetValue<long>() == 0)!;
        Assert.Equal(reference.GetProperty("horizon")[0].GetProperty("estimate").GetDouble(), e0["estimate"]!.GetValue<double>(), 1e-6);
    }

    [Fact]
    public async Task Did_BaconJson_WeightsSumToOneAndReproduceFixestTwfe()
    {
        var twfe = Expected("twfe_mpdta.json").GetProperty("fixest").GetProperty("cluster_default").GetProperty("estimate").GetDouble();
        var result = await DidJson("--estimator", "bacon");
        var comparisons = result["comparisons"]!.AsArray();
        Assert.Equal(9, comparisons.Count);
        Assert.Equal(["earlier_vs_later", "later_vs_earlier", "treated_vs_never"],
            comparisons.Select(c => c!["type"]!.GetValue<string>()).Distinct().Order().ToArray());
        Assert.Equal(1.0, comparisons.Sum(c => c!["weight"]!.GetValue<double>()), 1e-10);
        Assert.Equal(twfe, comparisons.Sum(c => c!["weight"]!.GetValue<double>() * c["estimate"]!.GetValue<double>()), 1e-10);
        Assert.Equal(twfe, result["twfe"]!.GetValue<double>(), 1e-10);
        Assert.All(comparisons.Where(c => c!["type"]!.GetValue<string>() == "treated_vs_never"), c => Assert.Equal(0, c!["control"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Did_EventJson_AttIsMeanOfPostCoefficients()
    {
        var result = await DidJson("--estimator", "event", "--leads", "3", "--lags", "2");
        var events = result["event"]!.AsArray();
        Assert.Equal([-3L, -2L, 0L, 1L, 2L], events.Select(e => e!["e"]!.GetValue<long>()).ToArray());
        var post = events.Where(e => e!["e"]!.GetValue<long>() >= 0).Select(e => e!["estimate"]!.GetValue<double>()).ToArray();
        Assert.Equal(post.Average(), result["att"]!["estimate"]!.GetValue<double>(), 1e-12);
        Assert.Equal(3, result["settings"]!["leads"]!.GetValue<int>());
    }

    [Fact]
    public async Task Did_CsBootstrapSameSeed_IdenticalOutput()
    {
        var a = await Did("--estimator", "cs", "--bootstrap", "199", "--seed", "42", "--json");
        var b = await Did("--estimator", "cs", "--bootstrap", "199", "--seed", "42", "--json");
        Assert.Equal(0, a.Code);
        Assert.Equal(a.Out, b.Out);
        Assert.Contains("199 draws", a.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_TextOutput_PrintsTableAndSettings()
    {
        var (code, output, error) = await Did("--estimator", "sa");
        Assert.True(code == 0, error);
        Assert.Contains("ATT -0.039951", output, StringComparison.Ordinal);
        Assert.Contains("SE clustered by countyreal (G = 500)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sa", "SE clustered by first.treat (G = 4)")]
    [InlineData("event", "SE clustered by first.treat (G = 4)")]
    [InlineData("bjs", "BJS conservative SEs clustered by first.treat (G = 4)")]
    public async Task Did_ClusterOption_RecipeNamesTheClusterVariable(string estimator, string recipe)
    {
        var (code, output, error) = await Did("--estimator", estimator, "--cluster", "first.treat");
        Assert.True(code == 0, error);
        Assert.Contains(recipe, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_CsBootstrapWithCluster_OneWeightPerCluster()
    {
        // lpop (county population) is constant within county: 498 distinct values among mpdta's 500 counties.
        var (code, output, error) = await Did("--estimator", "cs", "--bootstrap", "99", "--seed", "3", "--cluster", "lpop");
        Assert.True(code == 0, error);
        Assert.Contains("inference: multiplier bootstrap, 99 draws", output, StringComparison.Ordinal);
        Assert.Contains("clustered by lpop (G = 498, one weight per cluster)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--estimator", "foo")]
    [InlineData("--estimator", "sa", "--covariates", "lpop")]
    [InlineData("--estimator", "cs", "--cluster", "countyreal")]
    [InlineData("--estimator", "event", "--leads", "0")]
    public async Task Did_InvalidOptions_ExitCodeUsage(params string[] extra)
    {
        var (code, _, error) = await Did(extra);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_UnknownColumn_FailsNamingColumn()
    {
        var (code, _, error) = await Did("--estimator", "cs", "--covariates", "nosuch");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("'nosuch'", error, StringComparison.Ordinal);
    }

    // honestdid.json's input is this verb's TWFE event study on mpdta (lemp ~ i(rel_time, ever_treated, ref = -1) |
    // countyreal + year, clustered by county, fixest defaults), so the whole chain — estimates, covariance, HonestDiD —
    // is compared with HonestDiD 0.2.6: betahat 1e-6 relative, C-LF 1e-3 (grid), FLCI 1e-4 (M = 0.01: 1e-3, R's grid fallback).
    [Fact]
    public async Task Did_EventSensitivityRm_MatchesHonestDid()
    {
        var expected = Expected("honestdid.json");
        var result = await DidJson("--estimator", "event", "--sensitivity", "rm", "--mbar", "0.5,1,1.5,2");
        var betahat = expected.GetProperty("input").GetProperty("betahat").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        var events = result["event"]!.AsArray().Where(e => e!["e"]!.GetValue<long>() != -1).ToArray();
        for (var i = 0; i < betahat.Length; i++)
            Assert.Equal(betahat[i], events[i]!["estimate"]!.GetValue<double>(), Math.Abs(betahat[i]) * 1e-6);
        var rows = result["sensitivity"]!.AsArray();
        foreach (var (block, target) in new[] { ("relative_magnitudes_clf", "first"), ("relative_magnitudes_clf_avg", "average") })
        {
            foreach (var row in expected.GetProperty(block).EnumerateArray())
            {
                var mine = rows.Single(r => r!["method"]!.GetValue<string>() == "C-LF" && r["target"]!.GetValue<string>() == target
                    && r["mbar"]!.GetValue<double>() == row.GetProperty("Mbar").GetDouble())!;
                Assert.Equal(row.GetProperty("lb").GetDouble(), mine["lb"]!.GetValue<double>(), 1e-3);
                Assert.Equal(row.GetProperty("ub").GetDouble(), mine["ub"]!.GetValue<double>(), 1e-3);
            }
        }
        var original = rows.Single(r => r!["method"]!.GetValue<string>() == "Original" && r["target"]!.GetValue<string>() == "first")!;
        Assert.Equal(expected.GetProperty("original_cs")[0].GetProperty("lb").GetDouble(), original["lb"]!.GetValue<double>(), 1e-6);
        Assert.Null(original["restriction"]);
        Assert.Equal("RM", result["breakdown"]!["restriction"]!.GetValue<string>());
        Assert.Equal(0.0, result["breakdown"]!["first"]!.GetValue<double>());
        Assert.InRange(result["breakdown"]!["average"]!.GetValue<double>(), 0.5, 1.0);
    }

    [Fact]
    public async Task Did_EventSensitivitySd_MatchesHonestDidFlci()
    {
        var expected = Expected("honestdid.json");
        var result = await DidJson("--estimator", "event", "--sensitivity", "sd", "--m", "0,0.005,0.01,0.02,0.03");
        var rows = result["sensitivity"]!.AsArray();
        foreach (var row in expected.GetProperty("smoothness_flci").EnumerateArray())
        {
            var m = row.GetProperty("M").GetDouble();
            var mine = rows.Single(r => r!["method"]!.GetValue<string>() == "FLCI" && r["target"]!.GetValue<string>() == "first"
                && r["m"]!.GetValue<double>() == m)!;
            var tolerance = m == 0.01 ? 1e-3 : 1e-4;
            Assert.Equal(row.GetProperty("lb").GetDouble(), mine["lb"]!.GetValue<double>(), tolerance);
            Assert.Equal(row.GetProperty("ub").GetDouble(), mine["ub"]!.GetValue<double>(), tolerance);
        }
    }

    [Fact]
    public async Task Did_SensitivityWithImputation_IsAUsageError()
    {
        var (code, _, error) = await Did("--estimator", "bjs", "--sensitivity", "rm");
        Assert.NotEqual(0, code);
        Assert.Contains("--sensitivity applies to --estimator event, cs or sa", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_CsSensitivityUniversalBase_GivesIntervalsAroundTheDynamicEffects()
    {
        var result = await DidJson("--estimator", "cs", "--base", "universal", "--sensitivity", "rm", "--mbar", "0,1");
        var rows = result["sensitivity"]!.AsArray();
        Assert.Equal(2 * 3, rows.Count);
        var first = result["aggregates"]!["dynamic"]!.AsArray().Single(e => e!["e"]!.GetValue<long>() == 0)!;
        var original = rows.Single(r => r!["method"]!.GetValue<string>() == "Original" && r["target"]!.GetValue<string>() == "first")!;
        var att = first["att"]!.GetValue<double>();
        var se = first["se"]!.GetValue<double>();
        Assert.Equal(att - 1.959963984540054 * se, original["lb"]!.GetValue<double>(), 1e-9);
        var wide = rows.Single(r => r!["mbar"]?.GetValue<double>() == 1 && r["target"]!.GetValue<string>() == "first")!;
        Assert.True(wide["lb"]!.GetValue<double>() < original["lb"]!.GetValue<double>());
    }

    [Fact]
    public async Task Did_SensitivityText_PrintsRowsAndBreakdown()
    {
        var (code, output, error) = await Did("--estimator", "event", "--sensitivity", "rm", "--mbar", "1");
        Assert.True(code == 0, error);
        Assert.Contains("sensitivity (Rambachan-Roth, 95%)", output, StringComparison.Ordinal);
        Assert.Contains("C-LF", output, StringComparison.Ordinal);
        Assert.Contains("breakdown mbar (RM): first 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_CsAggregateDynamic_GivesTheSameCellsAndDynamicAggregationOnly()
    {
        string[] args = ["--estimator", "cs", "--bootstrap", "99", "--seed", "7"];
        var all = await DidJson(args);
        var dynamicOnly = await DidJson([.. args, "--aggregate", "dynamic"]);
        Assert.Equal(all["att_gt"]!.ToJsonString(), dynamicOnly["att_gt"]!.ToJsonString());
        Assert.Equal(all["aggregates"]!["dynamic"]!.ToJsonString(), dynamicOnly["aggregates"]!["dynamic"]!.ToJsonString());
        Assert.Equal(all["aggregates"]!["overall"]!["dynamic"]!.ToJsonString(), dynamicOnly["aggregates"]!["overall"]!["dynamic"]!.ToJsonString());
        Assert.Equal(all["critical_value"]!.GetValue<double>(), dynamicOnly["critical_value"]!.GetValue<double>());
        var left = dynamicOnly["aggregates"]!.AsObject();
        Assert.Equal(["dynamic", "overall"], left.Select(kv => kv.Key).ToArray());
        Assert.Equal(["dynamic"], left["overall"]!.AsObject().Select(kv => kv.Key).ToArray());
        Assert.Equal("dynamic", dynamicOnly["settings"]!["aggregate"]!.GetValue<string>());
        var (code, text, error) = await Did([.. args, "--aggregate", "dynamic"]);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("simple ATT", text, StringComparison.Ordinal);
        Assert.Contains("dynamic: overall", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Did_AggregateWithSunAbraham_IsAUsageError()
    {
        var (code, _, error) = await Did("--estimator", "sa", "--aggregate", "dynamic");
        Assert.NotEqual(0, code);
        Assert.Contains("--aggregate applies to --estimator cs only", error, StringComparison.Ordinal);
    }
}
