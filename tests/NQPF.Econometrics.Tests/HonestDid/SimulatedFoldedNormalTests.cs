using NQPF.Econometrics.HonestDid;

namespace NQPF.Econometrics.Tests.HonestDid;

/// <summary>The folded-normal quantile's sort of its 10⁶ draws must give exactly the array Array.Sort gives.</summary>
public sealed class SimulatedFoldedNormalTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 1000)]
    [InlineData(3, 100_000)]
    public void SortAscending_MixedDoubles_EqualsArraySortBitForBit(int seed, int count)
    {
        // Normals, values over many exponents, both signs, ties, zero and infinities: every byte of the keys varies.
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (i % 7) switch
            {
                0 => random.NextDouble() * 2 - 1,
                1 => Math.ScaleB(random.NextDouble() - 0.5, random.Next(-300, 300)),
                2 => values[random.Next(Math.Max(i, 1))],
                3 => random.Next(-3, 4),
                4 => i % 2 == 0 ? double.PositiveInfinity : double.NegativeInfinity,
                _ => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FF0_0000_0000_0000)) * (random.Next(2) * 2 - 1),
            };
        }
        var expected = (double[])values.Clone();
        Array.Sort(expected);
        SimulatedFoldedNormal.SortAscending(values);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), values.Select(BitConverter.DoubleToInt64Bits));
    }
}
