using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.Tests.Placebo;

public class PlaceboInferenceTests
{
    // Hand case: |β̂| = 0.5; finite draws 0.1, −0.6, 0.5, 0.2 (B = 4, one NaN); |β*| ≥ 0.5 for −0.6 and 0.5 → p = 3/5.
    [Fact]
    public void Summarise_HandCase_EmpiricalPValueCountsTiesAndSkipsNaN()
    {
        var s = PlaceboInference.Summarise(0.5, [0.1, -0.6, 0.5, double.NaN, 0.2], [0.5, 0.01, 0.04, double.NaN, 0.3]);
        Assert.Equal(4, s.Draws);
        Assert.Equal(1, s.Failed);
        Assert.Equal(2, s.AsExtreme);
        Assert.Equal(0.6, s.PValue, 1e-15);
        Assert.Equal(0.05, s.Mean, 1e-15);
        Assert.Equal(0.5, s.ShareSignificant, 1e-15);
    }

    // R: quantile(c(1, 2, 3, 4), c(0.25, 0.5, 0.975)) = 1.75, 2.5, 3.925 (type 7).
    [Fact]
    public void Quantile_Type7_MatchesR()
    {
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1.75, PlaceboInference.Quantile(x, 0.25), 1e-15);
        Assert.Equal(2.5, PlaceboInference.Quantile(x, 0.5), 1e-15);
        Assert.Equal(3.925, PlaceboInference.Quantile(x, 0.975), 1e-15);
    }

    // The density integrates to 1 (trapezoid rule over ±3h covers 99.7% of every kernel).
    [Fact]
    public void KernelDensity_Integrates_ToAboutOne()
    {
        var values = Enumerable.Range(0, 200).Select(i => Math.Sin(i * 1.7) + 0.01 * i).ToArray();
        var (gx, gy) = PlaceboInference.KernelDensity(values);
        var area = 0.0;
        for (var k = 1; k < gx.Length; k++) area += (gx[k] - gx[k - 1]) * (gy[k] + gy[k - 1]) / 2;
        Assert.InRange(area, 0.995, 1.0005);
    }
}
