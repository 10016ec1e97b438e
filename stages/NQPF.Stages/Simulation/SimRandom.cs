namespace NQPF.Stages.Simulation;

/// <summary>
/// Deterministic random streams for the generator: one <see cref="Random"/> per named purpose, seeded from the run
/// seed and the purpose name with a stable hash (FNV-1a), so adding draws to one purpose never shifts another.
/// </summary>
internal sealed class SimRandom
{
    private readonly int _seed;

    public SimRandom(int seed) => _seed = seed;

    public Random Stream(string purpose)
    {
        var h = 2166136261u;
        foreach (var ch in purpose)
        {
            h ^= ch;
            h *= 16777619u;
        }
        return new Random(unchecked((int)(h ^ (uint)_seed * 2654435761u)));
    }

    /// <summary>Standard normal draw by Box–Muller (one value per call; the second is discarded for simplicity).</summary>
    public static double Normal(Random r)
    {
        var u1 = 1.0 - r.NextDouble();
        var u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
