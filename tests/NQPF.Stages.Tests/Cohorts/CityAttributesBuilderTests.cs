using NQPF.Stages.Cohorts;
using static NQPF.Stages.Tests.Cohorts.CohortsFixtures;

namespace NQPF.Stages.Tests.Cohorts;

public class CityAttributesBuilderTests
{
    private static readonly GrowthTargets NoTargets = new(new CohortsOptions(), [], 2011, 2021);

    [Theory]
    [InlineData(1000.0, "super_large", true)]
    [InlineData(999.9, "mega", true)]
    [InlineData(500.0, "mega", true)]
    [InlineData(499.9, "large", false)]
    [InlineData(100.0, "large", false)]
    [InlineData(99.99, "medium", false)]
    [InlineData(49.0, "small", false)]
    [InlineData(0.0, "small", false)]
    public void Build_DefaultThresholdsIn10kPersons_SizeClassAndLarge(double population10k, string sizeClass, bool large)
    {
        var a = CityAttributesBuilder.Build(Baoding, population10k, new CohortsOptions(), NoTargets);

        Assert.Equal((sizeClass, large), (a.SizeClass, a.Large));
        Assert.Equal(population10k * 10_000, a.Population, 6);
    }

    [Fact]
    public void Build_CustomClassesAndScale_Applied()
    {
        var options = new CohortsOptions
        {
            PopulationScale = 1,
            SizeClasses = [new() { Name = "big", MinPopulation = 3_000_000 }, new() { Name = "rest", MinPopulation = 0 }],
            LargeClasses = ["big"],
        };

        Assert.Equal("big", CityAttributesBuilder.Build(Baoding, 3_000_000, options, NoTargets).SizeClass);
        Assert.Equal("rest", CityAttributesBuilder.Build(Baoding, 2_999_999, options, NoTargets).SizeClass);
    }

    [Fact]
    public void Build_MissingPopulation_UnknownAndNotLarge()
    {
        var a = CityAttributesBuilder.Build(Baoding, double.NaN, new CohortsOptions(), NoTargets);

        Assert.Equal(("unknown", false), (a.SizeClass, a.Large));
    }

    [Fact]
    public void Build_RosterFlags_ResourceTypeAndCentral()
    {
        var benxi = CityAttributesBuilder.Build(Benxi, 100, new CohortsOptions(), NoTargets);
        var sjz = CityAttributesBuilder.Build(Shijiazhuang, 100, new CohortsOptions(), NoTargets);

        Assert.Equal((true, "衰退型", false), (benxi.ResourceBased, benxi.ResourceType, benxi.Central));
        Assert.Equal((false, null, true), (sjz.ResourceBased, sjz.ResourceType, sjz.Central));
    }
}
