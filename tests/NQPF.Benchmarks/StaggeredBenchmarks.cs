using BenchmarkDotNet.Attributes;
using NQPF.Econometrics.Staggered;

namespace NQPF.Benchmarks;

/// <summary>
/// The staggered estimators in process, from the raw columns (panel construction included) to the result, on the
/// timing panels of timing_staggered.json. R anchors (one thread, same machine class) at 2,000 / 20,000 units:
/// CS dr + covariate x + 1000-draw multiplier bootstrap + dynamic aggregation 0.48–1.87 / 3.15 s (did 2.3.0);
/// sunab 0.08–0.36 / 1.82 s (fixest 0.14.2); did_imputation 0.39–0.47 / 18.9 s (didimputation 0.5.0); bacon 37.7–39.6 s
/// at 2,000 (bacondecomp 0.1.1; not run at 20,000). Goal: each at least 10× faster than its anchor at 20,000 units and
/// under 30 s at 200,000 (generated with the same DGP, <see cref="StaggeredData"/>).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class StaggeredBenchmarks
{
    private StaggeredData _data = null!;

    [Params(2_000, 20_000, 200_000)]
    public int Units { get; set; } = 2_000;

    [GlobalSetup]
    public void Setup() => _data = StaggeredData.Load(Units);

    [Benchmark]
    public double CallawaySantAnnaDrBootstrap()
    {
        var panel = _data.Panel(withCovariate: true).Balance();
        var settings = new CsSettings { Method = CsMethod.Dr, Covariates = ["x"] };
        var cs = CallawaySantAnna.Estimate(panel, settings, new BootstrapSettings(1000, 1));
        return CsAggregation.Aggregate(cs, CsAggregationType.Dynamic, bootstrap: new BootstrapSettings(1000, 3)).Att;
    }

    [Benchmark]
    public double SunAbrahamNever() => SunAbraham.Estimate(_data.Panel(false)).Att;

    [Benchmark]
    public double ImputationBjs() => Imputation.Estimate(_data.Panel(false)).Att;

    [Benchmark]
    public double Bacon() => BaconDecomposition.Decompose(_data.Panel(false).Balance()).TwfeEstimate;

    [Benchmark]
    public double TwfeEventStudyAll() => TwfeEventStudy.Estimate(_data.Panel(false)).Att;
}
