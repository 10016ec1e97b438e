using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// The draw kernels of the multiplier bootstrap against the straightforward loop (one draw at a time, weights from the
/// same generator, R*_bc = (1/√G) Σ_k V_bk S_kc summed over k in order): the blocked, vectorised and parallel Mammen
/// kernel equal to the last bit; the Rademacher table lookup (signed sums of eight clusters formed once) equal draw for
/// draw up to the rounding of a different addition order, |Δ| ≤ 1e-13 · Σ_k |S_kc| / √G; for sizes that are not
/// multiples of any block or group.
/// </summary>
public sealed class MultiplierBootstrapKernelTests
{
    private static double[] Straightforward(double[] rows, int g, int columns, int draws, BootstrapSettings settings)
    {
        var rng = new Random(settings.Seed);
        var weights = new double[g];
        var bytes = new byte[(g + 7) / 8];
        var bres = new double[draws * columns];
        double scale = 1.0 / Math.Sqrt(g);
        double low = (1 - Math.Sqrt(5)) / 2, high = (1 + Math.Sqrt(5)) / 2, p = (Math.Sqrt(5) + 1) / (2 * Math.Sqrt(5));
        for (int b = 0; b < draws; b++)
        {
            if (settings.Weights == BootstrapWeights.Rademacher)
            {
                rng.NextBytes(bytes);
                for (int i = 0; i < g; i++) weights[i] = ((bytes[i >> 3] >> (i & 7)) & 1) == 1 ? 1.0 : -1.0;
            }
            else
            {
                for (int i = 0; i < g; i++) weights[i] = rng.NextDouble() < p ? low : high;
            }
            for (int i = 0; i < g; i++)
                for (int c = 0; c < columns; c++) bres[b * columns + c] += weights[i] * rows[i * columns + c];
            for (int c = 0; c < columns; c++) bres[b * columns + c] *= scale;
        }
        return bres;
    }

    [Theory]
    [InlineData(1, 1, 2, false)]
    [InlineData(613, 27, 203, false)]
    [InlineData(613, 27, 203, true)]
    [InlineData(20_011, 11, 70, false)]
    [InlineData(300, 8, 33, true)]
    [InlineData(9, 3, 5, false)]
    [InlineData(2_500, 32, 1_000, false)]
    public void Draws_FastKernels_EqualSequentialLoopDrawForDraw(int g, int columns, int draws, bool mammen)
    {
        var rng = new Random(g + columns);
        var rows = Enumerable.Range(0, g * columns).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var settings = new BootstrapSettings(draws, 4242, mammen ? BootstrapWeights.Mammen : BootstrapWeights.Rademacher);
        var expected = Straightforward(rows, g, columns, draws, settings);
        var actual = MultiplierBootstrap.Draws(rows, g, columns, draws, settings);
        Assert.Equal(expected.Length, actual.Length);
        var bound = new double[columns];
        for (int i = 0; i < g; i++)
            for (int c = 0; c < columns; c++) bound[c] += Math.Abs(rows[i * columns + c]) * 1e-13 / Math.Sqrt(g);
        for (int j = 0; j < expected.Length; j++)
        {
            if (mammen) Assert.True(expected[j].Equals(actual[j]), $"entry {j}: {expected[j]:R} vs {actual[j]:R}");
            else Assert.True(Math.Abs(expected[j] - actual[j]) <= bound[j % columns], $"entry {j}: {expected[j]:R} vs {actual[j]:R}");
        }
    }
}
