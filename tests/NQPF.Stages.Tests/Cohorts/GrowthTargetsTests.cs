using NQPF.Stages.Cohorts;
using static NQPF.Stages.Tests.Cohorts.CohortsFixtures;

namespace NQPF.Stages.Tests.Cohorts;

public class GrowthTargetsTests
{
    private static GrowthTargets Targets(CohortsOptions? options = null, params GrowthTarget[] rows) =>
        new(options ?? new CohortsOptions(), rows, 2011, 2013);

    [Theory]
    [InlineData("确保增长8%", TargetConstraint.Hard)]
    [InlineData("增长9%以上", TargetConstraint.Hard)]
    [InlineData("不低于7.5%", TargetConstraint.Hard)]
    [InlineData("8%左右", TargetConstraint.Soft)]
    [InlineData("力争增长10%", TargetConstraint.Soft)]
    [InlineData("确保8%，力争10%", TargetConstraint.Hard)]
    [InlineData("增长8%", TargetConstraint.Unclassified)]
    [InlineData(null, TargetConstraint.Unclassified)]
    public void Classify_DefaultWords_HardWinsOverSoft(string? wording, TargetConstraint expected) =>
        Assert.Equal(expected, Targets().Classify(wording));

    [Theory]
    [InlineData(UnmatchedWording.Hard, TargetConstraint.Hard)]
    [InlineData(UnmatchedWording.Soft, TargetConstraint.Soft)]
    public void Classify_UnmatchedOption_Applies(UnmatchedWording option, TargetConstraint expected) =>
        Assert.Equal(expected, Targets(new CohortsOptions { UnmatchedWording = option }).Classify("增长8%"));

    [Fact]
    public void Profile_TwoOfThreeYearsHardAndAboveProvince_HardAndIntensified()
    {
        var t = Targets(null,
            new("130100", 2011, 10, "确保10%"), new("130100", 2012, 9, "9%以上"), new("130100", 2013, 8, "8%左右"),
            new("130000", 2011, 9, "9%左右"), new("130000", 2012, 9, "9%"), new("130000", 2013, 8.5, "8.5%"),
            new("130100", 2010, 12, "12%左右"));

        var p = t.Profile(Shijiazhuang);

        Assert.Equal(3, p.ClassifiedYears);
        Assert.Equal(2.0 / 3.0, p.HardShare, 12);
        Assert.True(p.Hard);
        Assert.Equal("hard", p.Constraint);
        Assert.Equal(3, p.ComparedYears);
        Assert.Equal(1.0 / 3.0, p.IntensifiedShare, 12);
        Assert.False(p.Intensified);
    }

    [Fact]
    public void Profile_MarginZeroStrictlyAbove_EqualTargetIsNotIntensified()
    {
        var t = Targets(null,
            new("130600", 2011, 9, "9%左右"), new("130000", 2011, 9, "9%左右"),
            new("130600", 2012, 9.5, "9.5%左右"), new("130000", 2012, 9, "9%左右"),
            new("130600", 2013, 8.5, "8.5%左右"), new("130000", 2013, 8, "8%左右"));

        var p = t.Profile(Baoding);

        Assert.Equal(2.0 / 3.0, p.IntensifiedShare, 12);
        Assert.True(p.Intensified);
        Assert.True(p.Soft);
    }

    [Fact]
    public void Profile_HalfOfYearsHard_TieIsNotAMajority()
    {
        var t = Targets(null, new("130600", 2011, 9, "确保9%"), new("130600", 2012, 9, "9%左右"));

        var p = t.Profile(Baoding);

        Assert.Equal(0.5, p.HardShare, 12);
        Assert.False(p.Hard);
        Assert.True(p.Soft);
    }

    [Fact]
    public void Profile_Municipality_NeverComparedWithItself()
    {
        var t = Targets(null, new GrowthTarget("110000", 2011, 8, "8%左右"));

        var p = t.Profile(Beijing);

        Assert.Equal(0, p.ComparedYears);
        Assert.True(double.IsNaN(p.IntensifiedShare));
        Assert.False(p.Intensified);
    }

    [Fact]
    public void Profile_NoTargets_ConstraintNone()
    {
        var p = Targets().Profile(Benxi);

        Assert.Equal("none", p.Constraint);
        Assert.True(double.IsNaN(p.HardShare));
        Assert.False(p.Hard || p.Soft);
    }

    [Fact]
    public void Constructor_DuplicateCodeYear_Throws()
    {
        var ex = Assert.Throws<DataValidationException>(() =>
            Targets(null, new("130100", 2011, 8, "8%"), new("130100", 2011, 9, "9%")));

        Assert.Contains("code 130100 has two rows for year 2011", ex.Message, StringComparison.Ordinal);
    }
}
