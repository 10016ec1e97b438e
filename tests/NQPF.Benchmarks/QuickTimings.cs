using System.Diagnostics;
using System.Globalization;

namespace NQPF.Benchmarks;

/// <summary>
/// One warm-up and one timed pass of each staggered benchmark, with the process's peak working set: a fast look while
/// working (BenchmarkDotNet gives the figures that are reported).
/// </summary>
internal static class QuickTimings
{
    public static void Run(int units, string[] only)
    {
        var bench = new StaggeredBenchmarks { Units = units };
        var sw = Stopwatch.StartNew();
        bench.Setup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup {units} units: {sw.Elapsed.TotalSeconds:F3} s"));
        (string Name, Func<double> Body)[] cases =
        [
            ("cs", bench.CallawaySantAnnaDrBootstrap),
            ("sa", bench.SunAbrahamNever),
            ("bjs", bench.ImputationBjs),
            ("bacon", bench.Bacon),
            ("event", bench.TwfeEventStudyAll),
        ];
        foreach (var (name, body) in cases)
        {
            if (only.Length > 0 && !only.Contains(name)) continue;
            sw.Restart();
            var first = body();
            var cold = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var second = body();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-6} first {cold:F3} s, warm {sw.Elapsed.TotalSeconds:F3} s, value {second:R} (first {first:R}), peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB"));
        }
    }
}
