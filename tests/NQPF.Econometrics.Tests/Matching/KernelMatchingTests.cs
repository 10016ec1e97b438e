using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

public class KernelMatchingTests
{
    // Hand computation, bandwidth 0.1: treated at 0.50; controls at 0.45 (u = −0.5, K = 0.5625), 0.52 (u = 0.2, K = 0.72),
    // 0.70 (u = 2, K = 0). Shares 0.5625/1.2825 and 0.72/1.2825. Control weights then rescaled to sum to 2 (two used controls).
    [Fact]
    public void Epanechnikov_HandCase_SharesAreNormalisedKernelValues()
    {
        double[] d = [0.50, 0.45, 0.52, 0.70];
        bool[] t = [true, false, false, false];
        var r = KernelMatching.Epanechnikov(d, t, 0.1);
        Assert.Equal(2, r.Pairs.Count);
        Assert.Equal(0.5625 / 1.2825, r.Pairs.Single(p => p.Control == 1).Share, 1e-14);
        Assert.Equal(0.72 / 1.2825, r.Pairs.Single(p => p.Control == 2).Share, 1e-14);
        Assert.Equal(1.0, r.Weights[0]);
        Assert.Equal(2 * 0.5625 / 1.2825, r.Weights[1], 1e-14);
        Assert.Equal(2 * 0.72 / 1.2825, r.Weights[2], 1e-14);
        Assert.Equal(0.0, r.Weights[3]);
    }

    [Fact]
    public void Epanechnikov_NoControlInBandwidth_TreatedUnmatched()
    {
        var r = KernelMatching.Epanechnikov([0.9, 0.1], [true, false], 0.06);
        Assert.Empty(r.Pairs);
        Assert.Equal([0.0, 0.0], r.Weights);
    }

    // Hand computation, raw radius 0.05: treated 0.50 takes 0.47 and 0.53 (1/2 each), treated 0.80 takes 0.78 only.
    [Fact]
    public void Radius_RawWidth_MatchesAllControlsWithinRadius()
    {
        double[] d = [0.50, 0.80, 0.47, 0.53, 0.78, 0.60];
        bool[] t = [true, true, false, false, false, false];
        var r = KernelMatching.Radius(d, t, new Caliper(0.05, InStandardDeviations: false));
        Assert.Equal([(0, 2, 0.5), (0, 3, 0.5), (1, 4, 1.0)], r.Pairs.Select(p => (p.Treated, p.Control, p.Share)).OrderBy(x => x).ToArray());
        // raw control weights 0.5, 0.5, 1 over 3 used controls: scaled by 3/2.
        Assert.Equal([1.0, 1.0, 0.75, 0.75, 1.5, 0.0], r.Weights);
    }
}
