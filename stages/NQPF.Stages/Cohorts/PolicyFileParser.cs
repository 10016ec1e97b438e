using System.Globalization;

namespace NQPF.Stages.Cohorts;

/// <summary>
/// Reads a policy file (config/policies/&lt;policy&gt;.csv). Columns: listed_name, prefecture_name, city_code,
/// entity_type, level (prefecture | province | sub_prefecture), batch, year, listed_unit_code, complete
/// (true | false, the same on every row), confidence (high | medium | low), source, note.
/// </summary>
internal static class PolicyFileParser
{
    public static readonly string[] Columns =
    [
        "listed_name", "prefecture_name", "city_code", "entity_type", "level", "batch", "year", "listed_unit_code",
        "complete", "confidence", "source", "note",
    ];

    private static readonly string[] Confidences = ["high", "medium", "low"];

    /// <summary>
    /// Parses the records of one policy file (header-keyed, with the 1-based file row under "__row", as produced by
    /// SheetTable.Records). <paramref name="file"/> is the path under the config folder, e.g. "policies/x.csv".
    /// </summary>
    public static PolicyList Parse(string file, IReadOnlyList<IReadOnlyDictionary<string, string>> records)
    {
        var policy = Path.GetFileNameWithoutExtension(file);
        if (policy.Length == 0 || !policy.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            throw new ConfigValidationException(
                $"{file}: a policy file name must be snake_case (a-z, 0-9, _): it becomes the column concurrent_<name>.");

        bool? complete = null;
        var entries = new List<PolicyEntry>(records.Count);
        foreach (var r in records)
        {
            var line = int.Parse(r["__row"], CultureInfo.InvariantCulture);
            string Cell(string column) => r[column].Trim();
            string? Opt(string column) => Cell(column).Length == 0 ? null : Cell(column);
            string Where(string column) => $"{file} line {line}, column {column}";

            var listed = Cell("listed_name");
            if (listed.Length == 0) throw new ConfigValidationException($"{Where("listed_name")}: the listed name is empty.");

            var rowComplete = Cell("complete") switch
            {
                "true" => true,
                "false" => false,
                var v => throw new ConfigValidationException($"{Where("complete")}: '{v}' is not true or false."),
            };
            if (complete is { } c && c != rowComplete)
                throw new ConfigValidationException(
                    $"{Where("complete")}: '{Cell("complete")}' differs from earlier rows; completeness is a property of the whole list.");
            complete = rowComplete;

            var level = Cell("level") switch
            {
                "prefecture" => PolicyLevel.Prefecture,
                "province" => PolicyLevel.Province,
                "sub_prefecture" => PolicyLevel.SubPrefecture,
                var v => throw new ConfigValidationException(
                    $"{Where("level")}: '{v}' is not prefecture, province or sub_prefecture."),
            };

            int? year = null;
            if (Cell("year").Length > 0)
            {
                year = int.TryParse(Cell("year"), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y
                    : throw new ConfigValidationException($"{Where("year")}: '{Cell("year")}' is not a year.");
            }

            var code = Opt("city_code");
            if (code is not null && (code.Length != 6 || !code.All(char.IsAsciiDigit)))
                throw new ConfigValidationException($"{Where("city_code")}: '{code}' is not a 6-digit code.");

            var confidence = Cell("confidence");
            if (!Confidences.Contains(confidence))
                throw new ConfigValidationException($"{Where("confidence")}: '{confidence}' is not high, medium or low.");
            if (Cell("source").Length == 0) throw new ConfigValidationException($"{Where("source")}: the source is empty.");

            entries.Add(new PolicyEntry(policy, file, line, listed, Opt("prefecture_name"), code, Cell("entity_type"), level,
                Cell("batch"), year, Opt("listed_unit_code"), confidence, Cell("source"), Cell("note")));
        }
        if (entries.Count == 0) throw new ConfigValidationException($"{file}: the policy list has no entries.");
        return new PolicyList(policy, file, complete!.Value, entries);
    }
}
