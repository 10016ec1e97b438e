namespace NQPF.Stages.Cohorts;

/// <summary>The sample and years of the panel, and the population variable by city and year.</summary>
internal sealed record PanelView(IReadOnlySet<string> Sample, IReadOnlyList<int> Years, IReadOnlyDictionary<(string City, int Year), double> Population)
{
    /// <summary>
    /// Population of <paramref name="city"/> in <paramref name="year"/>, else in the nearest year with a finite value
    /// (the earlier on a tie); NaN if the city has none. <paramref name="fromYear"/> is the year used (0 if none).
    /// </summary>
    public double PopulationNear(string city, int year, out int fromYear)
    {
        for (var distance = 0; distance <= Years[^1] - Years[0] + 1; distance++)
        {
            foreach (var y in distance == 0 ? [year] : new[] { year - distance, year + distance })
            {
                if (Population.TryGetValue((city, y), out var v) && double.IsFinite(v))
                {
                    fromYear = y;
                    return v;
                }
            }
        }
        fromYear = 0;
        return double.NaN;
    }

    /// <summary>
    /// The sample is every city of <paramref name="samplePanel"/> and the years are its distinct years (only city_code
    /// and year are read). Population comes from <paramref name="populationPanel"/>: a long panel (city_code, year,
    /// field, value: rows of <paramref name="populationField"/>; the first row wins if a city-year repeats) or a wide one
    /// (column <paramref name="populationField"/>). Only sample cities are kept.
    /// </summary>
    public static PanelView From(string sampleKey, Frame samplePanel, string populationKey, Frame populationPanel, string populationField)
    {
        if (samplePanel.RowCount == 0) throw new DataValidationException($"Input {sampleKey} has no rows: no sample to code.");
        var sample = new HashSet<string>(StringComparer.Ordinal);
        var codes = samplePanel.Strings(Columns.CityCode);
        for (var i = 0; i < codes.Length; i++)
            sample.Add(codes[i] ?? throw new DataValidationException($"{sampleKey} row {i}: city_code is missing."));
        var years = samplePanel.Longs(Columns.Year).Select(y => checked((int)y)).Distinct().Order().ToList();

        var isLong = populationPanel.Has("field");
        if (!isLong && !populationPanel.Has(populationField))
            throw new ConfigValidationException(
                $"Cohorts.PopulationField: {populationKey} has no column '{populationField}' " +
                $"(columns: {string.Join(", ", populationPanel.Columns.Select(c => c.Name))}).");
        var popCodes = populationPanel.Strings(Columns.CityCode);
        var popYears = populationPanel.Longs(Columns.Year);
        var fields = isLong ? populationPanel.Strings("field") : null;
        var values = isLong ? populationPanel.Doubles("value") : populationPanel.Doubles(populationField);
        var population = new Dictionary<(string, int), double>();
        for (var i = 0; i < populationPanel.RowCount; i++)
        {
            if (popCodes[i] is not { } code || !sample.Contains(code) || (isLong && fields![i] != populationField)) continue;
            var year = checked((int)popYears[i]);
            if (values[i] < 0)
                throw new DataValidationException($"{populationKey}: city {code}, year {year}: {populationField} is negative.");
            population.TryAdd((code, year), values[i]);
        }
        if (population.Count == 0)
            throw new ConfigValidationException(
                $"Cohorts.PopulationField: {populationKey} has no value of '{populationField}' for any sample city.");
        return new PanelView(sample, years, population);
    }
}

/// <summary>Reads ingest/targets (city_code, year, growth_target, wording) into typed rows.</summary>
internal static class TargetsReader
{
    public static IReadOnlyList<GrowthTarget> Read(string key, Frame targets)
    {
        var codes = targets.Strings(Columns.CityCode);
        var years = targets.Longs(Columns.Year);
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
