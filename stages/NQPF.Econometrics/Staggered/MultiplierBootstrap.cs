using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.Staggered;

/// <summary>Bootstrap standard errors (NaN for degenerate columns) and the sup-t critical value of the uniform band.</summary>
internal sealed record BootstrapResult(double[] Se, double CriticalValue, string Description);

/// <summary>Cluster of each unit (null = every unit its own cluster) and the cluster variable's name, for the printed recipe.</summary>
internal sealed record BootstrapClusters(IReadOnlyList<string>? UnitCluster, string Name)
{
    public static readonly BootstrapClusters Units = new(null, "unit");
}

/// <summary>
/// The multiplier bootstrap of R did 2.x (<c>mboot</c> with BMisc::multiplier_bootstrap): for draws b = 1..B and
/// i.i.d. weights V_i (Rademacher ±1, or Mammen), R*_bc = √n · (1/n) Σ_i V_i ψ_ic. Per column the bootstrap SE is
/// (q₀.₇₅ − q₀.₂₅)/(Φ⁻¹(0.75) − Φ⁻¹(0.25)) / √n with type-1 (inverse-ECDF) quantiles; the uniform critical value is
/// the type-1 (1−α) quantile over draws of max_c |R*_bc| / σ̂_c across the band columns.
/// Clustered (did's <c>clustervars</c>, Callaway &amp; Sant'Anna 2021 Remark 10): the influence functions are summed
/// within each of the G clusters, S_kc = Σ_{i∈k} ψ_ic, one weight V_k per cluster, R*_bc = √G · (1/G) Σ_k V_k S_kc,
/// and SE = σ̂_c · √G / n — so its square estimates Σ_k S_kc² / n², the cluster-robust variance; with every unit its
/// own cluster (G = n) it is the unclustered bootstrap exactly.
/// Degenerate columns (Σ_b R*² ≤ 10√ε, e.g. a universal-base reference cell) get NaN and are left out of the band.
/// Deterministic for a seed: one <see cref="Random"/> seeded explicitly, draws generated in order; the hot loop reuses
/// preallocated buffers (no per-draw allocation). R's draws cannot be reproduced (different generator), so the
/// values are checked against did's bootstrap only loosely (cs_mpdta.json "bootstrap", within Monte Carlo error).
/// </summary>
internal static class MultiplierBootstrap
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <param name="influence">Column-major n × columns influence functions: entry [c * n + i].</param>
    /// <param name="n">Number of units.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="bandColumns">The first <paramref name="bandColumns"/> columns form the uniform band.</param>
    /// <param name="settings">Draws, seed, weight type and α.</param>
    /// <param name="clusters">Cluster of each unit (null or <see cref="BootstrapClusters.Units"/>: the unit).</param>
    public static BootstrapResult Run(double[] influence, int n, int columns, int bandColumns, BootstrapSettings settings, BootstrapClusters? clusters = null)
    {
        // Kept as one function: the blocked draw loop keeps its weight buffers and generator local to one hot loop, which
        // splitting would turn into allocations per block.
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Draws, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bandColumns, columns);
        int draws = settings.Draws;
        var unitCluster = clusters?.UnitCluster;
        if (unitCluster is not null && unitCluster.Count != n)
            throw new ArgumentException($"Cluster column has {unitCluster.Count} units, the influence functions {n}.");

        // Row-major (unit, or cluster sum, by column) so the inner loop over columns is contiguous.
        int g = n;
        var clusterOf = Enumerable.Range(0, n).ToArray();
        if (unitCluster is not null)
        {
            var keys = unitCluster.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
            for (int k = 0; k < keys.Length; k++) index[keys[k]] = k;
            for (int i = 0; i < n; i++) clusterOf[i] = index[unitCluster[i]];
            g = keys.Length;
        }
        var rows = new double[g * columns];
        for (int c = 0; c < columns; c++)
            for (int i = 0; i < n; i++) rows[clusterOf[i] * columns + c] += influence[c * n + i];

        var bres = Draws(rows, g, columns, draws, settings);

        var se = new double[columns];
        var sigma = new double[columns];
        var column = new double[draws];
        double iqrToSd = Normal.InvCDF(0, 1, 0.75) - Normal.InvCDF(0, 1, 0.25);
        for (int c = 0; c < columns; c++)
        {
            double ss = 0;
            for (int b = 0; b < draws; b++)
            {
                column[b] = bres[b * columns + c];
                ss += column[b] * column[b];
            }
            if (!(ss > Math.Sqrt(MachineEpsilon) * 10))
            {
                sigma[c] = se[c] = double.NaN;
                continue;
            }
            Array.Sort(column);
            double s = (QuantileType1(column, 0.75) - QuantileType1(column, 0.25)) / iqrToSd;
            sigma[c] = s <= Math.Sqrt(MachineEpsilon) * 10 ? double.NaN : s;
            se[c] = unitCluster is null ? sigma[c] / Math.Sqrt(n) : sigma[c] * Math.Sqrt(g) / n;
        }

        double crit = double.NaN;
        if (bandColumns > 0)
        {
            var supT = new List<double>(draws);
            for (int b = 0; b < draws; b++)
            {
                double m = double.NegativeInfinity;
                for (int c = 0; c < bandColumns; c++)
                    if (!double.IsNaN(sigma[c])) m = Math.Max(m, Math.Abs(bres[b * columns + c] / sigma[c]));
                if (double.IsFinite(m)) supT.Add(m);
            }
            if (supT.Count > 0)
            {
                var sorted = supT.ToArray();
                Array.Sort(sorted);
                crit = QuantileType1(sorted, 1 - settings.Alpha);
            }
        }
        string description = string.Create(CultureInfo.InvariantCulture,
            $"multiplier bootstrap, {draws} draws, {settings.Weights} weights, seed {settings.Seed}, uniform band at {1 - settings.Alpha:0.###}")
            + (unitCluster is null ? "" : string.Create(CultureInfo.InvariantCulture, $", clustered by {clusters!.Name} (G = {g}, one weight per cluster)"));
        return new BootstrapResult(se, crit, description);
    }

    /// <summary>
    /// R*_b = (1/√G) Σ_k V_bk S_k for every draw (row-major draws × columns), weights from one generator in draw order.
    /// Rademacher weights go through <see cref="RademacherTable"/> (signed sums of eight clusters looked up, equal to the
    /// plain product to rounding); Mammen weights a block of draws at a time, each block's products in parallel, four
    /// draws per pass over the cluster sums, summing over clusters in ascending order for every (draw, column) — the
    /// sequential loop's result to the last bit. Both are deterministic whatever the thread count.
    /// </summary>
    internal static double[] Draws(double[] rows, int g, int columns, int draws, BootstrapSettings settings)
    {
        // Columns padded with zeros to whole register tiles, so no draw runs a scalar remainder loop.
        int tile = 2 * Vector<double>.Count;
        int stride = Vector.IsHardwareAccelerated ? (columns + tile - 1) / tile * tile : columns;
        var padded = rows;
        if (stride != columns)
        {
            padded = new double[g * stride];
            for (int k = 0; k < g; k++) rows.AsSpan(k * columns, columns).CopyTo(padded.AsSpan(k * stride, columns));
        }
        var wide = PaddedDraws(padded, g, stride, draws, settings);
        if (stride == columns) return wide;
        var bres = new double[draws * columns];
        for (int b = 0; b < draws; b++) wide.AsSpan(b * stride, columns).CopyTo(bres.AsSpan(b * columns, columns));
        return bres;
    }

    private static double[] PaddedDraws(double[] rows, int g, int columns, int draws, BootstrapSettings settings) =>
        settings.Weights == BootstrapWeights.Rademacher
            ? RademacherTable.Draws(rows, g, columns, draws, settings.Seed)
            : PaddedDraws<double>(rows, g, columns, draws, settings.Seed, Mammen);

    /// <summary>The draws with weights of type <typeparamref name="TWeight"/> (Mammen's two points as doubles).</summary>
    private static double[] PaddedDraws<TWeight>(double[] rows, int g, int columns, int draws, int seed, Action<Random, TWeight[], int, int> generate)
        where TWeight : unmanaged, INumberBase<TWeight>
    {
        var rng = new Random(seed);
        int block = Math.Clamp((1 << 22) / Math.Max(g, 1), 4, 64);
        var bres = new double[draws * columns];
        // Two weight buffers: the generator fills block i + 1 (alone, in draw order) while block i is multiplied.
        TWeight[][] buffers = [new TWeight[block * g], new TWeight[Math.Min(block, Math.Max(draws - block, 0)) * g]];
        generate(rng, buffers[0], g, Math.Min(block, draws));
        for (int b0 = 0, i = 0; b0 < draws; b0 += block, i ^= 1)
        {
            int nb = Math.Min(block, draws - b0), next = Math.Min(block, draws - b0 - nb);
            var weights = buffers[i];
            var fill = buffers[i ^ 1];
            var generating = next > 0 ? Task.Run(() => generate(rng, fill, g, next)) : Task.CompletedTask;
            int start = b0;
            Parallel.For(0, (nb + 31) / 32, part =>
            {
                int first = part * 32, count = Math.Min(32, nb - first);
                WeightedSums<TWeight>(rows, g, columns, weights.AsSpan(first * g, count * g), count, bres.AsSpan((start + first) * columns, count * columns));
            });
            generating.Wait();
        }
        double scale = 1.0 / Math.Sqrt(g);
        for (int j = 0; j < bres.Length; j++) bres[j] *= scale;
        return bres;
    }

    /// <summary>Mammen weights of the next <paramref name="count"/> draws: (1−√5)/2 with probability (√5+1)/(2√5), else (1+√5)/2.</summary>
    private static void Mammen(Random rng, double[] weights, int g, int count)
    {
        double low = (1 - Math.Sqrt(5)) / 2, high = (1 + Math.Sqrt(5)) / 2;
        double p = (Math.Sqrt(5) + 1) / (2 * Math.Sqrt(5));
        for (int i = 0; i < count * g; i++) weights[i] = rng.NextDouble() < p ? low : high;
    }

    /// <summary>
    /// acc_d += V_dk · S_k for <paramref name="count"/> draws, clusters k in ascending order for every (draw, column):
    /// clusters in cache-sized blocks, and within a block four draws × two vectors of columns held in registers.
    /// </summary>
    private static void WeightedSums<TWeight>(double[] rows, int g, int columns, ReadOnlySpan<TWeight> weights, int count, Span<double> acc)
        where TWeight : unmanaged, INumberBase<TWeight>
    {
        const int ClusterBlock = 256;
        for (int k0 = 0; k0 < g; k0 += ClusterBlock)
        {
            int k1 = Math.Min(g, k0 + ClusterBlock);
            for (int d = 0; d < count; d += 4)
            {
                int c = 0;
                if (count - d >= 4 && Vector.IsHardwareAccelerated)
                {
                    for (; c + 2 * Vector<double>.Count <= columns; c += 2 * Vector<double>.Count)
                        Tile4x2<TWeight>(rows, columns, weights, g, d, c, k0, k1, acc);
                }
                for (int dd = d; dd < Math.Min(count, d + 4); dd++)
                {
                    var a = acc.Slice(dd * columns, columns);
                    var w = weights.Slice(dd * g, g);
                    for (int k = k0; k < k1; k++)
                    {
                        double v = double.CreateTruncating(w[k]);
                        var row = rows.AsSpan(k * columns, columns);
                        for (int cc = c; cc < columns; cc++) a[cc] += v * row[cc];
                    }
                }
            }
        }
    }

    private static void Tile4x2<TWeight>(double[] rows, int columns, ReadOnlySpan<TWeight> weights, int g, int d, int c, int k0, int k1, Span<double> acc)
        where TWeight : unmanaged, INumberBase<TWeight>
    {
        nuint width = (nuint)Vector<double>.Count;
        ref double a0 = ref acc[d * columns + c];
        ref double a1 = ref acc[(d + 1) * columns + c];
        ref double a2 = ref acc[(d + 2) * columns + c];
        ref double a3 = ref acc[(d + 3) * columns + c];
        var s00 = Vector.LoadUnsafe(ref a0);
        var s01 = Vector.LoadUnsafe(ref a0, width);
        var s10 = Vector.LoadUnsafe(ref a1);
        var s11 = Vector.LoadUnsafe(ref a1, width);
        var s20 = Vector.LoadUnsafe(ref a2);
        var s21 = Vector.LoadUnsafe(ref a2, width);
        var s30 = Vector.LoadUnsafe(ref a3);
        var s31 = Vector.LoadUnsafe(ref a3, width);
        // The caller guarantees rows k0..k1 hold columns c..c+2·width and the four weight rows hold clusters k0..k1.
        ref TWeight w = ref MemoryMarshal.GetReference(weights);
        ref double r = ref MemoryMarshal.GetArrayDataReference(rows);
        nuint stride = (nuint)columns, wg = (nuint)g;
        nuint w0 = (nuint)(d * g), w1 = w0 + wg, w2 = w1 + wg, w3 = w2 + wg;
        for (nuint k = (nuint)k0; k < (nuint)k1; k++)
        {
            nuint at = k * stride + (nuint)c;
            var r0 = Vector.LoadUnsafe(ref r, at);
            var r1 = Vector.LoadUnsafe(ref r, at + width);
            var v0 = new Vector<double>(double.CreateTruncating(Unsafe.Add(ref w, w0 + k)));
            var v1 = new Vector<double>(double.CreateTruncating(Unsafe.Add(ref w, w1 + k)));
            var v2 = new Vector<double>(double.CreateTruncating(Unsafe.Add(ref w, w2 + k)));
            var v3 = new Vector<double>(double.CreateTruncating(Unsafe.Add(ref w, w3 + k)));
            s00 += v0 * r0;
            s01 += v0 * r1;
            s10 += v1 * r0;
            s11 += v1 * r1;
            s20 += v2 * r0;
            s21 += v2 * r1;
            s30 += v3 * r0;
            s31 += v3 * r1;
        }
        s00.StoreUnsafe(ref a0);
        s01.StoreUnsafe(ref a0, width);
        s10.StoreUnsafe(ref a1);
        s11.StoreUnsafe(ref a1, width);
        s20.StoreUnsafe(ref a2);
        s21.StoreUnsafe(ref a2, width);
        s30.StoreUnsafe(ref a3);
        s31.StoreUnsafe(ref a3, width);
    }

    /// <summary>R's quantile(type = 1) on sorted data: the smallest x with ECDF(x) ≥ p.</summary>
    internal static double QuantileType1(double[] sorted, double p)
    {
        int m = sorted.Length;
        double np = m * p;
        int j = (int)Math.Floor(np);
        double g = np - j;
        int index = g > 0 ? j + 1 : j; // 1-based
        index = Math.Clamp(index, 1, m);
        return sorted[index - 1];
    }
}
