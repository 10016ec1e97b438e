using System.Globalization;
using System.Text.Json;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// The fast placebo path against fixest 0.14.2: y ~ treat_post + x1..x6 | unit + year, cluster = ~unit on
/// timing_panel_275x11.csv; per-draw coefficients from expected/timing_permutations.csv (written with 13–15
/// significant digits, so 1e-8 relative is well inside their precision) and the observed fit from timing.json.
/// </summary>
public sealed class PlaceboEngineTests
{
    private static readonly Dictionary<string, double[]> Panel = ReferenceData.ReadCsv("timing_panel_275x11.csv");
    private static readonly Factor Unit = Factor.FromDoubles("unit", Panel["unit"]);
    private static readonly Factor Year = Factor.FromDoubles("year", Panel["year"]);
    private static readonly string[] Controls = ["x1", "x2", "x3", "x4", "x5", "x6"];

    private static RegressionInput BaseInput() =>
        new("y", Panel["y"], Controls.Select(c => new NamedColumn(c, Panel[c])).ToArray(), [Unit, Year]);

    [Fact]
    public void Fit_TimingPanelObserved_MatchesFixestEveryCoefficient()
    {
        var input = BaseInput() with { Regressors = [new NamedColumn("treat_post", Panel["treat_post"]), .. BaseInput().Regressors] };
        var result = Inference.Summarise(Regression.Fit(input), VcovSpec.Cluster(Unit));
        foreach (var e in ReferenceData.Json("timing.json").GetProperty("permutation").GetProperty("observed").EnumerateArray())
        {
            var term = e.GetProperty("term").GetString()!;
            var row = result[term];
            ReferenceData.AssertRelative(e.GetProperty("estimate").GetDouble(), row.Estimate, 1e-8, term + " estimate");
            ReferenceData.AssertRelative(e.GetProperty("se").GetDouble(), row.Se, 1e-6, term + " se");
            ReferenceData.AssertRelative(e.GetProperty("p").GetDouble(), row.P, 1e-6, term + " p");
        }
    }

    [Fact]
    public void Estimate_ObservedTreatment_EqualsFullRegressionWithClusteredSe()
    {
        var engine = PlaceboEngine.Create(BaseInput(), Unit, "treat_post");
        var draw = engine.Estimate(0, Panel["treat_post"], engine.CreateWorkspace());
        var input = BaseInput() with { Regressors = [new NamedColumn("treat_post", Panel["treat_post"]), .. BaseInput().Regressors] };
        var full = Inference.Summarise(Regression.Fit(input), VcovSpec.Cluster(Unit))["treat_post"];
        ReferenceData.AssertRelative(full.Estimate, draw.Estimate, 1e-11, "estimate");
        ReferenceData.AssertRelative(full.Se, draw.Se, 1e-10, "se");
        ReferenceData.AssertRelative(full.P, draw.P, 1e-9, "p");
    }

    [Fact]
    public void Run_FixestPermutations_EveryDrawWithin1e8()
    {
        var lines = File.ReadAllLines(ReferenceData.Path("expected", "timing_permutations.csv"));
        var draws = lines.Length - 1;
        var expected = new double[draws];
        var cohorts = new int[draws][];
        for (var b = 0; b < draws; b++)
        {
            var f = lines[b + 1].Split(',');
            expected[b] = double.Parse(f[1], CultureInfo.InvariantCulture);
            cohorts[b] = f.Skip(2).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        var unit = Panel["unit"];
        var year = Panel["year"];
        var engine = PlaceboEngine.Create(BaseInput(), Unit, "treat_post");
        var results = engine.Run(draws, (b, d) =>
        {
            for (var i = 0; i < d.Length; i++)
            {
                var c = cohorts[b][(int)unit[i] - 1];
                d[i] = c > 0 && year[i] >= c ? 1 : 0;
            }
        });
        Assert.Equal(1000, draws);
        var worst = 0.0;
        for (var b = 0; b < draws; b++)
        {
            Assert.Equal(b, results[b].Draw);
            worst = Math.Max(worst, Math.Abs(results[b].Estimate - expected[b]) / Math.Abs(expected[b]));
        }
        Assert.True(worst <= 1e-8, string.Create(CultureInfo.InvariantCulture, $"worst relative deviation {worst:E3}"));
    }

    [Fact]
    public void Run_DifferentThreadCounts_GiveIdenticalDraws()
    {
        var engine = PlaceboEngine.Create(BaseInput(), Unit, "treat_post");
        var unit = Panel["unit"];
        var year = Panel["year"];
        void Fill(int b, Span<double> d)
        {
            for (var i = 0; i < d.Length; i++) d[i] = ((int)unit[i] * 7 + b) % 5 == 0 && year[i] >= 2003 + b % 6 ? 1 : 0;
        }
        var one = engine.Run(40, Fill, maxDegreeOfParallelism: 1);
        var many = engine.Run(40, Fill, maxDegreeOfParallelism: 4);
        Assert.Equal(one, many);
    }

    /// <summary>
    /// The engine keeps the probe fit's demeaned controls: with a control that is collinear with two others (dropped,
    /// so the design is a copy of the kept columns) and without fixed effects (the intercept is a control), the observed
    /// draw still equals the full regression.
    /// </summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Estimate_CollinearControlOrNoFixedEffects_EqualsFullRegression(bool fixedEffects, bool collinearControl)
    {
        var baseInput = BaseInput();
        if (collinearControl)
        {
            var sum = Panel["x1"].Zip(Panel["x2"], (a, b) => a + b).ToArray();
            baseInput = baseInput with { Regressors = [.. baseInput.Regressors, new NamedColumn("x1_plus_x2", sum)] };
        }
        if (!fixedEffects) baseInput = baseInput with { FixedEffects = [] };
        var engine = PlaceboEngine.Create(baseInput, Unit, "treat_post");
        var draw = engine.Estimate(0, Panel["treat_post"], engine.CreateWorkspace());
        var fit = Regression.Fit(baseInput with { Regressors = [new NamedColumn("treat_post", Panel["treat_post"]), .. baseInput.Regressors] });
        var full = Inference.Summarise(fit, VcovSpec.Cluster(Unit))["treat_post"];
        Assert.Equal(fit.Terms.Where(t => t != "treat_post"), engine.Controls);
        Assert.Equal(!fixedEffects, engine.Controls.Contains(Regression.InterceptName));
        Assert.Equal(!collinearControl, fit.DroppedCollinear.Count == 0);
        ReferenceData.AssertRelative(full.Estimate, draw.Estimate, 1e-11, "estimate");
        ReferenceData.AssertRelative(full.Se, draw.Se, 1e-10, "se");
    }

    [Fact]
    public void Create_WeightedInput_IsRejected()
    {
        var weighted = BaseInput() with { Weights = Enumerable.Repeat(1.0, Panel["y"].Length).ToArray() };
        var error = Assert.Throws<ArgumentException>(() => PlaceboEngine.Create(weighted, Unit, "treat_post"));
        Assert.Contains("weighted", error.Message, StringComparison.Ordinal);
    }
}
