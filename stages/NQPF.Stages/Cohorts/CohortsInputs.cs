namespace NQPF.Stages.Cohorts;

/// <summary>The sample and years of the panel, and the population variable by city and year.</summary>
internal sealed record PanelView(IReadOnlySet<string> Sample, IReadOnlyList<int> Years, IReadOnlyDictionary<(string City, int Year), double> Population)
{
    /// <summary>
    /// Reads a wide panel (clean/panel: city_code, year, one column per variable) or a long one (ingest/panel:
    /// city_code, year, field, value). The sample is every city in the panel; population is the configured variable.
    /// </summary>
    public static PanelView From(string key, Frame panel, string populationField)
    {
        if (panel.RowCount == 0) throw new DataValidationException($"Input {key} has no rows: no sample to code.");
        var codes = panel.Strings("city_code");
        var years = panel.Longs("year");
        var sample = new HashSet<string>(StringComparer.Ordinal);
        var population = new Dictionary<(string, int), double>();
        var isLong = panel.Has("field");
        double[]? wide = null;
        if (!isLong)
        {
            wide = panel.Has(populationField) ? panel.Doubles(populationField)
                : throw new ConfigValidationException(
                    $"Cohorts.PopulationField: {key} has no column '{populationField}' " +
                    $"(columns: {string.Join(", ", panel.Columns.Select(c => c.Name))}).");
        }
        var fields = isLong ? panel.Strings("field") : null;
        var values = isLong ? panel.Doubles("value") : null;
        for (var i = 0; i < panel.RowCount; i++)
        {
            var code = codes[i] ?? throw new DataValidationException($"{key} row {i}: city_code is missing.");
            sample.Add(code);
            if (isLong && fields![i] != populationField) continue;
            var year = checked((int)years[i]);
            var value = isLong ? values![i] : wide![i];
            if (value < 0)
                throw new DataValidationException($"{key}: city {code}, year {year}: population {populationField} is negative.");
            population[(code, year)] = value;
        }
        if (isLong && population.Count == 0)
            throw new ConfigValidationException($"Cohorts.PopulationField: {key} has no rows with field '{populationField}'.");
        var distinctYears = years.Select(y => checked((int)y)).Distinct().Order().ToList();
        return new PanelView(sample, distinctYears, population);
    }
}

/// <summary>Reads ingest/targets (city_code, year, growth_target, wording) into typed rows.</summary>
internal static class TargetsReader
{
    public static IReadOnlyList<GrowthTarget> Read(string key, Frame targets)
    {
        var codes = targets.Strings("city_code");
        var years = targets.Longs("year");
        var values = targets.Doubles("growth_target");
        var wording = targets.Strings("wording");
        var rows = new List<GrowthTarget>(targets.RowCount);
        for (var i = 0; i < targets.RowCount; i++)
        {
            var code = codes[i] ?? throw new DataValidationException($"{key} row {i}: city_code is missing.");
            rows.Add(new GrowthTarget(code, checked((int)years[i]), values[i], wording[i]));
        }
        return rows;
    }
}
