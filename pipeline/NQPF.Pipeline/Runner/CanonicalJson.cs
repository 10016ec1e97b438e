using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NQPF.Pipeline.Runner;

/// <summary>
/// Canonical JSON of an options object: public properties serialised with their CLR names, object keys sorted
/// ordinally at every level, enums as names, no whitespace, doubles in shortest round-trip form (NaN/∞ as names).
/// Two equal settings objects always give the same text, so the text can enter a fingerprint.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(object? value) =>
        Sort(value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Options))?.ToJsonString(Options) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sort)]),
        null => null,
        _ => node.DeepClone(),
    };
}
