using System.Globalization;
using System.Text;
using System.Text.Json;
using NQPF.Stages.Common;

namespace NQPF.Stages.Ingest;

/// <summary>A canonical raw field of config/fields.json.</summary>
/// <param name="Units">Accepted units and their factor to <paramref name="CanonicalUnit"/> (factor 1).</param>
internal sealed record FieldDef(
    string Name,
    string Label,
    IReadOnlyList<string> Aliases,
    string Family,
    string CanonicalUnit,
    IReadOnlyDictionary<string, double> Units,
    IReadOnlyList<string> Scopes,
    double Min,
    double Max,
    string Role,
    (double Low, double High)? Typical = null);

/// <summary>A header recognised as a field: which field, scope, printed unit and the factor to the canonical unit.
/// <paramref name="PanelName"/> is the field name with the scope's suffix (gdp, gdp_district).
/// <paramref name="UnitSource"/> says where the unit was read (header, unit row, section row, none printed).
/// <paramref name="Scale"/> is the manifest's multiplier, already in <paramref name="Factor"/>; a unit found later (unit column,
/// note) is combined with it.</summary>
internal sealed record HeaderMatch(FieldDef Field, string Scope, string Unit, double Factor, string PanelName, string UnitSource = "header",
    double Scale = 1.0);

/// <summary>
/// config/fields.json: canonical fields, their header aliases, units and scopes; the key columns; missing markers.
/// Header matching: the header (NFKC-folded, whitespace removed) loses its trailing bracketed groups — each a scope
/// token, a unit, or "单位:unit" — and a scope token as prefix or suffix (also after _ - : separators); the rest must
/// equal a field's label or alias. The unit comes from the header, else from a unit row, else is the canonical one.
/// </summary>
internal sealed partial class FieldCatalog
{
    private readonly Dictionary<string, FieldDef> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldDef> _byLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _scopeByToken = new(StringComparer.Ordinal);
    private readonly HashSet<string> _allUnits = new(StringComparer.Ordinal);

    private FieldCatalog(IReadOnlyList<FieldDef> fields, string defaultScope,
        IReadOnlyDictionary<string, (IReadOnlyList<string> Tokens, string Suffix)> scopes,
        IReadOnlyDictionary<string, IReadOnlyList<string>> keyColumns, IReadOnlyList<string> missingMarkers)
    {
        Fields = fields;
        DefaultScope = defaultScope;
        Scopes = scopes;
        MissingMarkers = missingMarkers.Select(Fold).ToHashSet(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (!_byName.TryAdd(f.Name, f))
                throw new ConfigValidationException($"fields.json: field '{f.Name}' is defined twice.");
            foreach (var label in f.Aliases.Prepend(f.Label))
            {
                if (!_byLabel.TryAdd(HeaderText.Label(label), f) && _byLabel[HeaderText.Label(label)] != f)
                    throw new ConfigValidationException(
                        $"fields.json: header '{label}' is an alias of both '{_byLabel[HeaderText.Label(label)].Name}' and '{f.Name}'.");
            }
            foreach (var u in f.Units.Keys)
                _allUnits.Add(HeaderText.Label(u));
            foreach (var s in f.Scopes)
            {
                if (!scopes.ContainsKey(s))
                    throw new ConfigValidationException($"fields.json: field '{f.Name}' has unknown scope '{s}'.");
            }
        }
        foreach (var (scope, def) in scopes)
        {
            foreach (var token in def.Tokens)
                _scopeByToken[HeaderText.Label(token)] = scope;
        }
        foreach (var (role, names) in keyColumns)
        {
            foreach (var n in names)
                _keyColumns[HeaderText.Label(n)] = role;
        }
    }

    public IReadOnlyList<FieldDef> Fields { get; }

    public string DefaultScope { get; }

    public IReadOnlyDictionary<string, (IReadOnlyList<string> Tokens, string Suffix)> Scopes { get; }

    public IReadOnlySet<string> MissingMarkers { get; }

    public FieldDef Get(string name) => _byName.TryGetValue(name, out var f) ? f
        : throw new ConfigValidationException($"fields.json has no field '{name}'.");

