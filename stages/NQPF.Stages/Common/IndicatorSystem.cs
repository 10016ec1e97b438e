using System.Text.Json;
using System.Text.RegularExpressions;
using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Stages.Common;

/// <summary>What a derived variable is for: an index indicator, a control of the regressions, or a mediator.</summary>
internal enum VariableRole
{
    Indicator,
    Control,
    Mediator,
}

/// <summary>
/// A derived variable of config/indicators.json: its snake_case name (the clean/panel column), role, formula over
/// canonical fields (config/fields.json), and for indicators the dimension (sub-index) and direction.
/// </summary>
internal sealed record DerivedVariable(
    string Name,
    VariableRole Role,
    string Label,
    string Unit,
    Formula Formula,
    string Dimension,
    IndicatorDirection Direction);

/// <summary>
/// The study's indicator system (config/indicators.json): dimensions in order, then indicators, controls and mediators.
/// Every name is snake_case and unique; every indicator names a declared dimension and a direction "+" or "-".
/// </summary>
internal sealed partial record IndicatorSystem(IReadOnlyList<string> Dimensions, IReadOnlyList<DerivedVariable> Variables)
{
    public IEnumerable<DerivedVariable> Indicators => Variables.Where(v => v.Role == VariableRole.Indicator);

    /// <summary>The indicators as the composite-index library wants them.</summary>
    public IReadOnlyList<Indicator> IndexIndicators =>
        Indicators.Select(v => new Indicator(v.Name, v.Direction, v.Dimension)).ToArray();

    /// <summary>Every canonical field any formula reads.</summary>
    public IReadOnlyList<string> Fields => Variables.SelectMany(v => v.Formula.Fields).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Parses config/indicators.json; errors name the file and the variable.</summary>
    public static IndicatorSystem FromJson(ReadOnlySpan<byte> utf8Json, string fileName)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ConfigValidationException($"{fileName}: not valid JSON ({e.Message}).");
        }
        using (doc)
        {
            var root = doc.RootElement;
            var dimensions = Array(root, "Dimensions", fileName).Select(d => Text(d, "Name", fileName, "a dimension")).ToArray();
            var variables = new List<DerivedVariable>();
            foreach (var (section, role) in new[] { ("Indicators", VariableRole.Indicator), ("Controls", VariableRole.Control), ("Mediators", VariableRole.Mediator) })
            {
                foreach (var e in Array(root, section, fileName))
                    variables.Add(Variable(e, role, dimensions, fileName));
            }
            var duplicate = variables.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new ConfigValidationException($"{fileName}: variable '{duplicate.Key}' is declared twice.");
            if (!variables.Any(v => v.Role == VariableRole.Indicator))
                throw new ConfigValidationException($"{fileName}: no indicators declared.");
            var empty = dimensions.FirstOrDefault(d => !variables.Any(v => v.Dimension == d));
            if (empty is not null)
                throw new ConfigValidationException($"{fileName}: dimension '{empty}' has no indicator.");
            return new IndicatorSystem(dimensions, variables);
        }
    }

    private static DerivedVariable Variable(JsonElement e, VariableRole role, string[] dimensions, string fileName)
    {
        var name = Text(e, "Name", fileName, $"a {role}");
        var where = $"{fileName}: {role.ToString().ToLowerInvariant()} '{name}'";
        if (!SnakeCase().IsMatch(name))
            throw new ConfigValidationException($"{where}: the name must be snake_case (a-z, 0-9, _).");
        var formula = Formula.Parse(Text(e, "Formula", fileName, name), where);
        var dimension = "";
        var direction = IndicatorDirection.Positive;
        if (role == VariableRole.Indicator)
        {
            dimension = Text(e, "Dimension", fileName, name);
            if (!dimensions.Contains(dimension))
                throw new ConfigValidationException($"{where}: dimension '{dimension}' is not declared (declared: {string.Join(", ", dimensions)}).");
            try
            {
                direction = Indicator.ParseDirection(Text(e, "Direction", fileName, name));
            }
            catch (CompositeIndexException x)
            {
                throw new ConfigValidationException($"{where}: {x.Message}");
            }
        }
        return new DerivedVariable(name, role, Optional(e, "Label"), Optional(e, "Unit"), formula, dimension, direction);
    }

    private static IEnumerable<JsonElement> Array(JsonElement root, string name, string fileName) =>
        root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToArray()
            : throw new ConfigValidationException($"{fileName}: the array '{name}' is missing.");

    private static string Text(JsonElement e, string property, string fileName, string what) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(p.GetString())
            ? p.GetString()!.Trim()
            : throw new ConfigValidationException($"{fileName}: {what} has no '{property}'.");

    private static string Optional(JsonElement e, string property) =>
        e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() ?? "" : "";

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
