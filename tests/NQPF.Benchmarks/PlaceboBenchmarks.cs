using System.Globalization;
using BenchmarkDotNet.Attributes;
using NQPF.Econometrics;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// The 1000-draw permutation placebo of y ~ treat_post + x1..x6 | unit + year, clustered by unit, on
/// timing_panel_275x11.csv with fixest's own assignments (expected/timing_permutations.csv). fixest 0.14.2 in a loop:
/// 11.8–17.6 s on one thread. Goal: at least 100× faster (≤ 0.118 s). Each draw gives coefficient, clustered SE, t, p.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PlaceboBenchmarks
{
    private Dictionary<string, double[]> _panel = null!;
    private int[][] _cohorts = null!;
    private RegressionInput _input = null!;
    private Factor _unit = null!;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _panel = ReadCsv(Path.Combine(ReferenceFiles.Root, "datasets", "timing_panel_275x11.csv"));
        var lines = File.ReadAllLines(Path.Combine(ReferenceFiles.Root, "expected", "timing_permutations.csv"));
        _cohorts = lines.Skip(1)
            .Select(l => l.Split(',').Skip(2).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        _unit = Factor.FromDoubles("unit", _panel["unit"]);
        var year = Factor.FromDoubles("year", _panel["year"]);
        string[] controls = ["x1", "x2", "x3", "x4", "x5", "x6"];
        _input = new RegressionInput("y", _panel["y"], controls.Select(c => new NamedColumn(c, _panel[c])).ToArray(), [_unit, year]);
    }

    [Benchmark]
    public double ThousandDraws()
    {
        var engine = PlaceboEngine.Create(_input, _unit, "treat_post");
        var unit = _panel["unit"];
        var year = _panel["year"];
        var draws = engine.Run(_cohorts.Length, (b, d) =>
        {
            var cohorts = _cohorts[b];
            for (var i = 0; i < d.Length; i++)
            {
                var c = cohorts[(int)unit[i] - 1];
                d[i] = c > 0 && year[i] >= c ? 1 : 0;
            }
        }, maxDegreeOfParallelism: Threads);
        return draws[^1].Se;
    }

    internal static Dictionary<string, double[]> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var columns = header.ToDictionary(h => h, _ => new double[lines.Length - 1]);
        for (var r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                var cell = cells[c].Trim('"');
                columns[header[c]][r - 1] = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
            }
        }
        return columns;
    }
}
