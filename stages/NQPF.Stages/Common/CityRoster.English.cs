using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NQPF.Stages.Common;

/// <summary>English city names (official editions from 2018 print them in column B: Beijing, Hohhot, Xi'an). Each
/// unit has its conventional name and accepted variants (config/cities.csv name_en, name_en_variants). Names are
/// compared ignoring case, spaces, hyphens, apostrophes, dots, diacritics and a trailing City/Prefecture/League.</summary>
internal sealed partial class CityRoster
{
    private readonly Dictionary<string, List<City>> _byEnglish = new(StringComparer.Ordinal);

    /// <summary>Units an English name may stand for in <paramref name="year"/>: empty when none; several when the
    /// spelling is shared (Taizhou is 台州 and 泰州, Suzhou 苏州 and 宿州) and more than one is valid that year.</summary>
    public IReadOnlyList<City> English(string printed, int year)
    {
        if (!_byEnglish.TryGetValue(EnglishKey(printed), out var list))
            return [];
        var valid = list.Where(c => c.ValidIn(year)).ToList();
        return list.Count == 1 || valid.Count == 0 ? list : valid;
    }

    /// <summary>Whether the text is an English name of some unit in any year.</summary>
    public bool IsEnglishName(string? s) => IsLatin(s) && _byEnglish.ContainsKey(EnglishKey(s!));

    /// <summary>A name in Latin letters (an English or pinyin name), not a Chinese one.</summary>
    public static bool IsLatin(string? s) =>
        !string.IsNullOrWhiteSpace(s) && s.Any(char.IsAsciiLetter) && !s.Any(ch => ch >= '\u2E80' && ch is not ('\u3000' or (>= '\uFF01' and <= '\uFF5E')));

    /// <summary>Comparison key of an English name: lower-case ASCII letters and digits only, no diacritics, no
    /// trailing City/Prefecture/League/Municipality/Region.</summary>
    public static string EnglishKey(string s)
    {
        var t = EnglishSuffix().Replace(s.Normalize(NormalizationForm.FormKC).Trim(), "");
        var sb = new StringBuilder(t.Length);
        foreach (var ch in t.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(ch))
                sb.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"\s+(city|prefecture|autonomous\s+prefecture|league|municipality|region)\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishSuffix();
}
