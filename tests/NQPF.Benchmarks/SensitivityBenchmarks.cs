using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using NQPF.Econometrics.HonestDid;

namespace NQPF.Benchmarks;

/// <summary>
/// The Rambachan–Roth sensitivity table of the robustness stage for one treatment: C-LF sets over the default M̄ grid
/// and their breakdown search (both targets), on an event study shaped like the default data's (4 pre periods, 6 post;
/// the broadband estimates and SEs of a cold run, correlations 0.5^|i−j|).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SensitivityBenchmarks
{
    private static readonly double[] Estimates =
        [0.002665, 0.003697, 0.000314, -0.000849, 0.006914, 0.011658, 0.014868, 0.016965, 0.018796, 0.019820];

    private static readonly double[] Ses =
        [0.002626, 0.001649, 0.000753, 0.000509, 0.000708, 0.001057, 0.001385, 0.001521, 0.001662, 0.001938];

    internal static EventStudyEstimates DefaultShaped()
    {
        var p = Estimates.Length;
        var sigma = new double[p * p];
        for (var i = 0; i < p; i++)
            for (var j = 0; j < p; j++) sigma[i * p + j] = Ses[i] * Ses[j] * Math.Pow(0.5, Math.Abs(i - j));
        return new EventStudyEstimates(Estimates, sigma, 4, 6).Validate();
    }

    private readonly EventStudyEstimates _es = DefaultShaped();

    [Benchmark]
    public int RelativeMagnitudesGrid() => Table().Rows.Count;

    private SensitivityResult Table() =>
        SensitivityAnalysis.Run(_es, SensitivityRestriction.RelativeMagnitudes, SensitivityAnalysis.DefaultMbar);

    /// <summary>One timed pass (CPU and wall) printing the table, for a quick before/after comparison.</summary>
    public static void Quick()
    {
        var process = Process.GetCurrentProcess();
        var c0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = new SensitivityBenchmarks().Table();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sensitivity grid: wall {sw.Elapsed.TotalMilliseconds:F0} ms, cpu {(process.TotalProcessorTime - c0).TotalMilliseconds:F0} ms"));
        foreach (var r in result.Rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Method} {r.Target} {r.Parameter:R} {r.Lb:R} {r.Ub:R}"));
        foreach (var b in result.Breakdowns)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"breakdown {b.Target} {b.Value:R}"));
    }
}
