using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using NQPF.Econometrics.HonestDid;

namespace NQPF.Benchmarks;

/// <summary>
/// The Rambachan–Roth sensitivity table of the robustness stage for one treatment: C-LF sets over the default M̄ grid
/// and their breakdown search (both targets), and the smoothness FLCIs likewise, on the broadband event study of a cold
/// default run (β̂ and its clustered covariance as the robustness stage hands them over; 4 pre periods, 6 post).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SensitivityBenchmarks
{
    private static readonly double[] Betahat =
    [
        0.0026648515914897515, 0.0036974602178415084, 0.00031372959418990063, -0.0008485848134324102, 0.006913607163792047,
        0.011658445389624955, 0.014867542365057579, 0.016965324333395287, 0.018796273789984826, 0.01981992964619134,
    ];

    private static readonly double[] Sigma =
    [
        6.8938111923011786E-06, 3.336154573735882E-06, 1.1209388791914416E-06, 1.4538699239896035E-07, -8.462190753322081E-08,
        4.4979756427094484E-08, 2.622795415369678E-07, 3.6347220603068204E-07, 6.680295208675888E-07, 1.532814904767426E-06,
        3.336154573735883E-06, 2.7194302872975907E-06, 7.948759292949123E-07, 1.9761108093047467E-07, 2.3118694845340645E-07,
        3.674732158853685E-07, 5.035975828506955E-07, 5.018782816151171E-07, 7.706136097393421E-07, 1.211986449153947E-06,
        1.1209388791914413E-06, 7.948759292949119E-07, 5.670672663716407E-07, 2.2174661096086731E-07, -1.613439500325787E-08,
        -2.7318538312844803E-08, -1.351003274249453E-08, -7.804773167829151E-09, 5.942684055685432E-08, 1.4630196219103653E-07,
        1.4538699239895996E-07, 1.9761108093047502E-07, 2.217466109608669E-07, 2.5891209876870614E-07, -2.1041267140420727E-08,
        -8.600525759030508E-08, -8.248295803902787E-08, -7.627734663428831E-08, -4.784160189414654E-08, -8.08918560354536E-08,
        -8.462190753322112E-08, 2.3118694845340675E-07, -1.61343950032576E-08, -2.104126714042089E-08, 5.017149882052676E-07,
        6.170647427513089E-07, 7.695447854904022E-07, 7.429670688782906E-07, 7.848374103597139E-07, 7.740173163123455E-07,
        4.497975642709532E-08, 3.6747321588536903E-07, -2.731853831284395E-08, -8.600525759030516E-08, 6.17064742751309E-07,
        1.116773395782617E-06, 1.2947458340664282E-06, 1.2798859727551294E-06, 1.3187304412990426E-06, 1.3043386176328214E-06,
        2.622795415369686E-07, 5.035975828506966E-07, -1.3510032742492225E-08, -8.248295803902698E-08, 7.695447854904035E-07,
        1.2947458340664289E-06, 1.9172158779201856E-06, 1.9694790513829443E-06, 2.0659589487365442E-06, 2.095451811925126E-06,
        3.6347220603068146E-07, 5.018782816151165E-07, -7.804773167830086E-09, -7.62773466342892E-08, 7.42967068878289E-07,
        1.2798859727551292E-06, 1.969479051382942E-06, 2.3132825675445553E-06, 2.412419435765054E-06, 2.5432234689424182E-06,
        6.680295208675896E-07, 7.706136097393417E-07, 5.942684055685513E-08, -4.784160189414726E-08, 7.848374103597142E-07,
        1.3187304412990422E-06, 2.065958948736543E-06, 2.4124194357650557E-06, 2.7606792681768574E-06, 2.974177814208739E-06,
        1.5328149047674248E-06, 1.2119864491539468E-06, 1.4630196219103666E-07, -8.089185603545443E-08, 7.740173163123447E-07,
        1.3043386176328202E-06, 2.095451811925124E-06, 2.5432234689424204E-06, 2.9741778142087386E-06, 3.755052039687239E-06,
    ];

    internal static EventStudyEstimates DefaultData() => new EventStudyEstimates(Betahat, Sigma, 4, 6).Validate();

    private readonly EventStudyEstimates _es = DefaultData();

    [Benchmark]
    public int RelativeMagnitudesGrid() => Table(SensitivityRestriction.RelativeMagnitudes).Rows.Count;

    [Benchmark]
    public int SmoothnessGrid() => Table(SensitivityRestriction.Smoothness).Rows.Count;

    private SensitivityResult Table(SensitivityRestriction restriction)
    {
        var firstSe = Math.Sqrt(_es.SigmaAt(4, 4));
        return SensitivityAnalysis.Run(_es, restriction, restriction == SensitivityRestriction.RelativeMagnitudes
            ? SensitivityAnalysis.DefaultMbar
            : [0, 0.25 * firstSe, 0.5 * firstSe, firstSe]);
    }

    /// <summary>Three timed passes (CPU and wall; the first includes JIT) of each table, printed in full for a before/after comparison.</summary>
    public static void Quick()
    {
        var process = Process.GetCurrentProcess();
        var bench = new SensitivityBenchmarks();
        foreach (var restriction in new[] { SensitivityRestriction.RelativeMagnitudes, SensitivityRestriction.Smoothness })
        {
            SensitivityResult result = null!;
            for (var pass = 1; pass <= 3; pass++)
            {
                process.Refresh();
                var c0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                result = bench.Table(restriction);
                process.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{restriction} pass {pass}: wall {sw.Elapsed.TotalMilliseconds:F0} ms, cpu {(process.TotalProcessorTime - c0).TotalMilliseconds:F0} ms"));
            }
            foreach (var r in result.Rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Method} {r.Target} {r.Parameter:R} {r.Lb:R} {r.Ub:R}"));
            foreach (var b in result.Breakdowns)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"breakdown {b.Target} {b.Value:R}"));
        }
    }
}
