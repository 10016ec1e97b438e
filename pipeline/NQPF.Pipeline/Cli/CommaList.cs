namespace NQPF.Pipeline.Cli;

/// <summary>The comma-separated column lists of the analysis verbs (--x, --fe, --cluster, --covariates).</summary>
internal static class CommaList
{
    /// <summary>Items trimmed, empty ones dropped; null or blank gives an empty list.</summary>
    public static List<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
