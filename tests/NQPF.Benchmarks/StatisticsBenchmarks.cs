using BenchmarkDotNet.Attributes;
using NQPF.Econometrics.CompositeIndex;
using NQPF.Econometrics.Staggered;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// Callaway–Sant'Anna on mpdta with a 1000-draw multiplier bootstrap (goal: under 0.5 s), and the entropy index on
/// the study's shape (3,025 city-years × 17 indicators, seeded random data): fit and score.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class StatisticsBenchmarks
{
    private BalancedPanel _mpdta = null!;
    private Indicator[] _indicators = null!;
    private double[][] _columns = null!;

    [GlobalSetup]
    public void Setup()
    {
        var c = PlaceboBenchmarks.ReadCsv(Path.Combine(ReferenceFiles.Root, "datasets", "mpdta.csv"));
        var units = c["countyreal"].Select(v => ((long)v).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _mpdta = StaggeredPanel.Create(units, c["year"].Select(v => (long)v).ToArray(),
            c["first.treat"].Select(v => (long)v).ToArray(), c["lemp"]).Balance();

        var rng = new Random(20250101);
        _indicators = Enumerable.Range(0, 17)
            .Select(j => new Indicator("i" + j, j % 5 == 4 ? IndicatorDirection.Negative : IndicatorDirection.Positive, "d" + j % 3))
            .ToArray();
        _columns = Enumerable.Range(0, 17).Select(_ => Enumerable.Range(0, 3025).Select(_ => rng.NextDouble() * 100).ToArray()).ToArray();
    }

    [Benchmark]
    public int CallawaySantAnnaBootstrap1000() =>
        CallawaySantAnna.Estimate(_mpdta, new CsSettings(), new BootstrapSettings(1000, 20240601)).Cells.Count;

    [Benchmark]
    public IndexScores EntropyIndexFitAndScore() => EntropyIndex.Fit(_indicators, _columns).Score(_columns);
}
