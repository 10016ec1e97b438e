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
    private readonly CohortsOptions _options;

    public CohortsStage(CohortsOptions options) => _options = options.Resolved();

    public string Name => Datasets.Cohorts.Stage;

    public int Version => 1;

    public string ConfigSection => CohortsOptions.SectionName;

    public object Settings => _options;

    public IReadOnlyList<string> Inputs =>
        new[] { _options.SampleInput, _options.PopulationInput, _options.TargetsInput }.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Of the sample panel only its city-years; of the population input its keys and the population values (a long
    /// table's field and value columns; a wide one's population column).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputColumns
    {
        get
        {
            string[] population = _options.PopulationInput == Datasets.Ingest.Panel
                ? [Columns.CityCode, Columns.Year, Columns.Field, Columns.Value]
                : [Columns.CityCode, Columns.Year, _options.PopulationField];
            var columns = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [_options.PopulationInput] = population };
            columns[_options.SampleInput] = [.. columns.GetValueOrDefault(_options.SampleInput, []).Union([Columns.CityCode, Columns.Year])];
            return columns;
        }
    }

    public IReadOnlyList<string> Outputs => Datasets.Tables(Datasets.Cohorts.Treatment, Datasets.Cohorts.Attributes,
        Datasets.Cohorts.Summary, Datasets.Cohorts.Findings, Datasets.Cohorts.Settings);

    public IReadOnlyList<string> SourceGlobs => [ConfigTables.PoliciesGlob, .. ConfigTables.RosterGlobs];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var roster = CityDirectory.FromRoster(context.Config.Roster);
        var panel = PanelView.From(_options.SampleInput, context.Input(_options.SampleInput),
            _options.PopulationInput, context.Input(_options.PopulationInput), _options.PopulationField);
        var lists = context.Config.PolicyLists;
        cancellationToken.ThrowIfCancellationRequested();
        var targets = TargetsReader.Read(_options.TargetsInput, context.Input(_options.TargetsInput));
        var result = CohortCoding.Run(_options, roster, panel, lists, targets);
        context.Logger.LogInformation(
            "Cohorts: {Cities} sample cities, {Years} years, {Policies} policy lists, {Findings} entries dropped or recoded",
            result.Cohorts.Count, result.Years.Count, result.Policies.Count, result.Findings.Count);
        return result.ToStageResult();
    }
}
