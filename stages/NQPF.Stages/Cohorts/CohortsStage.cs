using Microsoft.Extensions.Logging;
using NQPF.Stages.Common;

namespace NQPF.Stages.Cohorts;

/// <summary>
/// Codes the treatment cohorts. Reads the policy lists (config/policies/*.csv) and the city roster, codes each list
/// under the configured options, and returns cohorts/treatment (city-year first treated years, in-force dummies, order
/// of dual cities, event times, concurrent-policy flags), cohorts/attributes (per city), cohorts/summary (counts),
/// cohorts/findings (entries dropped or recoded) and cohorts/settings (every option), plus summary.md.
/// </summary>
internal sealed class CohortsStage : IStage
{
    public const string PoliciesGlob = "config:policies/*.csv";
    public const string CitiesGlob = "config:cities.csv";
    public const string ChangesGlob = "config:city_changes.csv";

    private readonly CohortsOptions _options;
    private readonly ISheetReader _sheets;

    public CohortsStage(CohortsOptions options, ISheetReader sheets)
    {
        options.Validate();
        _options = options.Resolved();
        _sheets = sheets;
    }

    public string Name => Datasets.Cohorts.Stage;

    public int Version => 1;

    public string ConfigSection => CohortsOptions.SectionName;

    public object Settings => _options;

    public IReadOnlyList<string> Inputs =>
        new[] { _options.SampleInput, _options.PopulationInput, _options.TargetsInput }.Distinct(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> Outputs => Datasets.Tables(Datasets.Cohorts.Treatment, Datasets.Cohorts.Attributes,
        Datasets.Cohorts.Summary, Datasets.Cohorts.Findings, Datasets.Cohorts.Settings);

    public IReadOnlyList<string> SourceGlobs => [PoliciesGlob, CitiesGlob, ChangesGlob];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var roster = LoadRoster(context);
        var panel = PanelView.From(_options.SampleInput, context.Input(_options.SampleInput),
            _options.PopulationInput, context.Input(_options.PopulationInput), _options.PopulationField);
        var lists = context.Sources
            .Where(s => s.Root == "config" && s.RelativePath.StartsWith("policies/", StringComparison.Ordinal))
            .OrderBy(s => s.RelativePath, StringComparer.Ordinal)
            .Select(s => PolicyFileParser.Parse("config/" + s.RelativePath, Records(s, PolicyFileParser.Columns)))
            .ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var targets = TargetsReader.Read(_options.TargetsInput, context.Input(_options.TargetsInput));
        var result = CohortCoding.Run(_options, roster, panel, lists, targets);
        context.Logger.LogInformation(
            "Cohorts: {Cities} sample cities, {Years} years, {Policies} policy lists, {Findings} entries dropped or recoded",
            result.Cohorts.Count, result.Years.Count, result.Policies.Count, result.Findings.Count);
        return result.ToStageResult();
    }

    private CityDirectory LoadRoster(StageContext context) =>
        CityDirectory.FromRoster(CityRoster.Load(Sheet(context, "cities.csv"), Sheet(context, "city_changes.csv")));

    private Sheet Sheet(StageContext context, string relativePath) =>
        _sheets.Read(relativePath, context.Config(relativePath, Name), new ReadLimits()).Sheets[0];

    private Sheet Read(SourceFile file) => _sheets.Read(file.RelativePath, file.Content, new ReadLimits()).Sheets[0];

    private IReadOnlyList<IReadOnlyDictionary<string, string>> Records(SourceFile file, string[] required) =>
        SheetTable.Records(Read(file), file.RelativePath, required);
}
