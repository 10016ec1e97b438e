using NQPF.Stages.Clean;

namespace NQPF.Stages.Tests.Clean;

public sealed class TransformsTests
{
    [Theory]
    // R 4.x, type 7 (default): quantile(c(1,2,3,4,10), 0.9) = 7.6; quantile(1:10, 0.01) = 1.09; quantile(c(3,1,2), 0.5) = 2.
    [InlineData(new double[] { 1, 2, 3, 4, 10 }, 0.9, 7.6)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.01, 1.09)]
    [InlineData(new double[] { 3, 1, 2 }, 0.5, 2)]
    public void Quantile_Type7_MatchesR(double[] x, double p, double expected) =>
        Assert.Equal(expected, Transforms.Quantile(x, p), 1e-12);

    [Fact]
    public void Winsorise_Pooled_CutsAtQuantiles()
    {
        double[] x = [1, 2, 3, 4, 10];
        // Bounds: quantile(x, 0.1) = 1.4, quantile(x, 0.9) = 7.6 (R type 7).
        Transforms.Winsorise(x, 0.1, 0.9, null);
        Assert.Equal([1.4, 2, 3, 4, 7.6], x, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Winsorise_ByYear_UsesEachYearsQuantiles()
    {
        double[] x = [1, 2, 3, 100, 200, 300];
        long[] years = [2011, 2011, 2011, 2012, 2012, 2012];
        Transforms.Winsorise(x, 0.25, 0.75, years);
        // 2011: quantiles 1.5 and 2.5; 2012: 150 and 250.
        Assert.Equal([1.5, 2, 2.5, 150, 200, 250], x);
    }

    [Fact]
    public void Winsorise_BadBounds_Throws() =>
        Assert.Throws<ConfigValidationException>(() => Transforms.Winsorise([1, 2], 0.9, 0.1, null));
}
