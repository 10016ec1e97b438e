using NQPF.Econometrics.HonestDid;

namespace NQPF.Econometrics.Tests.HonestDid;

/// <summary>
/// The C-LF set's grid searches (from both ends inward, extension blocks from their far end) against the straightforward
/// scan of every point that HonestDiD's grid scan amounts to, over seeded random acceptance patterns: several disjoint
/// accepted runs, isolated points, nothing accepted, everything accepted.
/// </summary>
public sealed class GridSearchTests
{
    private const int Block = 25;

    /// <summary>A pure acceptance pattern over indices −25·Block .. 26·Block: a few random runs plus scattered points.</summary>
    private static Func<long, bool> Pattern(Random rng)
    {
        var size = 52 * Block;
        var accepted = new bool[size];
        var density = rng.NextDouble();
        for (var run = rng.Next(0, 5); run > 0; run--)
        {
            var start = rng.Next(size);
            var length = rng.Next(1, rng.Next(2) == 0 ? 5 : 4 * Block);
            for (var i = start; i < Math.Min(size, start + length); i++) accepted[i] = true;
        }
        for (var i = 0; i < size; i++) if (rng.NextDouble() < 0.02 * density) accepted[i] = true;
        if (rng.Next(10) == 0) Array.Fill(accepted, true);
        return g => g >= -25 * Block && g < 27 * Block && accepted[g + 25 * Block];
    }

    private static (long, long)? NaiveEnds(Func<long, bool> accepts, int n)
    {
        var idx = Enumerable.Range(0, n).Where(g => accepts(g)).ToArray();
        return idx.Length == 0 ? null : (idx[0], idx[^1]);
    }

    private static (long? Inner, long? Outer) NaiveScan(Func<long, bool> accepts, long edge, int direction, int block)
    {
        long? inner = accepts(edge) ? edge : null;
        var outer = inner;
        for (var b = 1; b <= 20; b++)
        {
            for (long k = 1; k <= block; k++)
            {
                var g = edge + direction * ((b - 1L) * block + k);
                if (!accepts(g)) continue;
                inner ??= g;
                outer = g;
            }
            if (inner is not null && outer != edge + direction * (long)b * block) return (inner, outer);
        }
        return (inner, null);
    }

    [Fact]
    public void Ends_RandomAcceptancePatterns_EqualFullScan()
    {
        var rng = new Random(20261206);
        for (var trial = 0; trial < 2000; trial++)
        {
            var accepts = Pattern(rng);
            Assert.Equal(NaiveEnds(accepts, Block), RelativeMagnitudes.Ends(accepts, Block));
        }
    }

    [Fact]
    public void Scan_RandomAcceptancePatterns_EqualBlockByBlockScan()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 2000; trial++)
        {
            var accepts = Pattern(rng);
            var (edge, direction) = rng.Next(2) == 0 ? (Block - 1L, 1) : (0L, -1);
            Assert.Equal(NaiveScan(accepts, edge, direction, Block), RelativeMagnitudes.Scan(accepts, edge, direction, Block));
        }
    }

    [Fact]
    public void Stream_Seed0_EqualsSequentialDraws()
    {
        var rng = new RCompatibleNormals(0);
        var first = RCompatibleNormals.Stream(0, 10);
        var longer = RCompatibleNormals.Stream(0, 5000);
        for (var i = 0; i < 5000; i++)
        {
            var expected = rng.NextNormal();
            Assert.Equal(expected, longer[i]);
            if (i < 10) Assert.Equal(expected, first[i]);
        }
    }

    // The folded-normal quantile inverts its 10^6 draws in parallel blocks; brute force: draw them one by one with
    // NextNormal, sort |z + mu| and take R's type-7 quantile. Equal bit for bit.
    [Theory]
    [InlineData(0.95, 0.0)]
    [InlineData(0.95, 1.7)]
    [InlineData(0.5, -0.3)]
    public void FoldedNormalQuantile_ParallelInversion_EqualsSequentialDraws(double p, double mu)
    {
        var rng = new RCompatibleNormals(0);
        var folded = new double[1_000_000];
        for (var i = 0; i < folded.Length; i++) folded[i] = Math.Abs(rng.NextNormal() + mu);
        Array.Sort(folded);
        var h = (folded.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var expected = folded[lo] + (h - lo) * (folded[lo + 1] - folded[lo]);
        Assert.Equal(expected, SimulatedFoldedNormal.Quantile(p, mu));
    }
}
