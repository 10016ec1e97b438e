namespace NQPF.Econometrics.Placebo;

/// <summary>
/// A counter-based random stream for one draw of a resampling loop: its state is derived from (seed, draw index)
/// alone, so draw b gets the same numbers whichever thread runs it and whether or not earlier draws ran in this
/// process (what makes parallel placebo runs and resumed chunked runs reproducible). Generator: SplitMix64
/// (Steele, Lea &amp; Flood 2014), seeded with mix(mix(seed) + (b + 1)·γ), γ = 0x9E3779B97F4A7C15; streams of different
/// draws are decorrelated by the finaliser. Not cryptographic.
/// </summary>
internal struct DrawRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public DrawRandom(long seed, long draw)
    {
        _state = Mix(Mix(unchecked((ulong)seed)) + unchecked((ulong)(draw + 1)) * Gamma);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        _state = unchecked(_state + Gamma);
        return Mix(_state);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (rejection of the short last block).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), "Bound must be positive.");
        var b = (ulong)bound;
        var threshold = unchecked(0UL - b) % b;
        ulong r;
        do r = NextUInt64(); while (r < threshold);
        return (int)(r % b);
    }

    /// <summary>Fisher–Yates shuffle in place (every permutation equally likely).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
