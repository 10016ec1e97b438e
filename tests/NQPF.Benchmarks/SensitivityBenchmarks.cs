using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using NQPF.Econometrics.HonestDid;

namespace NQPF.Benchmarks;

/// <summary>
/// The Rambachan–Roth sensitivity tables of the robustness stage: C-LF sets over the default M̄ grid and their breakdown
/// search (both targets), and the smoothness FLCIs likewise, on the broadband (bb) and innovative-cluster (cl) event
/// studies of a cold default run (β̂ and its clustered covariance as the robustness stage hands them over, printed with
/// "R"; 4 pre periods, 6 post).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SensitivityBenchmarks
{
    private static readonly double[] BroadbandBetahat =
    [
        0.004610258075316462, 0.00517785001885176, 0.0006858523389261508, -0.0007291468942796402, 0.01335143751058205,
        0.01939560787842798, 0.022082074075268653, 0.023023687578888515, 0.023838328496619474, 0.023877209699402997,
    ];

    private static readonly double[] BroadbandSigma =
    [
        1.56122878937193E-05, 8.837757848728429E-06, 2.581305852823803E-06, 3.936472628075279E-08, 8.017437986016467E-07,
        1.6638803825591873E-06, 2.7211540961799782E-06, 3.0258589707344607E-06, 3.87133485817366E-06, 5.897051354184253E-06,
        8.837757848728417E-06, 7.096403243356333E-06, 1.763256733560915E-06, 7.848192641153788E-08, 1.631940781806477E-06,
        2.6856558219193074E-06, 3.3070546942820758E-06, 3.445634173997036E-06, 3.8628831084348625E-06, 4.996670975413092E-06,
        2.581305852823802E-06, 1.7632567335609209E-06, 7.945762053484541E-07, 2.2966196970535155E-07, -3.718215454476864E-08,
        6.274748871470218E-08, 1.8594259234871623E-07, 2.3759187344273035E-07, 3.5923372827773055E-07, 6.523978213277594E-07,
        3.9364726280750335E-08, 7.848192641153941E-08, 2.2966196970534525E-07, 2.6410188082738256E-07, -3.1485107762973684E-07,
        -4.243156108239868E-07, -4.6652111515942726E-07, -4.337612522502451E-07, -4.354502856577484E-07, -4.3212351438331393E-07,
        8.017437986016409E-07, 1.6319407818064772E-06, -3.7182154544773804E-08, -3.1485107762973933E-07, 2.8621172870254294E-06,
        4.030022655713162E-06, 4.514610255193864E-06, 4.498686944416075E-06, 4.451957442656721E-06, 4.361289282577532E-06,
        1.6638803825591818E-06, 2.6856558219193074E-06, 6.274748871469713E-08, -4.243156108239871E-07, 4.030022655713165E-06,
        5.8968883413971155E-06, 6.610187823150023E-06, 6.596149285814858E-06, 6.55256673484572E-06, 6.495181349678083E-06,
        2.7211540961799744E-06, 3.307054694282076E-06, 1.8594259234870998E-07, -4.6652111515942774E-07, 4.514610255193863E-06,
        6.610187823150018E-06, 7.863234815489297E-06, 7.966581597783569E-06, 8.020286912420506E-06, 8.11562617126377E-06,
        3.0258589707344573E-06, 3.4456341739970356E-06, 2.3759187344272323E-07, -4.3376125225024437E-07, 4.498686944416075E-06,
        6.596149285814856E-06, 7.966581597783566E-06, 8.296984568834811E-06, 8.383901564442299E-06, 8.606245080455931E-06,
        3.8713348581736576E-06, 3.862883108434869E-06, 3.592337282777317E-07, -4.3545028565774366E-07, 4.451957442656728E-06,
        6.552566734845722E-06, 8.02028691242051E-06, 8.383901564442306E-06, 8.654375103367252E-06, 9.058925944670919E-06,
        5.897051354184244E-06, 4.996670975413093E-06, 6.523978213277532E-07, -4.321235143833164E-07, 4.36128928257753E-06,
        6.495181349678082E-06, 8.115626171263769E-06, 8.606245080455928E-06, 9.05892594467091E-06, 1.0063692558264809E-05,
    ];

    private static readonly double[] ClusterBetahat =
    [
        0.010361180906917181, 0.009110360055199298, 0.0010453236629158387, -0.0005062553502609507, 0.01891177287269513,
        0.030541161433376054, 0.03615530301661548, 0.03946827350580994, 0.03976426591125725, 0.04938556655462912,
    ];

    private static readonly double[] ClusterSigma =
    [
        1.5700201027773985E-05, 1.4418564882822985E-05, 7.048537364213501E-06, 1.2679717224458903E-06, 2.538968662804555E-06,
        7.80323223541696E-06, 1.0958887161834693E-05, 1.2317333489845986E-05, 1.2912214081222936E-05, 1.8730227266982572E-05,
        1.4418564882822982E-05, 1.3477535278978106E-05, 6.167884925477847E-06, 1.0883923477211741E-06, 2.799583388404061E-06,
        7.816831988489224E-06, 1.0842503692786121E-05, 1.2122772927044835E-05, 1.2722104587094772E-05, 1.7969572723329228E-05,
        7.048537364213505E-06, 6.167884925477847E-06, 7.691273850385544E-06, 8.68952597959335E-07, -5.660163776166658E-07,
        3.633700895064858E-06, 4.8886706946323415E-06, 5.527860080891052E-06, 5.646126434210689E-06, 9.601243537268866E-06,
        1.2679717224458888E-06, 1.0883923477211847E-06, 8.689525979593404E-07, 4.3015982036393513E-07, -2.037620745555629E-07,
        1.0745375957178389E-07, 5.491644394591796E-07, 6.107048493885484E-07, 6.502543188864911E-07, 1.3164002406812748E-06,
        2.5389686628045638E-06, 2.7995833884040734E-06, -5.660163776166632E-07, -2.0376207455556192E-07, 4.5140165257223844E-06,
        6.118286772585342E-06, 6.729494362251863E-06, 7.0253923730791085E-06, 7.166334408639235E-06, 7.808232510294274E-06,
        7.803232235416956E-06, 7.816831988489224E-06, 3.6337008950648577E-06, 1.0745375957176623E-07, 6.118286772585333E-06,
        1.3391343963597569E-05, 1.5650244203591723E-05, 1.6324880655642104E-05, 1.6661137038520866E-05, 1.9707370469882158E-05,
        1.0958887161834688E-05, 1.0842503692786121E-05, 4.888670694632338E-06, 5.491644394591658E-07, 6.729494362251854E-06,
        1.5650244203591723E-05, 2.077122262714259E-05, 2.226230324850507E-05, 2.2944769204634513E-05, 2.82606542474008E-05,
        1.2317333489846006E-05, 1.2122772927044852E-05, 5.5278600808910635E-06, 6.107048493885666E-07, 7.025392373079126E-06,
        1.6324880655642125E-05, 2.226230324850509E-05, 2.4552102477950775E-05, 2.5417657017955704E-05, 3.190049259323653E-05,
        1.291221408122293E-05, 1.2722104587094769E-05, 5.646126434210682E-06, 6.502543188864908E-07, 7.1663344086392284E-06,
        1.6661137038520863E-05, 2.294476920463451E-05, 2.541765701795568E-05, 2.6569151816761906E-05, 3.332007829120843E-05,
        1.873022726698258E-05, 1.7969572723329252E-05, 9.601243537268888E-06, 1.316400240681295E-06, 7.808232510294294E-06,
        1.970737046988219E-05, 2.826065424740082E-05, 3.1900492593236535E-05, 3.332007829120845E-05, 4.778193550681875E-05,
    ];

    /// <summary>The event study of a treatment ("bb" broadband, "cl" innovative clusters) in a cold default run.</summary>
    internal static EventStudyEstimates DefaultData(string treatment) => treatment switch
    {
        "bb" => new EventStudyEstimates(BroadbandBetahat, BroadbandSigma, 4, 6).Validate(),
        "cl" => new EventStudyEstimates(ClusterBetahat, ClusterSigma, 4, 6).Validate(),
        _ => throw new ArgumentOutOfRangeException(nameof(treatment), treatment, "Expected bb or cl."),
    };

    [Params("bb", "cl")]
    public string Treatment { get; set; } = "bb";

    [Benchmark]
    public int RelativeMagnitudesGrid() => Table(DefaultData(Treatment), SensitivityRestriction.RelativeMagnitudes).Rows.Count;

    [Benchmark]
    public int SmoothnessGrid() => Table(DefaultData(Treatment), SensitivityRestriction.Smoothness).Rows.Count;

    /// <summary>One table with the stage's grids (M̄ default; M = 0, ¼, ½, 1 × the first post-period SE).</summary>
    private static SensitivityResult Table(EventStudyEstimates es, SensitivityRestriction restriction)
    {
        var firstSe = Math.Sqrt(es.SigmaAt(es.PrePeriods, es.PrePeriods));
        return SensitivityAnalysis.Run(es, restriction, restriction == SensitivityRestriction.RelativeMagnitudes
            ? SensitivityAnalysis.DefaultMbar
            : [0, 0.25 * firstSe, 0.5 * firstSe, firstSe]);
    }

    /// <summary>
    /// Three timed passes (CPU and wall; the first includes JIT and the folded-normal draws) of each of the four tables,
    /// one after the other, each printed in full for a before/after comparison.
    /// </summary>
    public static void Quick()
    {
        var process = Process.GetCurrentProcess();
        foreach (var treatment in new[] { "bb", "cl" })
            foreach (var restriction in new[] { SensitivityRestriction.RelativeMagnitudes, SensitivityRestriction.Smoothness })
            {
                SensitivityResult result = null!;
                for (var pass = 1; pass <= 3; pass++)
                {
                    process.Refresh();
                    var c0 = process.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    result = Table(DefaultData(treatment), restriction);
                    process.Refresh();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{treatment} {restriction} pass {pass}: wall {sw.Elapsed.TotalMilliseconds:F0} ms, cpu {(process.TotalProcessorTime - c0).TotalMilliseconds:F0} ms"));
                }
                foreach (var r in result.Rows)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{treatment} {r.Method} {r.Target} {r.Parameter:R} {r.Lb:R} {r.Ub:R}"));
                foreach (var b in result.Breakdowns)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{treatment} breakdown {b.Restriction} {b.Target} {b.Value:R}"));
            }
    }
}
