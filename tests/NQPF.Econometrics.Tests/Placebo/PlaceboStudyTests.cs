using System.Globalization;
using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.Tests.Placebo;

public class PlaceboStudyTests
{
    /// <summary>Simulated balanced panel: y = α_i + λ_t + τ·d_it + 0.5·x + ε, ε ~ N(0, 1); a third of the units treated in 2013–2015.</summary>
    private static (RegressionInput Input, Factor Unit, PlaceboDesign Design) Simulate(long seed, double tau, int units = 30, int years = 6)
    {
        var rng = new DrawRandom(seed, -1);
        double Normal()
        {
            var u1 = 1.0 - rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * rng.NextDouble());
        }
        var cohorts = new long[units];
        for (var u = 0; u < units / 3; u++) cohorts[u] = 2013 + rng.NextInt(3);
        rng.Shuffle(cohorts.AsSpan());
        var alpha = Enumerable.Range(0, units).Select(_ => Normal()).ToArray();
        var n = units * years;
        var unitOfRow = new int[n];
        var year = new long[n];
        var y = new double[n];
        var x = new double[n];
        for (var u = 0; u < units; u++)
        {
            for (var t = 0; t < years; t++)
            {
                var i = u * years + t;
                unitOfRow[i] = u;
                year[i] = 2010 + t;
                x[i] = Normal();
                var d = cohorts[u] > 0 && year[i] >= cohorts[u] ? 1.0 : 0.0;
                y[i] = alpha[u] + 0.1 * t + tau * d + 0.5 * x[i] + Normal();
            }
        }
        var unit = Factor.FromCodes("unit", unitOfRow, units);
        var input = new RegressionInput("y", y, [new NamedColumn("x", x)], [unit, Factor.FromLongs("year", year)]);
        return (input, unit, new PlaceboDesign(unitOfRow, year, cohorts));
    }

    [Fact]
    public void Run_ChunkedAndSingleThreaded_IdenticalToOneParallelRun()
    {
        var (input, unit, design) = Simulate(11, 0.3);
        foreach (var kind in new[] { PlaceboKind.Unit, PlaceboKind.Timing, PlaceboKind.Mixed })
        {
            var engine = PlaceboStudy.CreateEngine(input, unit, design, kind, "treat_post");
            var whole = PlaceboStudy.Run(engine, design, kind, 99, 0, 40, maxDegreeOfParallelism: 2);
            var chunked = PlaceboStudy.Run(engine, design, kind, 99, 0, 15, maxDegreeOfParallelism: 1)
                .Concat(PlaceboStudy.Run(engine, design, kind, 99, 15, 40, maxDegreeOfParallelism: 1)).ToArray();
            Assert.Equal(whole, chunked);
            Assert.Equal(Enumerable.Range(0, 40), whole.Select(d => d.Draw));
        }
    }

    // Under the null (τ = 0, exchangeable units) the unit-placebo p-value is uniform on {1/20, …, 1} with B = 19.
    // 300 seeds, 5 equiprobable bins (p ≤ 0.2, ≤ 0.4, …): chi-square with 4 df, 0.999 quantile 18.47.
    [Fact]
    public void Summarise_NullData_EmpiricalPValueUniformAcrossSeeds()
    {
        var bins = new int[5];
        for (var seed = 0; seed < 300; seed++)
        {
            var (input, unit, design) = Simulate(1000 + seed, 0.0, units: 24, years: 5);
            var engine = PlaceboStudy.CreateEngine(input, unit, design, PlaceboKind.Unit, "treat_post");
            var real = PlaceboStudy.Real(engine, design);
            var draws = PlaceboStudy.Run(engine, design, PlaceboKind.Unit, seed, 0, 19, maxDegreeOfParallelism: 1);
            var s = PlaceboInference.Summarise(real.Estimate, draws.Select(d => d.Estimate).ToArray(), draws.Select(d => d.P).ToArray());
            bins[Math.Min(4, (int)Math.Ceiling(s.PValue * 5 - 1e-9) - 1)]++;
        }
        var chi2 = bins.Sum(c => (c - 60.0) * (c - 60.0) / 60.0);
        Assert.True(chi2 < 18.47, string.Create(CultureInfo.InvariantCulture, $"bins {string.Join(",", bins)}, chi2 {chi2:F2}"));
    }

    // With a real effect of 1.5 residual SDs the real estimate beats all 99 unit placebos: p = 1/100.
    [Fact]
    public void Summarise_DataWithEffect_RealEstimateInTheTail()
    {
        var (input, unit, design) = Simulate(5, 1.5, units: 60);
        var engine = PlaceboStudy.CreateEngine(input, unit, design, PlaceboKind.Unit, "treat_post");
        var real = PlaceboStudy.Real(engine, design);
        var draws = PlaceboStudy.Run(engine, design, PlaceboKind.Unit, 7, 0, 99);
        var s = PlaceboInference.Summarise(real.Estimate, draws.Select(d => d.Estimate).ToArray(), draws.Select(d => d.P).ToArray());
        Assert.Equal(0.01, s.PValue, 1e-15);
        Assert.True(Math.Abs(s.Mean) < 0.2, $"placebo mean {s.Mean}");
    }

    // fixest 0.14.2 per-draw coefficients (expected/timing_permutations.csv), first 100 draws through RunAssignments.
    [Fact]
    public void RunAssignments_FixestPermutations_Within1e8()
    {
        var panel = ReferenceData.ReadCsv("timing_panel_275x11.csv");
        var unitCodes = panel["unit"].Select(v => (int)v - 1).ToArray();
        var years = panel["year"].Select(v => (long)v).ToArray();
        var real = new long[275];
        for (var i = 0; i < unitCodes.Length; i++) real[unitCodes[i]] = (long)panel["cohort"][i];
        var design = new PlaceboDesign(unitCodes, years, real);
        var unit = Factor.FromCodes("unit", unitCodes, 275);
        var input = new RegressionInput("y", panel["y"],
            Enumerable.Range(1, 6).Select(k => new NamedColumn("x" + k.ToString(CultureInfo.InvariantCulture), panel["x" + k.ToString(CultureInfo.InvariantCulture)])).ToArray(),
            [unit, Factor.FromLongs("year", years)]);
        var lines = File.ReadAllLines(ReferenceData.Path("expected", "timing_permutations.csv")).Skip(1).Take(100).ToArray();
        var cohorts = lines.Select(l => l.Split(',').Skip(2).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var engine = PlaceboStudy.CreateEngine(input, unit, design, PlaceboKind.Unit, "treat_post");
        var draws = PlaceboStudy.RunAssignments(engine, design, cohorts);
        for (var b = 0; b < lines.Length; b++)
        {
            var expected = double.Parse(lines[b].Split(',')[1], CultureInfo.InvariantCulture);
            ReferenceData.AssertRelative(expected, draws[b].Estimate, 1e-8, $"draw {b + 1}");
        }
        ReferenceData.AssertRelative(0.10550827534657416, PlaceboStudy.Real(engine, design).Estimate, 1e-8, "observed");
    }
}
