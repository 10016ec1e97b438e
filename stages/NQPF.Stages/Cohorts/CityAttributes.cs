namespace NQPF.Stages.Cohorts;

/// <summary>Per-city attributes for heterogeneity analysis (one row of cohorts/attributes).</summary>
internal sealed record CityAttributes(
    string CityCode,
    string Name,
    string Province,
    bool ResourceBased,
    string? ResourceType,
    bool Central,
    double Population,
    string SizeClass,
    bool Large,
    TargetProfile Target);

/// <summary>
/// Builds <see cref="CityAttributes"/>: resource-based status and type and central-city status from the roster, the
/// size class from the population of the configured year (classes tried from the highest threshold down; a missing
/// population gives class "unknown"), and the growth-target profile.
/// </summary>
internal static class CityAttributesBuilder
{
    public const string UnknownSize = "unknown";

    public static CityAttributes Build(CohortCity city, double population, CohortsOptions options, GrowthTargets targets)
    {
        var persons = population * options.PopulationScale;
        var sizeClass = double.IsFinite(persons)
            ? options.SizeClassList.OrderByDescending(c => c.MinPopulation).First(c => persons >= c.MinPopulation).Name
            : UnknownSize;
        return new CityAttributes(
            city.Code,
            city.Name,
            city.Province,
            !string.IsNullOrEmpty(city.ResourceType),
            string.IsNullOrEmpty(city.ResourceType) ? null : city.ResourceType,
            city.Central,
            persons,
            sizeClass,
            options.LargeClassList.Contains(sizeClass),
            targets.Profile(city));
    }
}
