using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.HonestDid;

/// <summary>
/// Standard normal draws as R 4.x makes them after <c>set.seed(seed)</c> with the default generators: Mersenne-Twister
/// (Matsumoto &amp; Nishimura 1998) seeded by R's linear-congruential scrambling (seed ← 69069·seed + 1, fifty times, then
/// once per state word), uniforms fixed into (0, 1), and "Inversion" normals Φ⁻¹((⌊2²⁷u₁⌋ + u₂)/2²⁷). HonestDiD draws
/// its least-favourable critical values this way (set.seed(0) before mvtnorm::rmvnorm), so using the same stream makes
/// the C-LF sets reproduce R's up to Φ⁻¹ rounding (R's AS241 against MathNet's, both near machine precision).
/// </summary>
internal sealed class RCompatibleNormals
{
    private const int N = 624;
    private const int M = 397;
    private static readonly Dictionary<int, double[]> Streams = [];
    private readonly uint[] _mt = new uint[N];
    private int _mti;

    public RCompatibleNormals(int seed)
    {
        var s = unchecked((uint)seed);
        for (var j = 0; j < 50; j++) s = unchecked(69069 * s + 1);
        // R's state vector holds mti first, then the 624 words; the first word seeded is mti's slot (then reset to N).
        s = unchecked(69069 * s + 1);
        for (var j = 0; j < N; j++)
        {
            s = unchecked(69069 * s + 1);
            _mt[j] = s;
        }
        _mti = N;
    }

    /// <summary>
    /// The first <paramref name="count"/> normals after set.seed(<paramref name="seed"/>), drawn once per process and
    /// shared: every conditional test of a sensitivity grid starts its simulation from the same seed, so they all read
    /// the same stream (the values are those <see cref="NextNormal"/> returns, in order). Callers must not write to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Stream(int seed, int count)
    {
        lock (Streams)
        {
            if (Streams.TryGetValue(seed, out var cached) && cached.Length >= count) return cached;
            var rng = new RCompatibleNormals(seed);
            var draws = new double[Math.Max(count, 2 * (cached?.Length ?? 0))];
            for (var i = 0; i < draws.Length; i++) draws[i] = rng.NextNormal();
            Streams[seed] = draws;
            return draws;
        }
    }

    /// <summary>R's unif_rand(): MT19937 output times 2⁻³², kept inside (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextUniform()
    {
        if (_mti >= N) Twist();
        var y = _mt[_mti++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        var u = y * 2.3283064365386963e-10;
        const double i2_32m1 = 2.328306437080797e-10;
        if (u <= 0) return 0.5 * i2_32m1;
        return 1 - u <= 0 ? 1 - 0.5 * i2_32m1 : u;
    }

    /// <summary>R's norm_rand() with normal.kind "Inversion".</summary>
    public double NextNormal() => Normal.InvCDF(0, 1, NextInversionArgument());

    /// <summary>
    /// The probability that <see cref="NextNormal"/> inverts, (⌊2²⁷u₁⌋ + u₂)/2²⁷: drawing these in order and inverting
    /// them later (in any order, on any thread) gives the same normals.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextInversionArgument()
    {
        const double big = 134217728;
        var u = NextUniform();
        u = (int)(big * u) + NextUniform();
        return u / big;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Twist()
    {
        const uint upper = 0x80000000U, lower = 0x7fffffffU, matrixA = 0x9908b0dfU;
        int kk;
        uint y;
        for (kk = 0; kk < N - M; kk++)
        {
            y = (_mt[kk] & upper) | (_mt[kk + 1] & lower);
            _mt[kk] = _mt[kk + M] ^ (y >> 1) ^ ((y & 1) * matrixA);
        }
        for (; kk < N - 1; kk++)
        {
            y = (_mt[kk] & upper) | (_mt[kk + 1] & lower);
            _mt[kk] = _mt[kk + (M - N)] ^ (y >> 1) ^ ((y & 1) * matrixA);
        }
        y = (_mt[N - 1] & upper) | (_mt[0] & lower);
        _mt[N - 1] = _mt[M - 1] ^ (y >> 1) ^ ((y & 1) * matrixA);
        _mti = 0;
    }
}
