using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using NQPF.Stages.Common;

namespace NQPF.Stages.Clean;

/// <summary>
/// 02-clean: ingest/panel (long) → the balanced analysis panel of the indicator system's variables
/// (<see cref="CleanPanelBuilder"/>). Reads config/indicators.json, the city roster (in_sample, exclusion_reason)
/// and year-level series. Outputs: panel, imputations, sample, gaps; document settings.md.
/// </summary>
internal sealed class CleanStage(CleanOptions options) : IStage
{
    public string Name => Datasets.Clean.Stage;

    public int Version => 1;

    public string ConfigSection => "Clean";

    public object Settings => options;

    public IReadOnlyList<string> Inputs => [Datasets.Ingest.Panel];

    /// <summary>Of the long panel only the values and their keys: its provenance columns are most of its memory.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputColumns => new Dictionary<string, IReadOnlyList<string>>
    {
        [Datasets.Ingest.Panel] = [Columns.CityCode, Columns.Year, Columns.Field, Columns.Value],
    };

    public IReadOnlyList<string> Outputs =>
        Datasets.Tables(Datasets.Clean.Panel, Datasets.Clean.Imputations, Datasets.Clean.Sample, Datasets.Clean.Gaps);

    public IReadOnlyList<string> SourceGlobs =>
        ["config:" + options.IndicatorsFile, .. ConfigTables.RosterGlobs, .. options.YearSeries.Select(f => "config:" + f)];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        var system = context.Config.Indicators(options.IndicatorsFile);
        var units = context.Config.Roster.Cities.Select(c => new SampleUnit(c.Code, c.Name, c.InSample, c.ExclusionReason)).ToList();
        var yearSeries = new Dictionary<(long Year, string Field), double>();
        foreach (var file in options.YearSeries)
        {
            foreach (var (key, value) in context.Config.YearSeries(file))
                yearSeries[key] = value;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var tables = CleanPanelBuilder.Build(context.Input(Datasets.Ingest.Panel), units, system, options, yearSeries);
        var included = tables.Sample.Bools("included").Count(b => b);
        if (tables.Unavailable.Count > 0)
            context.Logger.LogWarning("Clean: {Count} variables unavailable in the data, left missing: {Variables}", tables.Unavailable.Count, string.Join(", ", tables.Unavailable));
        context.Logger.LogInformation(
            "Clean: {Cities} cities × {Years} years = {Rows} city-years, {Imputed} cells imputed, {Gaps} long gaps",
            included, tables.LastYear - options.FirstYear + 1, tables.Panel.RowCount, tables.Imputations.RowCount, tables.Gaps.RowCount);
        return new StageResult(
            new Dictionary<string, Frame>
            {
                ["panel"] = tables.Panel,
                ["imputations"] = tables.Imputations,
                ["sample"] = tables.Sample,
                ["gaps"] = tables.Gaps,
            },
            [new StageDocument("settings.md", Encoding.UTF8.GetBytes(SettingsText(tables, system, included)))]);
    }

    private string SettingsText(CleanTables t, IndicatorSystem system, int included)
    {
        var inv = CultureInfo.InvariantCulture;
        var methods = t.Imputations.Strings("method").GroupBy(m => m).Select(g => $"{g.Key} {g.Count().ToString(inv)}");
        return string.Join('\n',
            "# Clean: settings and sample",
            "",
            $"- panel: {included.ToString(inv)} cities × {options.FirstYear.ToString(inv)}–{t.LastYear.ToString(inv)} = {t.Panel.RowCount.ToString(inv)} city-years (balanced)" +
                (options.LastYear == 0 ? " (LastYear 0: the last year with data)" : ""),
            $"- variables: {system.Variables.Count.ToString(inv)} ({system.Indicators.Count().ToString(inv)} indicators, controls and mediators) from {options.IndicatorsFile}",
            $"- excluded units: {(t.Sample.RowCount - included).ToString(inv)} (reasons in clean/sample)",
            $"- missing values: linear interpolation inside a series; edges: {options.EdgeRule}" +
                (options.EdgeRule == EdgeRule.Growth ? $" (average growth of the nearest {options.EdgeGrowthYears.ToString(inv)} years)" : "") +
                $"; maximum gap {options.MaxGap.ToString(inv)} years, longer: {options.OnLongGap}",
            $"- imputed cells: {t.Imputations.RowCount.ToString(inv)} ({string.Join(", ", methods)}); long gaps: {t.Gaps.RowCount.ToString(inv)}",
            $"- variables unavailable (fewer than {options.MinVariableCoverage.ToString("P0", inv)} of the cities with data have a value; left missing, not used to drop cities): " +
                (t.Unavailable.Count == 0 ? "none" : string.Join(", ", t.Unavailable)),
            $"- deflated: {List(options.Deflate)} (by {options.PriceIndexField}/100); log: {List(options.Log)}; winsorised: {List(options.Winsorise)}" +
                (options.Winsorise.Count > 0 ? $" at {options.WinsoriseLower.ToString(inv)}/{options.WinsoriseUpper.ToString(inv)} {(options.WinsoriseByYear ? "by year" : "pooled")}" : ""),
            "");

        static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
