using NQPF.Stages.Common;

namespace NQPF.Stages.Report;

/// <summary>What every table and figure builder of the report uses: options, labels, layout, the checked inputs, the truth.</summary>
internal sealed class ReportContext(ReportOptions options, DeclaredInputs inputs, TruthSummary? truth, IndicatorSystem? indicators)
{
    public ReportOptions Options => options;

    public DeclaredInputs Inputs => inputs;

    public TruthSummary? Truth => truth;

    public IndicatorSystem? Indicators => indicators;

    public ReportLabels Labels { get; } = new(options);

    public RegressionLayout Layout { get; } = new(options, new ReportLabels(options));

    public StudyGrids Grids { get; } = new(new ReportLabels(options));

    /// <summary>A variable's label: the catalogue's, else (in Chinese) config/indicators.json's label, else its name.</summary>
    public string Variable(string name) =>
        Labels.Has(name) ? Labels[name]
        : Labels.Chinese && indicators?.Variables.FirstOrDefault(v => v.Name == name) is { Label.Length: > 0 } v ? v.Label
        : name;

    public ParagraphBlock Missing(IEnumerable<string> keys) => new(Labels.Format("note.missing", string.Join(", ", keys)), "missing");
}
