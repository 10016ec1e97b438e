using NQPF.Stages.Cohorts;

namespace NQPF.Stages.Tests.Cohorts;

public class CityCohortTests
{
    [Theory]
    [InlineData(2014, 2013, "cluster_first", 2014, 2013)]
    [InlineData(2014, 2017, "broadband_first", 2017, 2014)]
    [InlineData(2014, 2014, "same_year", 2014, 2014)]
    [InlineData(2014, 0, "none", 0, 2014)]
    [InlineData(0, 2013, "none", 0, 2013)]
    [InlineData(0, 0, "none", 0, 0)]
    public void Order_FirstYears_OrderDualFirstAndAnyFirst(int bb, int cl, string order, int dualFirst, int anyFirst)
    {
        var c = new CityCohort("130100", bb, cl);

        Assert.Equal(order, c.Order);
        Assert.Equal(dualFirst, c.DualFirst);
        Assert.Equal(anyFirst, c.AnyFirst);
    }

    [Fact]
    public void At_ClusterFirstCity_DummiesFollowEachFirstYear()
    {
        var c = new CityCohort("430200", BroadbandFirstYear: 2014, ClusterFirstYear: 2013);

        var y2012 = c.At(2012);
        var y2013 = c.At(2013);
        var y2014 = c.At(2014);

        Assert.Equal((false, false, false, false, false, false), (y2012.Broadband, y2012.Cluster, y2012.Dual, y2012.Single, y2012.Any, y2012.ClusterOnly));
        Assert.Equal((false, true, false, true, true, true, false), (y2013.Broadband, y2013.Cluster, y2013.Dual, y2013.Single, y2013.Any, y2013.ClusterOnly, y2013.BroadbandOnly));
        Assert.Equal((true, true, true, false, true, false, false), (y2014.Broadband, y2014.Cluster, y2014.Dual, y2014.Single, y2014.Any, y2014.ClusterOnly, y2014.BroadbandOnly));
    }

    [Fact]
    public void RelTime_NeverTreated_IsFixestSentinel()
    {
        Assert.Equal(-1000, CityCohort.RelTime(2015, 0));
        Assert.Equal(-2, CityCohort.RelTime(2012, 2014));
        Assert.Equal(0, CityCohort.RelTime(2014, 2014));
    }
}
