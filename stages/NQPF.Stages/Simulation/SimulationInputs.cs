using NQPF.Stages.Common;

namespace NQPF.Stages.Simulation;

/// <summary>2010 and 2020 census resident population (persons) of a unit, and its urban population.</summary>
internal sealed record CensusPopulation(double Pop2010, double Pop2020, double Urban2010);

/// <summary>Everything the yearbook generator needs. Randomness comes only from <paramref name="Seed"/>.</summary>
/// <param name="BroadbandFirst">First Broadband China year per city code (cities never listed are absent).</param>
/// <param name="ClusterFirst">First innovative-cluster pilot year per city code.</param>
internal sealed record SimulationInputs(
    CityRoster Roster,
    IReadOnlyDictionary<string, CensusPopulation> Census,
    IReadOnlyDictionary<string, int> BroadbandFirst,
    IReadOnlyDictionary<string, int> ClusterFirst,
    int FirstYear,
    int LastYear,
    int Seed)
{
    public TruthParameters Truth { get; init; } = new();

    public IEnumerable<int> Years => Enumerable.Range(FirstYear, LastYear - FirstYear + 1);
}
