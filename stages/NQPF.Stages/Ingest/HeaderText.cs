using System.Text;

namespace NQPF.Stages.Ingest;

/// <summary>
/// Normalises the text of header cells the way the official yearbook prints them: full-width forms folded, all
/// whitespace removed (NBSP indentation, line breaks, the inner spaces of '城 市'), bracket typos mended ('(万人>',
/// 【】, 〔〕), ASCII lower-cased, and the English translation of a bilingual cell dropped
/// ('全 市 Total City' → '全市', '年末户籍人口 (万人） Household Registered Population … (10 000 persons)' →
/// '年末户籍人口(万人)').
/// </summary>
internal static class HeaderText
{
    /// <summary>Magnitude prefixes of Chinese units, longest first (百万美元 = 10^6 美元).</summary>
    public static readonly (string Prefix, double Magnitude)[] Prefixes =
    [
        ("十万", 1e5), ("百万", 1e6), ("千万", 1e7), ("十", 10), ("百", 100), ("千", 1e3), ("万", 1e4), ("亿", 1e8),
    ];

    public static string Label(string text)
    {
        var folded = FieldCatalog.Fold(text);
        var sb = new StringBuilder(folded.Length);
        foreach (var ch in folded)
        {
            sb.Append(ch switch
            {
                '<' or '【' or '〔' or '﹝' => '(',
                '>' or '】' or '〕' or '﹞' => ')',
                >= 'A' and <= 'Z' => char.ToLowerInvariant(ch),
                _ => ch,
            });
        }
        return StripEnglish(sb.ToString());
    }

    /// <summary>Drops a trailing English translation: from the first ASCII letter outside brackets that follows Chinese
    /// text, when the rest holds no Chinese and some lower-case letters (so '人均gdp' keeps its 'gdp').</summary>
    private static string StripEnglish(string s)
    {
        var depth = 0;
        var chinese = false;
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (ch == '(')
                depth++;
            else if (ch == ')')
                depth = Math.Max(0, depth - 1);
            else if (depth == 0 && chinese && char.IsAsciiLetter(ch) && IsTranslation(s.AsSpan(i)))
                return s[..i];
            if (IsChinese(ch))
                chinese = true;
        }
        return s;
    }

    private static bool IsTranslation(ReadOnlySpan<char> rest)
    {
        var letters = 0;
        foreach (var ch in rest)
        {
            if (IsChinese(ch))
                return false;
            if (char.IsAsciiLetter(ch))
                letters++;
        }
        return letters >= 4;
    }

    public static bool IsChinese(char ch) => ch is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Splits a magnitude prefix off a unit: 百万美元 → (百万, 10^6, 美元); null when it has none.</summary>
    public static (string Base, double Magnitude)? SplitPrefix(string unit)
    {
        foreach (var (prefix, magnitude) in Prefixes)
        {
            if (unit.Length > prefix.Length && unit.StartsWith(prefix, StringComparison.Ordinal))
                return (unit[prefix.Length..], magnitude);
        }
        return null;
    }

    /// <summary>The unit <paramref name="factor"/> times larger than <paramref name="unit"/>, by prefix arithmetic
    /// (万美元 × 100 → 百万美元; % × 0.01 → fraction); null when no prefix expresses it.</summary>
    public static string? Rescaled(string unit, double factor)
    {
        var (baseUnit, magnitude) = SplitPrefix(unit) ?? (unit, 1.0);
        var target = magnitude * factor;
        if (Math.Abs(target - 1) < 1e-9)
            return baseUnit;
        foreach (var (prefix, m) in Prefixes)
        {
            if (Math.Abs(m / target - 1) < 1e-9)
                return prefix + baseUnit;
        }
        return null;
    }
}
