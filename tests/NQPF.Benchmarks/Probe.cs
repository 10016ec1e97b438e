using System.Diagnostics;
using System.Globalization;
using NQPF.Econometrics.Staggered;

namespace NQPF.Benchmarks;

/// <summary>Minimum CPU and wall time over several passes (seven by default) of each step (or of the steps whose name starts with a prefix) of the staggered estimators (a shared machine's load inflates wall time).</summary>
internal static class Probe
{
    public static void Run(int units, string? only = null, int passes = 7)
    {
        var data = StaggeredData.Load(units);
        var settings = new CsSettings { Method = CsMethod.Dr, Covariates = ["x"] };
        var panelX = data.Panel(true);
        var balanced = panelX.Balance();
        var panel = data.Panel(false);
        var cs = CallawaySantAnna.Estimate(balanced, settings);
        var whole = new StaggeredBenchmarks { Units = units };
        whole.Setup();
        (string, Action)[] steps =
        [
            // The BenchmarkDotNet bodies: raw columns to result, panel construction included.
            ("whole cs", () => whole.CallawaySantAnnaDrBootstrap()),
            ("whole sa", () => whole.SunAbrahamNever()),
            ("whole bjs", () => whole.ImputationBjs()),
            ("whole bacon", () => whole.Bacon()),
            ("whole event", () => whole.TwfeEventStudyAll()),
            ("panel", () => data.Panel(true)),
            ("balance", () => panelX.Balance()),
            ("cs noboot", () => CallawaySantAnna.Estimate(balanced, settings)),
            ("cs boot", () => CallawaySantAnna.Estimate(balanced, settings, new BootstrapSettings(1000, 1))),
            ("mboot cells", () => MultiplierBootstrap.Run(cs.Influence, cs.UnitCount, cs.Cells.Count, cs.Cells.Count, new BootstrapSettings(1000, 1), cs.Clusters)),
            ("agg dyn boot", () => CsAggregation.Aggregate(cs, CsAggregationType.Dynamic, bootstrap: new BootstrapSettings(1000, 3))),
            ("sa", () => SunAbraham.Estimate(panel)),
            ("event", () => TwfeEventStudy.Estimate(panel)),
            ("bjs", () => Imputation.Estimate(panel)),
            ("bacon", () => BaconDecomposition.Decompose(panel.Balance())),
        ];
        Report(steps);
    }

    /// <summary>Prints each step's minimum CPU (all threads) and wall time over five passes.</summary>
    public static void Report((string Name, Action Step)[] steps)
    {
        var process = Process.GetCurrentProcess();
        foreach (var (name, step) in steps)
        {
            if (only is not null && !name.StartsWith(only, StringComparison.Ordinal)) continue;
            double cpu = double.MaxValue, wall = double.MaxValue;
            for (int rep = 0; rep < passes; rep++)
            {
                process.Refresh();
                var c0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                step();
                wall = Math.Min(wall, sw.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu = Math.Min(cpu, (process.TotalProcessorTime - c0).TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} min cpu {cpu,6:F0} ms  min wall {wall,6:F0} ms"));
        }
    }
}
