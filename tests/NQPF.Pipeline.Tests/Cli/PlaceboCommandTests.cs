using System.Globalization;
using System.Text.Json;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>
/// The placebo verb end to end on tests/reference/datasets/timing_panel_275x11.csv, model
/// y ~ treat_post + x1..x6 | unit + year, cluster = ~unit, against R fixest 0.14.2: the 1000 per-draw coefficients of
/// expected/timing_permutations.csv (1e-8 relative) and the observed estimate of
/// expected/timing.json.
/// </summary>
public sealed class PlaceboCommandTests : IDisposable
{
    private readonly Workspace _ws = new();
    private static readonly string Reference = ReferenceFiles.Root;
    private static readonly string Panel = Path.Combine(Reference, "datasets", "timing_panel_275x11.csv");
    private static readonly string Permutations = Path.Combine(Reference, "expected", "timing_permutations.csv");

    public void Dispose() => _ws.Dispose();

    private async Task<JsonElement> PlaceboJson(params string[] extra)
    {
        var (code, output, error) = await _ws.CliAsync(["placebo", "--data", Panel, "--y", "y", "--x", "x1,x2,x3,x4,x5,x6",
            "--fe", "unit,year", "--cluster", "unit", "--unit", "unit", "--time", "year", "--cohort", "cohort", "--json", .. extra]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public async Task Placebo_FixestAssignments_EveryDrawWithin1e8()
    {
        var json = await PlaceboJson("--assignments", Permutations);
        var expected = File.ReadAllLines(Permutations).Skip(1)
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var draws = json.GetProperty("draws").EnumerateArray().ToArray();
        Assert.Equal(1000, draws.Length);
        var worst = 0.0;
        for (var b = 0; b < draws.Length; b++)
        {
            Assert.Equal(b + 1, draws[b].GetProperty("draw").GetInt32());
            worst = Math.Max(worst, Math.Abs(draws[b].GetProperty("estimate").GetDouble() - expected[b]) / Math.Abs(expected[b]));
        }
        Assert.True(worst <= 1e-8, string.Create(CultureInfo.InvariantCulture, $"worst relative deviation {worst:E3}"));
        // timing.json: observed estimate 0.10550827534657416 and fixest's permutation p (mean(|b*| >= |b|) = 0.113).
        var real = json.GetProperty("real");
        Assert.Equal(0.10550827534657416, real.GetProperty("estimate").GetDouble(), 1e-9);
        Assert.Equal(0.06512777636704935, real.GetProperty("se").GetDouble(), 1e-8);
        var summary = json.GetProperty("summary");
        Assert.Equal(113, summary.GetProperty("as_extreme").GetInt32());
        Assert.Equal(114.0 / 1001, summary.GetProperty("p_value").GetDouble(), 1e-12);
    }

    [Fact]
    public async Task Placebo_SameSeed_SameDrawsAndOtherSeedDiffers()
    {
        var a = await PlaceboJson("--type", "mixed", "--draws", "25", "--seed", "3");
        var b = await PlaceboJson("--type", "mixed", "--draws", "25", "--seed", "3");
        var c = await PlaceboJson("--type", "mixed", "--draws", "25", "--seed", "4");
        Assert.Equal(a.GetProperty("draws").GetRawText(), b.GetProperty("draws").GetRawText());
        Assert.NotEqual(a.GetProperty("draws").GetRawText(), c.GetProperty("draws").GetRawText());
        Assert.Equal(25, a.GetProperty("summary").GetProperty("draws").GetInt32() + a.GetProperty("summary").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task Placebo_TimingText_PrintsSummaryAndRecipe()
    {
        var (code, output, error) = await _ws.CliAsync("placebo", "--data", Panel, "--y", "y", "--fe", "unit,year", "--cluster", "unit",
            "--unit", "unit", "--time", "year", "--cohort", "cohort", "--type", "timing", "--draws", "10", "--seed", "1");
        Assert.True(code == 0, error);
        Assert.Contains("10 timing placebos, seed 1", output, StringComparison.Ordinal);
        Assert.Contains("SE clustered by unit (G = 275)", output, StringComparison.Ordinal);
        Assert.Contains("Empirical p (two-sided", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Placebo_AssignmentsWithWrongUnitCount_ExitsNonZeroNamingFile()
    {
        var bad = Path.Combine(_ws.Root, "bad.csv");
        await File.WriteAllLinesAsync(bad, ["\"perm\",\"X1\",\"X2\"", "1,0,2005"]);
        var (code, _, error) = await _ws.CliAsync("placebo", "--data", Panel, "--y", "y", "--fe", "unit,year", "--cluster", "unit",
            "--unit", "unit", "--time", "year", "--cohort", "cohort", "--assignments", bad);
        Assert.NotEqual(0, code);
        Assert.Contains("bad.csv", error, StringComparison.Ordinal);
    }

    /// <summary>An outcome with no values (all NA) leaves nothing to regress: one line naming the file, exit 1.</summary>
    [Fact]
    public async Task Placebo_OutcomeAllMissing_ExitsWithOneLineNamingFile()
    {
        var lines = await File.ReadAllLinesAsync(Panel);
        var y = Array.IndexOf(lines[0].Split(','), "\"y\"");
        var bad = Path.Combine(_ws.Root, "no_outcome.csv");
        await File.WriteAllLinesAsync(bad, lines.Select((line, i) =>
        {
            if (i == 0) return line;
            var fields = line.Split(',');
            fields[y] = "NA";
            return string.Join(',', fields);
        }));
        var (code, _, error) = await _ws.CliAsync("placebo", "--data", bad, "--y", "y", "--fe", "unit,year", "--cluster", "unit",
            "--unit", "unit", "--time", "year", "--cohort", "cohort", "--draws", "5");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal($"error: {bad}: placebo: No observations left to regress 'y' on (after removing missing values and singletons).", error.Trim());
    }
}
