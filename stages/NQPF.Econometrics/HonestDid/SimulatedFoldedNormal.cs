using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.HonestDid;

/// <summary>
/// HonestDiD's folded-normal quantile (.qfoldednormal): the type-7 p-quantile of |z + μ| over 10⁶ standard normal
/// draws z made after set.seed(0) (<see cref="RCompatibleNormals"/>). The FLCI's half-length is flat near its optimum,
/// so the simulation noise of this quantile moves R's optimum (and with it the interval's centre) by more than the
/// optimisation error; reproducing the same draws is what lets the FLCI match HonestDiD to 1e-4 (the exact quantile
/// differs from this one by about 0.1% at μ = 0).
/// </summary>
internal static class SimulatedFoldedNormal
{
    private const int Draws = 1_000_000;

    /// <summary>The draws, sorted. The stream is sequential but its inversion (most of the cost) is not, so the
    /// inversions run in parallel blocks: the same values as <see cref="RCompatibleNormals.NextNormal"/> in a loop.</summary>
    private static readonly Lazy<double[]> SortedDraws = new(Draw);

    /// <summary>The sorted draws (optimised from its first call: it runs once, a loop over 10⁶ draws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Draw()
    {
        var rng = new RCompatibleNormals(0);
        var z = new double[Draws];
        for (var i = 0; i < Draws; i++) z[i] = rng.NextInversionArgument();
        const int block = 1 << 16;
        Parallel.For(0, (Draws + block - 1) / block, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b) =>
        {
            for (var i = b * block; i < Math.Min(Draws, (b + 1) * block); i++) z[i] = Normal.InvCDF(0, 1, z[i]);
        });
        SortAscending(z);
        return z;
    }

    private const ulong SignBit = 0x8000_0000_0000_0000UL;

    /// <summary>
    /// Sorts ascending by an LSD radix sort (eight byte passes) on order-preserving keys of the IEEE bits (negatives
    /// flipped, the sign bit set on the rest): for values without NaN the array Array.Sort gives (−0 before +0, which
    /// Array.Sort leaves in either order; the draws hold neither). A tenth of Array.Sort's time on 10⁶ draws in a cold
    /// process, where the generic introsort runs unoptimised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SortAscending(double[] values)
    {
        var n = values.Length;
        if (n < 2) return;
        var keys = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            var bits = BitConverter.DoubleToUInt64Bits(values[i]);
            keys[i] = (bits & SignBit) != 0 ? ~bits : bits | SignBit;
        }
        var buffer = new ulong[n];
        var counts = new int[256];
        for (var shift = 0; shift < 64; shift += 8)
        {
            Array.Clear(counts);
            foreach (var k in keys) counts[(int)(k >> shift) & 0xFF]++;
            if (counts[(int)(keys[0] >> shift) & 0xFF] == n) continue;
            var sum = 0;
            for (var b = 0; b < counts.Length; b++) (counts[b], sum) = (sum, sum + counts[b]);
            foreach (var k in keys) buffer[counts[(int)(k >> shift) & 0xFF]++] = k;
            (keys, buffer) = (buffer, keys);
        }
        for (var i = 0; i < n; i++)
        {
            var k = keys[i];
            values[i] = BitConverter.UInt64BitsToDouble((k & SignBit) != 0 ? k & ~SignBit : ~k);
        }
    }

    /// <summary>quantile(abs(z + mu), p) with R's type 7.</summary>
    public static double Quantile(double p, double mu)
    {
        var h = (Draws - 1) * p;
        var lo = (int)Math.Floor(h);
        var low = KthSmallest(lo + 1, mu);
        var high = lo + 1 < Draws ? KthSmallest(lo + 2, mu) : low;
        return low + (h - lo) * (high - low);
    }

    /// <summary>
    /// The k-th smallest (1-based) of |z_i + μ|: the values left of −μ (read right to left) and right of it (read left to
    /// right) are two ascending sequences; the k-th of their union by binary search on how many come from the left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double KthSmallest(int k, double mu)
    {
        var z = SortedDraws.Value;
        var split = LowerBound(z, mu);
        var na = split;
        var nb = z.Length - split;
        double A(int i) => -(z[split - 1 - i] + mu);
        double B(int j) => z[split + j] + mu;
        int lo = Math.Max(0, k - nb), hi = Math.Min(k, na);
        while (lo < hi)
        {
            var i = (lo + hi) / 2;
            // i from A and k − i from B: too few from A when A's i-th is below B's (k−i)-th.
            if (A(i) < B(k - i - 1)) lo = i + 1;
            else hi = i;
        }
        var fromA = lo;
        var lastA = fromA > 0 ? A(fromA - 1) : double.NegativeInfinity;
        var lastB = k - fromA > 0 ? B(k - fromA - 1) : double.NegativeInfinity;
        return Math.Max(lastA, lastB);
    }

    /// <summary>Number of draws z with z + μ &lt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LowerBound(double[] z, double mu)
    {
        int lo = 0, hi = z.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (z[mid] + mu < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
