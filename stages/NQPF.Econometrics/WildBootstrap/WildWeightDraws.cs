using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.WildBootstrap;

/// <summary>The cluster weight vectors v_b ∈ ℝ^G of a wild cluster bootstrap, drawn once and reused for every null tested.</summary>
internal static class WildWeightDraws
{
    private static readonly double[] WebbPoints =
        [-Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5)];

    /// <summary>All 2^G Rademacher sign vectors (bit g of b set → v_g = −1); b = 0 is the all-ones vector.</summary>
    public static double[][] Enumerate(int clusters)
    {
        if (clusters >= 31) throw new ArgumentOutOfRangeException(nameof(clusters), "Full enumeration is limited to G ≤ 30.");
        var count = 1 << clusters;
        var draws = new double[count][];
        for (var b = 0; b < count; b++)
        {
            var v = new double[clusters];
            for (var g = 0; g < clusters; g++) v[g] = ((b >> g) & 1) == 0 ? 1.0 : -1.0;
            draws[b] = v;
        }
        return draws;
    }

    /// <summary>
    /// <paramref name="draws"/> random weight vectors; draw b uses its own counter-based stream
    /// (<see cref="DrawRandom"/>(seed, b)), so the set depends on the seed alone, never on threads or order.
    /// </summary>
    public static double[][] Random(int clusters, int draws, WildWeights weights, long seed)
    {
        var result = new double[draws][];
        for (var b = 0; b < draws; b++)
        {
            var rng = new DrawRandom(seed, b);
            var v = new double[clusters];
            for (var g = 0; g < clusters; g++)
                v[g] = weights == WildWeights.Webb ? WebbPoints[rng.NextInt(6)] : ((rng.NextUInt64() >> 63) == 0 ? 1.0 : -1.0);
            result[b] = v;
        }
        return result;
    }
}

/// <summary>The names of <see cref="WildWeights"/> used in settings and on the command line.</summary>
internal static class WildWeightsNames
{
    /// <summary>"rademacher" or "webb" (case-insensitive); anything else is an ArgumentException naming the choices.</summary>
    public static WildWeights Parse(string name) => name.ToLowerInvariant() switch
    {
        "rademacher" => WildWeights.Rademacher,
        "webb" => WildWeights.Webb,
        _ => throw new ArgumentException($"Unknown wild bootstrap weights '{name}' (rademacher or webb).", nameof(name)),
    };
}
