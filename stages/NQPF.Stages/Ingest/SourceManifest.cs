using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace NQPF.Stages.Ingest;

/// <summary>How one column is read: the field (null: not read), its scope and unit, and a scale that multiplies every
/// value before the unit conversion (100 for shares printed as fractions, 0.01 for a percent field printed ×100).
/// Header and Nearest are notes written by <c>inspect --manifest</c> for the person editing it.</summary>
internal sealed record ManifestColumn(string? Field, string? Scope = null, string? Unit = null, string? Header = null,
    IReadOnlyList<string>? Nearest = null, double? Scale = null);

/// <summary>
/// One entry of data-raw/sources.json: the files it applies to (a path relative to the raw folder, * and ** globs),
/// the sheet to read, the 1-based header row, the data year of a table without a year column, the column map by
/// column letter, the key columns by letter (city name, 6-digit code, year) when their headers are not recognised,
/// and a precedence (higher wins when files supply the same city-year-field; default 0, then the rule of
/// <see cref="SourceMerger"/>).
/// </summary>
internal sealed record ManifestEntry(string Path, string? Sheet = null, int? HeaderRow = null, int? Year = null,
    int Precedence = 0, IReadOnlyDictionary<string, ManifestColumn>? Columns = null, string? CityColumn = null,
    string? CodeColumn = null, string? YearColumn = null);

/// <summary>The optional source manifest data-raw/sources.json ({"Files": [entries]}); without it, detection alone.</summary>
internal sealed class SourceManifest(IReadOnlyList<ManifestEntry> entries)
{
    public const string FileName = "sources.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static readonly SourceManifest Empty = new([]);

    public IReadOnlyList<ManifestEntry> Entries { get; } = entries;

    private sealed record Document(IReadOnlyList<ManifestEntry>? Files);

    public static SourceManifest FromJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var doc = JsonSerializer.Deserialize<Document>(utf8, Json);
            var files = doc?.Files ?? throw new DataValidationException($"{FileName}: no \"Files\" list.");
            foreach (var (e, i) in files.Select((e, i) => (e, i)))
            {
                if (string.IsNullOrWhiteSpace(e.Path))
                    throw new DataValidationException($"{FileName}: entry {i + 1} has no \"Path\".");
            }
            return new SourceManifest(files);
        }
        catch (JsonException e)
        {
            throw new DataValidationException($"{FileName}: not valid JSON ({e.Message}).", e);
        }
    }

    public static string ToJson(IReadOnlyList<ManifestEntry> entries) => JsonSerializer.Serialize(new Document(entries), Json);

    /// <summary>The first entry whose path or glob matches <paramref name="relativePath"/>; its index is its order.</summary>
    public (ManifestEntry Entry, int Order)? Match(string relativePath)
    {
        var path = relativePath.Replace('\\', '/');
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Glob(Entries[i].Path).IsMatch(path))
                return (Entries[i], i);
        }
        return null;
    }

    private static Regex Glob(string pattern)
    {
        var p = Regex.Escape(pattern.Replace('\\', '/')).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + p + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
