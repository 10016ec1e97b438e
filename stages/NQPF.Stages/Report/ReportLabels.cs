namespace NQPF.Stages.Report;

/// <summary>
/// The report's one label catalogue (<see cref="ReportLabelCatalogue"/>): names of variables, terms, estimators,
/// specifications, rows, sections, table titles, notes and sentences, in English or Chinese (Report:Language).
/// Config overrides (<see cref="ReportOptions.Labels"/>) win; an interaction "a_x_b" prints as "label(a) × label(b)";
/// a name without a label prints as it is.
/// </summary>
internal sealed class ReportLabels(ReportOptions options)
{
    public string this[string name] =>
        options.Labels.TryGetValue(name, out var custom) ? custom
        : ReportLabelCatalogue.Entries.TryGetValue(name, out var pair) ? (Chinese ? pair.Zh : pair.En)
        : name.StartsWith("spec.", StringComparison.Ordinal) ? Spec(name[5..])
        : name.Contains("_x_", StringComparison.Ordinal) ? string.Join(" × ", name.Split("_x_").Select(part => this[part]))
        : name;

    public bool Has(string name) => options.Labels.ContainsKey(name) || ReportLabelCatalogue.Entries.ContainsKey(name)
        || name.Contains("_x_", StringComparison.Ordinal);

    public bool Chinese => options.Language == ReportLanguage.Chinese;

    /// <summary>English or Chinese text chosen by the configured language (sentences with numbers in them).</summary>
    public string Pick(string english, string chinese) => Chinese ? chinese : english;

    /// <summary>The catalogue entry <paramref name="name"/> with {0}, {1}, … filled in (invariant culture).</summary>
    public string Format(string name, params object[] args) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, this[name], args);

    /// <summary>Specifications the catalogue does not name: "exclude_concurrent_X" and "outcome_X" built from X's label.</summary>
    private string Spec(string spec) =>
        spec.StartsWith("exclude_concurrent_", StringComparison.Ordinal) ? Format("spec.exclude", this["policy." + spec[19..]])
        : spec.StartsWith("outcome_", StringComparison.Ordinal) ? this[spec[8..]]
        : spec;
}
