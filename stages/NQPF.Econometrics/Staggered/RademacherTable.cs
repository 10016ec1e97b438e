using System.Numerics;
using System.Runtime.InteropServices;

namespace NQPF.Econometrics.Staggered;

/// <summary>
/// The Rademacher multiplier bootstrap's matrix product R* = V·S / √G (V the draws × G matrix of ±1 weights, S the
/// G × columns cluster sums) by table lookup, the "four Russians" way: one random byte holds the signs of eight
/// consecutive clusters, so for each block of eight cluster rows all 256 signed sums Σ_j ±S_j are formed once, and a
/// draw adds one table row per eight clusters instead of eight weighted rows. The work falls from draws · G · columns
/// multiply-adds to (draws + 256) · G/8 · columns additions; the weights are the same bits from the same generator
/// (one <see cref="Random.NextBytes(byte[])"/> of ⌈G/8⌉ bytes per draw, cluster i's sign is bit i % 8 of byte i / 8).
/// Only the order of the additions differs from the plain product, so each R*_bc equals it to rounding (relative
/// error of a few ulps of Σ_k |S_kc|, tested against the plain loop). Every sum runs over the blocks in ascending
/// order whatever the thread count, so the result is deterministic for a seed.
/// </summary>
internal static class RademacherTable
{
    /// <summary>Signed sums of this many clusters per table: one random byte.</summary>
    private const int Group = 8;

    private const int Patterns = 1 << Group;

    /// <param name="rows">Row-major G × <paramref name="columns"/> cluster sums.</param>
    /// <returns>Row-major draws × columns, already divided by √G.</returns>
    public static double[] Draws(double[] rows, int g, int columns, int draws, int seed)
    {
        int groups = (g + Group - 1) / Group;
        var signs = RandomSigns(g, draws, seed);
        var bres = new double[draws * columns];
        int perTable = Patterns * columns;
        int block = Math.Max(1, (1 << 16) / perTable);
        int parts = Math.Clamp(draws / 128, 1, Environment.ProcessorCount);
        // Each part of the draws builds its own tables: no thread waits for another between blocks.
        Parallel.For(0, parts, part =>
        {
            int d0 = (int)((long)draws * part / parts), d1 = (int)((long)draws * (part + 1) / parts);
            var tables = new double[Math.Min(block, groups) * perTable];
            for (int m0 = 0; m0 < groups; m0 += block)
            {
                int mb = Math.Min(block, groups - m0);
                for (int m = 0; m < mb; m++) Fill(rows, g, columns, m0 + m, tables.AsSpan(m * perTable, perTable));
                for (int d = d0; d < d1; d++)
                    Accumulate(tables, columns, signs.AsSpan(d * groups + m0, mb), bres.AsSpan(d * columns, columns));
            }
        });
        double scale = 1.0 / Math.Sqrt(g);
        for (int j = 0; j < bres.Length; j++) bres[j] *= scale;
        return bres;
    }

    /// <summary>The draws' sign bytes in draw order, ⌈G/8⌉ per draw (the bytes the straightforward loop turns into ±1 weights).</summary>
    private static byte[] RandomSigns(int g, int draws, int seed)
    {
        int groups = (g + Group - 1) / Group;
        var rng = new Random(seed);
        var buffer = new byte[groups];
        var signs = new byte[(long)draws * groups > Array.MaxLength ? throw new ArgumentException("Too many draws for the cluster count.", nameof(draws)) : draws * groups];
        for (int d = 0; d < draws; d++)
        {
            rng.NextBytes(buffer);
            buffer.CopyTo(signs, d * groups);
        }
        return signs;
    }

    /// <summary>
    /// Table of group <paramref name="m"/>: entry s = Σ_j (bit j of s ? +1 : −1) · S_{8m+j}, built as entry 0 = −Σ_j S_j and
    /// entry s = entry (s without its lowest set bit j) + 2·S_j. Clusters past G (the last group's padding) add nothing.
    /// </summary>
    private static void Fill(double[] rows, int g, int columns, int m, Span<double> table)
    {
        int k0 = m * Group, count = Math.Min(Group, g - k0);
        var zero = table[..columns];
        zero.Clear();
        Span<double> twice = Group * columns <= 512 ? stackalloc double[Group * columns] : new double[Group * columns];
        twice.Clear();
        for (int j = 0; j < count; j++)
        {
            var row = rows.AsSpan((k0 + j) * columns, columns);
            VectorOps.SubtractScaled(zero, 1.0, row);
            VectorOps.SubtractScaled(twice.Slice(j * columns, columns), -2.0, row);
        }
        for (int s = 1; s < Patterns; s++)
        {
            int j = BitOperations.TrailingZeroCount(s);
            Sum(table.Slice((s & (s - 1)) * columns, columns), twice.Slice(j * columns, columns), table.Slice(s * columns, columns));
        }
    }

    /// <summary>into = a + b, element by element.</summary>
    private static void Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> into)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= into.Length; i += Vector<double>.Count)
                (Vector.LoadUnsafe(ref MemoryMarshal.GetReference(a), (nuint)i) + Vector.LoadUnsafe(ref MemoryMarshal.GetReference(b), (nuint)i))
                    .StoreUnsafe(ref MemoryMarshal.GetReference(into), (nuint)i);
        }
        for (; i < into.Length; i++) into[i] = a[i] + b[i];
    }

    /// <summary>
    /// acc += Σ_m table_m[sign byte m] over the block's groups, in ascending order of m for every column: two registers of
    /// columns held across the groups (the draw kernel pads the columns to whole pairs of registers), scalar otherwise.
    /// </summary>
    private static void Accumulate(double[] tables, int columns, ReadOnlySpan<byte> signs, Span<double> acc)
    {
        int perTable = Patterns * columns, width = Vector<double>.Count, c = 0;
        ref double t = ref MemoryMarshal.GetArrayDataReference(tables);
        ref double a = ref MemoryMarshal.GetReference(acc);
        if (Vector.IsHardwareAccelerated && columns % (2 * width) == 0)
        {
            for (; c < columns; c += 2 * width)
            {
                var s0 = Vector.LoadUnsafe(ref a, (nuint)c);
                var s1 = Vector.LoadUnsafe(ref a, (nuint)(c + width));
                for (int m = 0; m < signs.Length; m++)
                {
                    nuint at = (nuint)(m * perTable + signs[m] * columns + c);
                    s0 += Vector.LoadUnsafe(ref t, at);
                    s1 += Vector.LoadUnsafe(ref t, at + (nuint)width);
                }
                s0.StoreUnsafe(ref a, (nuint)c);
                s1.StoreUnsafe(ref a, (nuint)(c + width));
            }
        }
        for (; c < columns; c++)
        {
            double sum = acc[c];
            for (int m = 0; m < signs.Length; m++) sum += tables[m * perTable + signs[m] * columns + c];
            acc[c] = sum;
        }
    }
}
