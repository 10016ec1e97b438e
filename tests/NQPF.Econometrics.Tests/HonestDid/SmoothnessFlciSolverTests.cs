using NQPF.Econometrics.HonestDid;

namespace NQPF.Econometrics.Tests.HonestDid;

/// <summary>
/// The FLCI solver shared by a sensitivity table's M grid and breakdown search replays the frontier evaluations that
/// earlier M values already made; every interval must be the one a fresh solve gives, bit for bit.
/// </summary>
public sealed class SmoothnessFlciSolverTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interval_ManyMOnOneSolver_EqualsAFreshSolveForEachM(bool average)
    {
        var es = HonestDidTests.Mpdta();
        var l = es.Target(average ? SensitivityTarget.Average : SensitivityTarget.First);
        var solver = new SmoothnessFlci.Solver(es, l);
        // A grid, then a doubling-and-bisection run as the breakdown search makes one, with repeats and a value met
        // again after others (its whole sequence of frontier calls is then replayed).
        double[] ms = [0, 0.005, 0.01, 0.02, 0.0004, 0.0008, 0.0016, 0.0032, 0.0064, 0.0128, 0.0096, 0.008, 0.0088, 0.0084, 0.01, 0, 0.02];
        foreach (var m in ms)
        {
            var (lb, ub) = solver.Interval(m);
            var (freshLb, freshUb) = SmoothnessFlci.Interval(es, l, m);
            Assert.Equal(BitConverter.DoubleToInt64Bits(freshLb), BitConverter.DoubleToInt64Bits(lb));
            Assert.Equal(BitConverter.DoubleToInt64Bits(freshUb), BitConverter.DoubleToInt64Bits(ub));
        }
    }
}
