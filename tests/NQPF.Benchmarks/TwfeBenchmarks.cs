using BenchmarkDotNet.Attributes;
using NQPF.Econometrics;

namespace NQPF.Benchmarks;

/// <summary>
/// Two-way FE absorption and a TWFE fit with city-clustered SEs at 3k / 100k / 1M rows. Goal for the
/// 1M-row fits: at least as fast as fixest 0.14.2 (0.7–1.6 s on the same machine class, expected/timing.json).
/// "1000000u" is 50,000 units × 25 years with 20% of cells missing (≈ 1M rows, unbalanced: alternating projections).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TwfeBenchmarks
{
    private SyntheticPanel _panel = null!;

    [Params("3000", "100000", "1000000", "1000000u")]
    public string Rows { get; set; } = "3000";

    [GlobalSetup]
    public void Setup()
    {
        _panel = Rows switch
        {
            "3000" => new SyntheticPanel(275, 11, 0, 1),
            "100000" => new SyntheticPanel(5_000, 20, 0, 2),
            "1000000" => new SyntheticPanel(50_000, 20, 0, 3),
            "1000000u" => new SyntheticPanel(50_000, 25, 0.2, 4),
            _ => throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "unknown size"),
        };
    }

    [Benchmark]
    public int Demean()
    {
        var fe = FixedEffects.Absorb([_panel.Unit, _panel.Year]);
        var columns = new double[fe.N * 5];
        fe.Gather(_panel.Y, columns.AsSpan(0, fe.N));
        fe.Gather(_panel.D, columns.AsSpan(fe.N, fe.N));
        for (var j = 0; j < 3; j++)
            fe.Gather(_panel.X[j], columns.AsSpan((j + 2) * fe.N, fe.N));
        return fe.DemeanColumns(columns, 5);
    }

    [Benchmark]
    public double FitClustered()
    {
        var fit = Regression.Fit(_panel.Input());
        return Inference.Summarise(fit, VcovSpec.Cluster(_panel.Unit))["d"].Se;
    }
}
