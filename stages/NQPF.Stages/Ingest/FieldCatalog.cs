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
    string Role);

/// <summary>A header recognised as a field: which field, scope, printed unit and the factor to the canonical unit.
/// <paramref name="PanelName"/> is the field name with the scope's suffix (gdp, gdp_district).</summary>
internal sealed record HeaderMatch(FieldDef Field, string Scope, string Unit, double Factor, string PanelName);

/// <summary>
/// config/fields.json: canonical fields, their header aliases, units and scopes; the key columns; missing markers.
/// Header matching: the header (NFKC-folded, whitespace removed) loses its trailing bracketed groups — each a scope
/// token, a unit, or "单位:unit" — and a scope token as prefix or suffix (also after _ - : separators); the rest must
/// equal a field's label or alias. The unit comes from the header, else from a unit row, else is the canonical one.
/// </summary>
internal sealed class FieldCatalog
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
                if (!_byLabel.TryAdd(Fold(label), f) && _byLabel[Fold(label)] != f)
                    throw new ConfigValidationException(
                        $"fields.json: header '{label}' is an alias of both '{_byLabel[Fold(label)].Name}' and '{f.Name}'.");
            }
            foreach (var u in f.Units.Keys)
                _allUnits.Add(Fold(u));
            foreach (var s in f.Scopes)
            {
                if (!scopes.ContainsKey(s))
                    throw new ConfigValidationException($"fields.json: field '{f.Name}' has unknown scope '{s}'.");
            }
        }
        foreach (var (scope, def) in scopes)
        {
            foreach (var token in def.Tokens)
                _scopeByToken[Fold(token)] = scope;
        }
        foreach (var (role, names) in keyColumns)
        {
            foreach (var n in names)
                _keyColumns[Fold(n)] = role;
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
        header is null ? null : _keyColumns.GetValueOrDefault(StripBrackets(Fold(header)).Name);

    /// <summary>Whether a header names a field (label or alias, ignoring unit and scope); never throws.</summary>
    public bool IsFieldHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return false;
        var (name, groups) = StripBrackets(Fold(header));
        foreach (var g in groups)
        {
            if (!_scopeByToken.ContainsKey(g) && !_allUnits.Contains(CleanUnit(g)))
                name += "(" + g + ")";
        }
        return _byLabel.ContainsKey(name) || _byLabel.ContainsKey(StripScopeAffix(name).Name);
    }

    /// <summary>Whether a text is a scope token (全市, 市辖区 …); returns the scope.</summary>
    public string? ScopeToken(string? text) =>
        text is null ? null : _scopeByToken.GetValueOrDefault(StripBrackets(Fold(text)).Name);

    /// <summary>Whether a unit-row cell looks like a unit ("万元", "(万元)", "单位:万元").</summary>
    public bool IsUnit(string? text) => text is not null && _allUnits.Contains(CleanUnit(text));

    /// <summary>
    /// Maps a header to a field. <paramref name="unitRowText"/> and <paramref name="groupScope"/> come from a unit row
    /// and a group-header row (or the sheet name) when the file has them. Returns null for an unknown header; throws
    /// <see cref="DataValidationException"/> (message prefixed by <paramref name="where"/>) when a known field carries
    /// a unit outside its family or a scope the field does not have.
    /// </summary>
    public HeaderMatch? MatchHeader(string header, string? unitRowText, string? groupScope, string where)
    {
        var (name, groups) = StripBrackets(Fold(header));
        string? unit = null;
        string? scope = null;
        foreach (var g in groups)
        {
            if (_scopeByToken.TryGetValue(g, out var s))
                scope = s;
            else if (_allUnits.Contains(CleanUnit(g)))
                unit = CleanUnit(g);
            else
                name += "(" + g + ")";
        }
        if (!_byLabel.TryGetValue(name, out var field))
        {
            (name, var s2) = StripScopeAffix(name);
            scope ??= s2;
            if (!_byLabel.TryGetValue(name, out field))
                return null;
        }
        if (unit is null && !string.IsNullOrWhiteSpace(unitRowText))
            unit = CleanUnit(unitRowText);
        unit ??= field.CanonicalUnit;
        var factor = field.Units.FirstOrDefault(u => Fold(u.Key) == unit);
        if (factor.Key is null)
        {
            throw new DataValidationException(
                $"{where}: header '{header}' is field '{field.Name}' but its unit '{unit}' is not one of " +
                $"{string.Join(", ", field.Units.Keys)} (config/fields.json family '{field.Family}').");
        }
        scope ??= groupScope ?? DefaultScope;
        if (!field.Scopes.Contains(scope))
        {
            throw new DataValidationException(
                $"{where}: header '{header}' is field '{field.Name}' with scope '{scope}', which config/fields.json " +
                $"does not allow (scopes: {string.Join(", ", field.Scopes)}).");
        }
        return new HeaderMatch(field, scope, factor.Key, factor.Value, field.Name + Scopes[scope].Suffix);
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
        var t = Fold(text).Trim('(', ')', '[', ']');
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
                    f.TryGetProperty("Role", out var role) ? role.GetString() ?? "" : "");
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
