using System.Text.Json;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Index;

public sealed class DefaultIndicatorSystemTests
{
    private static IndicatorSystem Load() =>
        IndicatorSystem.FromJson(File.ReadAllBytes(RepoPaths.Config("indicators.json")), "indicators.json");

    [Fact]
    public void DefaultSystem_Parse_SeventeenIndicatorsInThreeDimensions()
    {
        var system = Load();
        Assert.Equal(["laborers", "means_of_labour", "objects_of_labour"], system.Dimensions);
        Assert.Equal(17, system.Indicators.Count());
        Assert.Equal([5, 5, 7], system.Dimensions.Select(d => system.Indicators.Count(i => i.Dimension == d)));
        Assert.Equal(6, system.Variables.Count(v => v.Role == VariableRole.Control));
        Assert.Equal(["innovation", "agglomeration"], system.Variables.Where(v => v.Role == VariableRole.Mediator).Select(v => v.Name));
    }

    [Fact]
    public void DefaultSystem_Formulas_UseOnlyCanonicalFieldsOrYearSeries()
    {
        using var fields = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Config("fields.json")));
        var known = fields.RootElement.GetProperty("Fields").EnumerateArray().Select(f => f.GetProperty("Name").GetString()!).ToHashSet();
        var yearSeries = File.ReadLines(RepoPaths.Config("exchange_rates.csv")).First().Split(',');
        var unknown = Load().Fields.Where(f => !known.Contains(f) && !yearSeries.Contains(f)).ToArray();
        Assert.Empty(unknown);
    }
}
