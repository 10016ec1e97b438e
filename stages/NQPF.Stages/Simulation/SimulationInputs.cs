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

    /// <summary>
    /// Last year of the block whose year-varying draws come from one stream per purpose (the study period of the
    /// committed data). Each later year draws from its own stream, so <c>--years 2011-2022</c> reproduces the
    /// 2011–2021 files of <c>--years 2011-2021</c> byte for byte and adds a 2022 that continues every unit's path.
    /// </summary>
    public const int BlockLastYear = 2021;

    /// <summary>How many of <see cref="Years"/> fall in the block (all of them when LastYear ≤ 2021).</summary>
    public int BlockYears => Math.Clamp(BlockLastYear - FirstYear + 1, 0, LastYear - FirstYear + 1);
}
