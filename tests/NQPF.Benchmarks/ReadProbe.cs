using System.Diagnostics;
using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;
using NQPF.Econometrics.Staggered;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Files;
using NQPF.Stages.Analysis;
using NQPF.Stages;
using NQPF.Stages.Estimate;

namespace NQPF.Benchmarks;

/// <summary>
/// Minimum CPU and wall time over five passes of each step between a 1M-row CSV and the estimate verb's fit (see
/// <see cref="LargePanelFiles"/>), and the process's peak working set: where the whole process spends its time.
/// </summary>
internal static class ReadProbe
{
    public static void Run(string directory, string[] only)
    {
        var csv = LargePanelFiles.Write(directory);
        var parquet = Path.ChangeExtension(csv, ".parquet");
        var frame = TableFiles.ReadAsync(csv, CancellationToken.None).GetAwaiter().GetResult();
        var spec = new ModelSpec("y", ["d", "x1", "x2", "x3"], ["unit", "year"], ["unit"]);
        var placebo = new PlaceboAnalysisSpec("y", ["x1", "x2", "x3"], ["unit", "year"], "unit", "unit", "year", "cohort", PlaceboKind.Unit, 1, 1);
        var permutations = NQPF.Tests.Shared.ReferenceFiles.Expected("timing_permutations.csv");
        var assignments = TableFiles.ReadAsync(permutations, CancellationToken.None).GetAwaiter().GetResult();
        var timing = TableFiles.ReadAsync(NQPF.Tests.Shared.ReferenceFiles.Dataset("timing_panel_275x11.csv"), CancellationToken.None).GetAwaiter().GetResult();
        var timingSpec = placebo with { Controls = ["x1", "x2", "x3", "x4", "x5", "x6"] };
        (string, Action)[] steps =
        [
            ("read bytes", () => File.ReadAllBytes(csv)),
            ("csv scan", () => CsvColumns.Scan(csv)),
            ("csv tokenise", () => { using var r = new Utf8CsvRecords(csv, 0, new FileInfo(csv).Length, (byte)',', new NQPF.Stages.Common.ReadLimits()); while (r.MoveNext()) { } }),
            ("csv → frame", () => TableFiles.ReadAsync(csv, CancellationToken.None).GetAwaiter().GetResult()),
            ("parquet → frame", () => TableFiles.ReadAsync(parquet, CancellationToken.None).GetAwaiter().GetResult()),
            ("factor unit", () => FrameRegression.ToFactor(frame, "unit", Enumerable.Repeat(true, frame.RowCount).ToArray())),
            ("estimate", () => FrameRegression.Estimate(frame, spec)),
            ("did unit keys", () => FrameColumns.Strings(frame, "unit", csv)),
            ("did panel", () => StaggeredPanel.Create(FrameColumns.Strings(frame, "unit", csv)!, FrameColumns.Longs(frame, "year", csv),
                FrameColumns.Longs(frame, "cohort", csv, 0), frame.Doubles("y"))),
            ("did event", () => DidAnalysis.Run(frame, Did(csv, "event"))),
            ("placebo 1 draw", () => PlaceboAnalysis.Run(frame, placebo)),
            ("timing: read 1000 assignments", () => TableFiles.ReadAsync(permutations, CancellationToken.None).GetAwaiter().GetResult()),
            ("timing: 1000 draws", () => PlaceboAnalysis.Run(timing, timingSpec, new AssignmentTable(assignments, "timing_permutations.csv"))),
        ];
        Probe.Report(only.Length == 0 ? steps : steps.Where(s => only.Any(o => s.Item1.StartsWith(o, StringComparison.Ordinal))).ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB"));
    }

    internal static DidRequest Did(string path, string estimator) => new(path, "unit", "year", "cohort", "y", estimator,
        ControlGroup.NeverTreated, BasePeriod.Varying, 0, [], CsMethod.Dr, null, null, null, 1, null);
}
