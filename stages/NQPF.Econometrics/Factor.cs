using System.Globalization;

namespace NQPF.Econometrics;

/// <summary>
/// A categorical variable encoded densely: <see cref="Codes"/>[i] ∈ [0, <see cref="LevelCount"/>) for every
/// observation, numbered in order of first appearance (so the encoding is deterministic for a given row order).
/// Used for fixed-effect dimensions and for cluster variables. A factor has no missing values: callers drop such
/// rows first (the estimation sample is the caller's decision, not this type's).
/// </summary>
internal sealed class Factor
{
    private Factor(string name, int[] codes, int levelCount)
    {
        Name = name;
        Codes = codes;
        LevelCount = levelCount;
    }

    public string Name { get; }

    /// <summary>Level of each observation, 0-based, dense. Owned by the factor: do not mutate.</summary>
    public int[] Codes { get; }

    public int LevelCount { get; }

    public int Length => Codes.Length;

    /// <summary>Encodes integer keys (e.g. a city code or a year).</summary>
    public static Factor FromLongs(string name, ReadOnlySpan<long> values)
    {
        var map = new Dictionary<long, int>();
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            // Panels come sorted by unit: a key equal to the previous row's has its code without a lookup.
            if (i > 0 && values[i] == values[i - 1])
            {
                codes[i] = codes[i - 1];
                continue;
            }
            if (!map.TryGetValue(values[i], out var code))
            {
                code = map.Count;
                map.Add(values[i], code);
            }
            codes[i] = code;
        }
        return new Factor(name, codes, map.Count);
    }

    /// <summary>Encodes text keys; a null key is an error naming the factor and the row.</summary>
    public static Factor FromStrings(string name, IReadOnlyList<string?> values)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i] ?? throw new ArgumentException(
                $"Factor '{name}' has a missing value at row {i.ToString(CultureInfo.InvariantCulture)}.", nameof(values));
            if (!map.TryGetValue(v, out var code))
            {
                code = map.Count;
                map.Add(v, code);
            }
            codes[i] = code;
        }
        return new Factor(name, codes, map.Count);
    }

    /// <summary>Encodes numeric keys stored as doubles (e.g. an id read from CSV); NaN is an error naming the row.</summary>
    public static Factor FromDoubles(string name, ReadOnlySpan<double> values)
    {
        var map = new Dictionary<double, int>();
        var codes = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
                throw new ArgumentException(
                    $"Factor '{name}' has a missing value at row {i.ToString(CultureInfo.InvariantCulture)}.", nameof(values));
            // As for longs; -0 == 0 here as in the map's equality, so the code is the same either way.
            if (i > 0 && v == values[i - 1])
            {
                codes[i] = codes[i - 1];
                continue;
            }
            if (!map.TryGetValue(v, out var code))
            {
                code = map.Count;
                map.Add(v, code);
            }
            codes[i] = code;
        }
        return new Factor(name, codes, map.Count);
    }

    /// <summary>Wraps codes that are already dense in [0, levelCount). Checked.</summary>
    public static Factor FromCodes(string name, int[] codes, int levelCount)
    {
        var seen = new bool[levelCount];
        foreach (var c in codes)
        {
            if ((uint)c >= (uint)levelCount)
                throw new ArgumentException($"Factor '{name}' has code {c.ToString(CultureInfo.InvariantCulture)} outside [0, {levelCount.ToString(CultureInfo.InvariantCulture)}).", nameof(codes));
            seen[c] = true;
        }
        if (Array.IndexOf(seen, false) >= 0)
            throw new ArgumentException($"Factor '{name}' has empty levels: codes must be dense.", nameof(codes));
        return new Factor(name, codes, levelCount);
    }

    /// <summary>The factor restricted to <paramref name="rows"/> (indices into this factor), re-encoded densely.</summary>
    public Factor Subset(ReadOnlySpan<int> rows)
    {
        var remap = new int[LevelCount];
        Array.Fill(remap, -1);
        var codes = new int[rows.Length];
        var next = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var old = Codes[rows[i]];
            var code = remap[old];
            if (code < 0)
            {
                code = next++;
                remap[old] = code;
            }
            codes[i] = code;
        }
        return new Factor(Name, codes, next);
    }

    /// <summary>The interaction a × b (one level per observed pair), e.g. the intersection clusters of two-way clustering.</summary>
    public static Factor Interact(Factor a, Factor b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Factors '{a.Name}' and '{b.Name}' differ in length.", nameof(b));
        var map = new Dictionary<long, int>();
        var codes = new int[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            var key = ((long)a.Codes[i] << 32) | (uint)b.Codes[i];
            if (!map.TryGetValue(key, out var code))
            {
                code = map.Count;
                map.Add(key, code);
            }
            codes[i] = code;
        }
        return new Factor(a.Name + "#" + b.Name, codes, map.Count);
    }

    /// <summary>True when every level of this factor falls inside a single level of <paramref name="outer"/>.</summary>
    public bool IsNestedIn(Factor outer)
    {
        if (outer.Length != Length)
            throw new ArgumentException($"Factors '{Name}' and '{outer.Name}' differ in length.", nameof(outer));
        var owner = new int[LevelCount];
        Array.Fill(owner, -1);
        for (var i = 0; i < Codes.Length; i++)
        {
            var c = Codes[i];
            var o = outer.Codes[i];
            if (owner[c] < 0) owner[c] = o;
            else if (owner[c] != o) return false;
        }
        return true;
    }
}
