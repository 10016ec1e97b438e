using NQPF.Stages.Clean;

namespace NQPF.Stages.Tests.Clean;

public sealed class InterpolationTests
{
    private const double NA = double.NaN;

    [Fact]
    public void Fill_InteriorGap_LinearAndRecorded()
    {
        // R: zoo::na.approx(c(1, NA, NA, 4, 5)) = 1 2 3 4 5.
        var r = Interpolation.Fill([1, NA, NA, 4, 5], EdgeRule.Nearest, 3, maxGap: 3);
        Assert.Equal([1, 2, 3, 4, 5], r.Values);
        Assert.Equal([new ImputedCell(1, "linear"), new ImputedCell(2, "linear")], r.Imputed);
        Assert.Empty(r.TooLong);
    }

    [Fact]
    public void Fill_EdgesNearest_CopiesNearestValue()
    {
        var r = Interpolation.Fill([NA, 7, 8, NA, NA], EdgeRule.Nearest, 3, maxGap: 3);
        Assert.Equal([7, 7, 8, 8, 8], r.Values);
        Assert.All(r.Imputed, c => Assert.Equal("edge-nearest", c.Method));
        Assert.Equal(3, r.Imputed.Count);
    }

    [Fact]
    public void Fill_EdgesGrowth_UsesCompoundGrowthOfNearestYears()
    {
        // Both edges use the nearest 2 + 1 observed points, here 100, 110, 121 at positions 1–3:
        // annual factor (121/100)^(1/2) = 1.1, so y_0 = 100/1.1 = 90.909… and y_4 = 121·1.1 = 133.1.
        var r = Interpolation.Fill([NA, 100, 110, 121, NA], EdgeRule.Growth, edgeGrowthYears: 2, maxGap: 3);
        Assert.Equal(100 / 1.1, r.Values[0], 1e-10);
        Assert.Equal(133.1, r.Values[4], 1e-10);
        Assert.Equal("edge-growth", r.Imputed[0].Method);
    }

    [Fact]
    public void Fill_GrowthUndefined_FallsBackToNearest()
    {
        var r = Interpolation.Fill([NA, 5, NA], EdgeRule.Growth, 3, maxGap: 3);
        Assert.Equal([5, 5, 5], r.Values);
        Assert.All(r.Imputed, c => Assert.Equal("edge-nearest", c.Method));
    }

    [Fact]
    public void Fill_GapLongerThanMax_ReportedAndLeftMissing()
    {
        var r = Interpolation.Fill([1, NA, NA, NA, 5, NA, NA], EdgeRule.Nearest, 3, maxGap: 2);
        Assert.Equal([new SeriesGap(1, 3, false)], r.TooLong);
        Assert.True(double.IsNaN(r.Values[2]));
        Assert.Equal(5, r.Values[6]);
    }

    [Fact]
    public void Fill_AllMissing_NoData()
    {
        var r = Interpolation.Fill([NA, NA], EdgeRule.Nearest, 3, maxGap: 5);
        Assert.True(r.NoData);
        Assert.Equal([new SeriesGap(0, 1, true)], r.TooLong);
    }
}
