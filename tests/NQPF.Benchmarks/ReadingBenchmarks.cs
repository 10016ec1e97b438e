using BenchmarkDotNet.Attributes;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// Reading a 1M-row analysis table (<see cref="LargePanelFiles"/>: 50,000 units × 20 years, 91 MB of CSV) and the
/// estimate, did and placebo verbs on it, run in process through the CLI's own entry (all of a verb but the runtime's
/// start). R anchor, one warm session on the same machine class: data.table fread 0.31 s + fixest feols 0.83 s = 1.14 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReadingBenchmarks
{
    internal static readonly string Directory = Path.Combine(Path.GetTempPath(), "nqpf-benchmarks");
    private string _csv = null!;
    private string _parquet = null!;

    [Params("csv", "parquet")]
    public string Format { get; set; } = "csv";

    [GlobalSetup]
    public void Setup()
    {
        _csv = LargePanelFiles.Write(Directory);
        _parquet = Path.ChangeExtension(_csv, ".parquet");
    }

    private string Data => Format == "csv" ? _csv : _parquet;

    [Benchmark]
    public int ReadTable() => TableFiles.ReadAsync(Data, CancellationToken.None, ["y", "d", "x1", "x2", "x3", "unit", "year"]).GetAwaiter().GetResult().RowCount;

    [Benchmark]
    public int EstimateVerb() => Verb("estimate", "--data", Data, "--y", "y", "--x", "d,x1,x2,x3", "--fe", "unit,year", "--cluster", "unit");

    [Benchmark]
    public int DidEventVerb() => Verb("did", "--data", Data, "--unit", "unit", "--time", "year", "--cohort", "cohort", "--y", "y", "--estimator", "event");

    [Benchmark]
    public int PlaceboVerbOneDraw() => Verb("placebo", "--data", Data, "--y", "y", "--x", "x1,x2,x3", "--fe", "unit,year", "--cluster", "unit",
        "--unit", "unit", "--time", "year", "--cohort", "cohort", "--draws", "1");

    internal static int Verb(params string[] args)
    {
        var code = CommandCatalog.RunAsync(args, null, TextWriter.Null, TextWriter.Null).GetAwaiter().GetResult();
        return code == 0 ? code : throw new InvalidOperationException($"{string.Join(' ', args)} exited with {code}.");
    }
}

/// <summary>
/// The general CSV path the fast reader short-cuts (SheetReader's text cells, then typed columns) on the same 1M-row
/// file; and the placebo verb in process as in fixest's timing (expected/timing.json: a 1000-draw loop of
/// 13.2–15.0 s): the 275 × 11 panel with fixest's 1000 assignments and with the first assignment only, whose
/// difference is the marginal cost of 1000 draws.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ReadingBaselineBenchmarks
{
    private string _csv = null!;
    private string _oneAssignment = null!;

    [GlobalSetup]
    public void Setup()
    {
        _csv = LargePanelFiles.Write(ReadingBenchmarks.Directory);
        _oneAssignment = Path.Combine(ReadingBenchmarks.Directory, "timing_permutations_1.csv");
        File.WriteAllLines(_oneAssignment, File.ReadLines(ReferenceFiles.Expected("timing_permutations.csv")).Take(2));
    }

    /// <summary>SheetReader text cells, then typed columns.</summary>
    [Benchmark]
    public int ReadTableGeneralPath()
    {
        var limits = new ReadLimits { MaxFileBytes = 2L << 30, MaxRows = 20_000_000, MaxColumns = 10_000 };
        return TableFiles.FromSheet(new SheetReader().Read("panel.csv", File.ReadAllBytes(_csv), limits).Sheets[0], "panel.csv").RowCount;
    }

    [Benchmark]
    public int TimingPlacebo1000Assignments() => TimingPlacebo(ReferenceFiles.Expected("timing_permutations.csv"));

    [Benchmark]
    public int TimingPlaceboOneAssignment() => TimingPlacebo(_oneAssignment);

    private int TimingPlacebo(string assignments) => ReadingBenchmarks.Verb("placebo", "--data", ReferenceFiles.Dataset("timing_panel_275x11.csv"),
        "--y", "y", "--x", "x1,x2,x3,x4,x5,x6", "--fe", "unit,year", "--cluster", "unit", "--unit", "unit", "--time", "year", "--cohort", "cohort",
        "--assignments", assignments, "--json");
}