    /// <summary>Canonical comparison form: NFKC (full-width → ASCII), no whitespace, 、 and · kept, （）→().</summary>
    public static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s.Normalize(NormalizationForm.FormKC))
        {
            // Byte-order marks and zero-width characters (a second BOM, text pasted from the web) are invisible too.
            if (!char.IsWhiteSpace(ch) && ch is not ('\uFEFF' or '\u200B' or '\u200C' or '\u200D' or '\u2060'))
                sb.Append(ch);
        }
        return sb.ToString();
    }

    /// <summary>Returns "name", "code", "province" or "year" when the header is a key column, else null.</summary>
    public string? KeyColumn(string? header) =>
        header is null ? null : _keyColumns.GetValueOrDefault(StripBrackets(HeaderText.Label(header)).Name);

    /// <summary>Whether a header names a field (label or alias, ignoring unit and scope); never throws.</summary>
    public bool IsFieldHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return false;
        var name = Parse(header).Name;
        return _byLabel.ContainsKey(name) || _byLabel.ContainsKey(StripScopeAffix(name).Name);
    }

    /// <summary>Whether a text is a scope token (全市, 市辖区 …); returns the scope.</summary>
    public string? ScopeToken(string? text) =>
        text is null ? null : _scopeByToken.GetValueOrDefault(StripBrackets(HeaderText.Label(text)).Name);

    /// <summary>Whether a unit-row cell looks like a unit ("万元", "(万元)", "单位:万元").</summary>
    public bool IsUnit(string? text) => text is not null && IsKnownUnit(CleanUnit(text));

    /// <summary>The unit a note states (单位：亿元, 注：本表单位为万元。, 计量单位: 亿元); null when none or not a known unit.</summary>
    public string? NoteUnit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || NoteUnitPattern().Match(HeaderText.Label(text)) is not { Success: true } m)
            return null;
        var unit = CleanUnit(m.Groups[1].Value);
        return IsKnownUnit(unit) ? unit : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"单位(?:为|是)?[:]?\s*([^,，;；。.)）\s]+)")]
    private static partial System.Text.RegularExpressions.Regex NoteUnitPattern();

    /// <summary>The unit in brackets of a section-row cell (劳动力就业状况(人) → 人); null when it carries none.</summary>
    public string? SectionUnit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var groups = StripBrackets(HeaderText.Label(text)).Groups;
        return groups.Select(CleanUnit).LastOrDefault(IsKnownUnit);
    }

    private bool IsKnownUnit(string unit) =>
        _allUnits.Contains(unit) || (HeaderText.SplitPrefix(unit) is { } p && _allUnits.Contains(p.Base));

    /// <summary>
    /// The factor from <paramref name="unit"/> to the field's canonical unit: a unit of the family, or one made of a
    /// family unit and a magnitude prefix (百万美元 = 10^6 美元 = 100 万美元); null when neither.
    /// </summary>
    public static double? UnitFactor(FieldDef field, string unit)
    {
        foreach (var (u, factor) in field.Units)
        {
            if (HeaderText.Label(u) == unit)
                return factor;
        }
        if (HeaderText.SplitPrefix(unit) is not { } split)
            return null;
        foreach (var (u, factor) in field.Units)
        {
            var label = HeaderText.Label(u);
            if (label == split.Base)
                return split.Magnitude * factor;
            if (HeaderText.SplitPrefix(label) is { } inner && inner.Base == split.Base)
                return split.Magnitude / inner.Magnitude * factor;
        }
        return null;
    }

    /// <summary>
    /// Maps a header to a field. <paramref name="unitRowText"/>, <paramref name="sectionUnit"/> and
    /// <paramref name="groupScope"/> come from a unit row, the section row above and a scope row (or the sheet name)
    /// when the file has them. Returns null for an unknown header, and null with <paramref name="skipped"/> set for a
    /// known field in a scope config/fields.json does not read it in; throws <see cref="DataValidationException"/>
    /// (message prefixed by <paramref name="where"/>) when a known field carries a unit outside its family.
    /// </summary>
    public HeaderMatch? MatchHeader(string header, string? unitRowText, string? sectionUnit, string? groupScope, string where,
        out string? skipped)
    {
        skipped = null;
        var (name, scope, unit) = Parse(header);
        if (!_byLabel.TryGetValue(name, out var field))
        {
            (name, var s2) = StripScopeAffix(name);
            scope ??= s2;
            if (!_byLabel.TryGetValue(name, out field))
                return null;
        }
        var source = "header";
        if (unit is null && !string.IsNullOrWhiteSpace(unitRowText))
            (unit, source) = (CleanUnit(unitRowText), "unit row");
        if (unit is null && sectionUnit is not null && UnitFactor(field, sectionUnit) is not null)
            (unit, source) = (sectionUnit, "section row");
        if (unit is null)
            (unit, source) = (HeaderText.Label(field.CanonicalUnit), "none printed (canonical)");
        var factor = UnitFactor(field, unit) ?? throw new DataValidationException(
            $"{where}: header '{header}' is field '{field.Name}' but its unit '{unit}' is not one of " +
            $"{string.Join(", ", field.Units.Keys)} (config/fields.json family '{field.Family}').");
        scope ??= groupScope ?? DefaultScope;
        if (!field.Scopes.Contains(scope))
        {
            skipped = $"header '{header.Trim()}' is field '{field.Name}' in scope '{scope}', which config/fields.json reads only " +
                      $"at {string.Join("/", field.Scopes)}: column not read";
            return null;
        }
        var printed = field.Units.Keys.FirstOrDefault(u => HeaderText.Label(u) == unit) ?? unit;
        return new HeaderMatch(field, scope, printed, factor, field.Name + Scopes[scope].Suffix, source);
    }

    /// <summary>
    /// The mapping a source manifest gives a column: <paramref name="field"/> is a field of config/fields.json or its
    /// scoped panel name (gdp_district); the unit is the manifest's, else the header's, else the canonical one.
    /// </summary>
    public HeaderMatch Resolve(ManifestColumn column, string? header, string where)
    {
        var name = column.Field!;
        var scope = column.Scope is null ? null : ScopeToken(column.Scope) ?? throw new DataValidationException(
            $"{where}: sources.json gives scope '{column.Scope}', which is not a scope of config/fields.json ({string.Join(", ", Scopes.Keys)}).");
        if (!_byName.ContainsKey(name))
        {
            var scoped = Scopes.FirstOrDefault(p => p.Value.Suffix.Length > 0 && name.EndsWith(p.Value.Suffix, StringComparison.Ordinal));
            if (scoped.Key is null || !_byName.ContainsKey(name[..^scoped.Value.Suffix.Length]))
                throw new DataValidationException($"{where}: sources.json maps the column to '{name}', which is not a field of config/fields.json.");
            (name, scope) = (name[..^scoped.Value.Suffix.Length], scoped.Key);
        }
        var field = _byName[name];
        var parsedUnit = header is null ? null : Parse(header).Unit;
        var (unit, source) = column.Unit is { } u ? (HeaderText.Label(u), "manifest") : parsedUnit is not null ? (parsedUnit, "header") : (HeaderText.Label(field.CanonicalUnit), "none printed (canonical)");
        var factor = UnitFactor(field, unit) ?? throw new DataValidationException(
            $"{where}: unit '{unit}' of field '{field.Name}' is not one of {string.Join(", ", field.Units.Keys)} (config/fields.json family '{field.Family}').");
        var scale = column.Scale ?? 1.0;
        if (!double.IsFinite(scale) || scale <= 0)
            throw new DataValidationException($"{where}: sources.json gives field '{field.Name}' the scale {scale.ToString(CultureInfo.InvariantCulture)}; a scale is a positive number.");
        scope ??= DefaultScope;
        if (!field.Scopes.Contains(scope))
            throw new DataValidationException($"{where}: sources.json reads field '{field.Name}' in scope '{scope}', which config/fields.json does not list for it.");
        var printed = field.Units.Keys.FirstOrDefault(k => HeaderText.Label(k) == unit) ?? unit;
        var origin = (source == "header" ? "header" : source + " (sources.json)")
            + (scale == 1.0 ? "" : ", values × " + scale.ToString("R", CultureInfo.InvariantCulture) + " (sources.json scale)");
        return new HeaderMatch(field, scope, printed, factor * scale, field.Name + Scopes[scope].Suffix, origin, scale);
    }

    /// <summary>A header's name with its bracketed scope and unit groups taken off.</summary>
    private (string Name, string? Scope, string? Unit) Parse(string header)
    {
        var (name, groups) = StripBrackets(HeaderText.Label(header));
        string? unit = null;
        string? scope = null;
        foreach (var g in groups)
        {
            if (_scopeByToken.TryGetValue(g, out var s))
                scope = s;
            else if (IsKnownUnit(CleanUnit(g)))
                unit = CleanUnit(g);
            else
                name += "(" + g + ")";
        }
        // A unit as a suffix after an underscore (碳排放量_吨, 地区生产总值_亿元), as researchers' exports print it.
        var underscore = name.LastIndexOf('_');
        if (unit is null && underscore > 0 && IsKnownUnit(CleanUnit(name[(underscore + 1)..])))
            (name, unit) = (name[..underscore], CleanUnit(name[(underscore + 1)..]));
        return (name, scope, unit);
    }

    /// <summary>The fields whose label or alias is most like <paramref name="header"/> (shared character pairs), best first.</summary>
    public IReadOnlyList<(FieldDef Field, string Label, double Score)> Nearest(string header, int count)
    {
        var name = Parse(header).Name;
        return _byLabel.Select(p => (Field: p.Value, Label: p.Key, Score: Similarity(name, p.Key)))
            .Where(p => p.Score > 0.2).OrderByDescending(p => p.Score).ThenBy(p => p.Label, StringComparer.Ordinal)
            .DistinctBy(p => p.Field.Name).Take(count).ToList();
    }

    /// <summary>Dice coefficient over character bigrams (single characters for one-character texts).</summary>
    internal static double Similarity(string a, string b)
    {
        static List<string> Grams(string s) => s.Length < 2 ? [s] : Enumerable.Range(0, s.Length - 1).Select(i => s.Substring(i, 2)).ToList();
        var x = Grams(a);
        var y = Grams(b);
        var pool = y.ToList();
        var shared = 0;
        foreach (var g in x)
        {
            if (pool.Remove(g))
                shared++;
        }
        return x.Count + y.Count == 0 ? 0 : 2.0 * shared / (x.Count + y.Count);
    }

    private (string Name, string? Scope) StripScopeAffix(string name)
    {
        foreach (var (token, scope) in _scopeByToken.OrderByDescending(p => p.Key.Length))
        {
            if (name.StartsWith(token, StringComparison.Ordinal) && name.Length > token.Length)
                return (name[token.Length..].TrimStart('_', '-', ':', '·'), scope);
            if (name.EndsWith(token, StringComparison.Ordinal) && name.Length > token.Length)
                return (name[..^token.Length].TrimEnd('_', '-', ':', '·'), scope);
        }
        return (name, null);
    }

    private static string CleanUnit(string text)
    {
        var t = HeaderText.Label(text).Trim('(', ')', '[', ']');
        foreach (var prefix in (string[])["单位:", "单位", "计量单位:"])
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
                t = t[prefix.Length..];
        }
        return t.Trim('(', ')', '[', ']');
    }

    /// <summary>Splits trailing bracketed groups off a folded header: "地区生产总值(全市)(万元)" → ("地区生产总值", [全市, 万元]).</summary>
    private static (string Name, List<string> Groups) StripBrackets(string folded)
    {
        var groups = new List<string>();
        var t = folded;
        while (t.Length > 0 && t[^1] is ')' or ']')
        {
            var close = t[^1];
            var open = t.LastIndexOf(close == ')' ? '(' : '[');
            if (open <= 0)
                break;
            groups.Insert(0, t[(open + 1)..^1]);
            t = t[..open];
        }
        var unitSplit = t.IndexOf("单位:", StringComparison.Ordinal);
        if (unitSplit > 0)
        {
            groups.Add(t[unitSplit..]);
            t = t[..unitSplit].TrimEnd(',', ';', '/');
        }
        return (t, groups);
    }

    /// <summary>Parses config/fields.json.</summary>
    public static FieldCatalog FromJson(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray());
            var root = doc.RootElement;
            var families = root.GetProperty("UnitFamilies").EnumerateObject().ToDictionary(p => p.Name,
                p => (IReadOnlyDictionary<string, double>)p.Value.EnumerateObject()
                    .ToDictionary(u => u.Name, u => u.Value.GetDouble(), StringComparer.Ordinal), StringComparer.Ordinal);
            var fields = root.GetProperty("Fields").EnumerateArray().Select(f =>
            {
                var name = f.GetProperty("Name").GetString()!;
                var family = f.GetProperty("Family").GetString()!;
                if (!families.TryGetValue(family, out var units))
                    throw new ConfigValidationException($"fields.json: field '{name}' has unknown unit family '{family}'.");
                var canonical = units.Where(u => u.Value == 1.0).Select(u => u.Key).FirstOrDefault()
                    ?? throw new ConfigValidationException($"fields.json: unit family '{family}' has no unit with factor 1.");
                return new FieldDef(name, f.GetProperty("Label").GetString()!,
                    f.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()!).ToList(), family, canonical, units,
                    f.GetProperty("Scopes").EnumerateArray().Select(a => a.GetString()!).ToList(),
                    f.GetProperty("Min").GetDouble(), f.GetProperty("Max").GetDouble(),
                    f.TryGetProperty("Role", out var role) ? role.GetString() ?? "" : "",
                    f.TryGetProperty("Typical", out var typical) ? (typical[0].GetDouble(), typical[1].GetDouble()) : null);
            }).ToList();
            var scopes = root.GetProperty("Scopes").EnumerateObject().ToDictionary(p => p.Name,
                p => ((IReadOnlyList<string>)p.Value.GetProperty("Tokens").EnumerateArray().Select(t => t.GetString()!).ToList(),
                    p.Value.GetProperty("Suffix").GetString() ?? ""), StringComparer.Ordinal);
            var keys = root.GetProperty("KeyColumns").EnumerateObject().ToDictionary(p => p.Name,
                p => (IReadOnlyList<string>)p.Value.EnumerateArray().Select(t => t.GetString()!).ToList(), StringComparer.Ordinal);
            var missing = root.GetProperty("MissingMarkers").EnumerateArray().Select(t => t.GetString()!).ToList();
            return new FieldCatalog(fields, root.GetProperty("DefaultScope").GetString()!, scopes, keys, missing);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ConfigValidationException($"fields.json: {e.Message}");
        }
    }
}
