using System.Globalization;
using NQPF.Stages.Common;

namespace NQPF.Stages.Clean;

/// <summary>A unit of the roster as the clean stage sees it: whether the sample rule keeps it and why not.</summary>
internal sealed record SampleUnit(string CityCode, string Name, bool InSample, string? Reason);

/// <summary>A city's variable with a run of missing years too long to impute (or no value at all).</summary>
internal sealed record LongGap(string CityCode, string Name, string Variable, long FirstYear, long LastYear, bool NoData)
{
    public string Describe() => NoData
        ? $"{Variable} has no value in any year"
        : $"{Variable} missing {FirstYear.ToString(CultureInfo.InvariantCulture)}–{LastYear.ToString(CultureInfo.InvariantCulture)} " +
          $"({(LastYear - FirstYear + 1).ToString(CultureInfo.InvariantCulture)} years)";
}

/// <summary>The clean stage's tables: the balanced wide panel, imputed cells, the sample decisions, long gaps.</summary>
/// <param name="LastYear">The panel's last year (<see cref="CleanOptions.LastYear"/> resolved).</param>
internal sealed record CleanTables(Frame Panel, Frame Imputations, Frame Sample, Frame Gaps, int LastYear)
{
    /// <summary>Variables the data do not supply (below Clean:MinVariableCoverage): missing in the panel.</summary>
    public IReadOnlyList<string> Unavailable { get; init; } = [];
}

/// <summary>
/// Builds the balanced analysis panel from the ingested long table, in this order:
/// (1) sample: roster units with in_sample = 1 that have data; (2) pivot each city's canonical fields over
/// FirstYear..LastYear (LastYear 0: the last year with any value in ingest/panel); (3) derive every variable of the
/// indicator system by its formula (missing field → missing);
/// (4) deflate; (5) fill each city's series (<see cref="Interpolation"/>), recording every imputed cell; a run longer
/// than MaxGap drops the city (reason recorded) or fails the stage; (6) log; (7) winsorise (pooled or by year) on the
/// final sample. Output rows are sorted by city_code, then year.
/// </summary>
internal static class CleanPanelBuilder
{
    /// <param name="yearSeries">Fields that hold for every city in a year (e.g. the exchange rate); a city's own
    /// value of the same field takes precedence.</param>
    public static CleanTables Build(Frame longPanel, IReadOnlyList<SampleUnit> units, IndicatorSystem system, CleanOptions options,
        IReadOnlyDictionary<(long Year, string Field), double>? yearSeries = null)
    {
        yearSeries ??= new Dictionary<(long, string), double>();
        CheckTransformNames(system, options);
        options = options with { LastYear = ResolveLastYear(longPanel, options) };
        var years = Enumerable.Range(options.FirstYear, options.LastYear - options.FirstYear + 1).Select(y => (long)y).ToArray();
        var cells = Index(longPanel, options);
        var variables = system.Variables;

        var decisions = new Dictionary<string, (bool Included, string? Reason)>(StringComparer.Ordinal);
        var raws = new Dictionary<string, double[][]>(StringComparer.Ordinal);
        foreach (var unit in units.OrderBy(u => u.CityCode, StringComparer.Ordinal))
        {
            if (!unit.InSample)
                decisions[unit.CityCode] = (false, unit.Reason ?? "excluded by the sample rule");
            else if (!cells.TryGetValue(unit.CityCode, out var fields))
                decisions[unit.CityCode] = (false,
                    $"no data: the city has no value in ingest/panel for {years[0].ToString(CultureInfo.InvariantCulture)}–{years[^1].ToString(CultureInfo.InvariantCulture)}");
            else
                raws[unit.CityCode] = variables.Select(v => RawSeries(unit, fields, v, years, options, yearSeries)).ToArray();
        }
        var unavailable = Unavailable(raws, variables, options);
        var series = new Dictionary<string, double[][]>(StringComparer.Ordinal);
        var imputations = new List<(string City, long Year, string Variable, string Method)>();
        var gaps = new List<LongGap>();
        foreach (var unit in units.Where(u => raws.ContainsKey(u.CityCode)).OrderBy(u => u.CityCode, StringComparer.Ordinal))
        {
            var (values, cityGaps, cityImputations) = Fill(unit, raws[unit.CityCode], years, variables, unavailable, options);
            gaps.AddRange(cityGaps);
            if (cityGaps.Count > 0)
            {
                decisions[unit.CityCode] = (false, $"gap longer than MaxGap {options.MaxGap.ToString(CultureInfo.InvariantCulture)}: " +
                    string.Join("; ", cityGaps.Select(g => g.Describe())));
                continue;
            }
            imputations.AddRange(cityImputations);
            decisions[unit.CityCode] = (true, null);
            series[unit.CityCode] = values;
        }
        if (gaps.Count > 0 && options.OnLongGap == GapAction.Fail)
        {
            throw new DataValidationException(
                $"{gaps.Count.ToString(CultureInfo.InvariantCulture)} series have gaps longer than MaxGap {options.MaxGap.ToString(CultureInfo.InvariantCulture)} " +
                $"(Clean:OnLongGap = Fail): " + string.Join("; ", gaps.Take(20).Select(g => $"city {g.CityCode} ({g.Name}): {g.Describe()}")));
        }
        if (series.Count == 0)
            throw NoCities(decisions, unavailable, options);

        var panel = Assemble(series, years, system, options);
        return new CleanTables(panel, CleanFrames.Imputations(imputations), CleanFrames.Sample(units, decisions), CleanFrames.Gaps(gaps), options.LastYear)
        {
            Unavailable = unavailable.Select(v => variables[v].Name).ToList(),
        };
    }

    /// <summary>
    /// Variables that the data do not supply: fewer than <see cref="CleanOptions.MinVariableCoverage"/> of the cities
    /// with data have any value of them (partial data: a few per-variable files). They stay missing in clean/panel and
    /// do not drop cities by the gap rule; clean/settings.md lists them.
    /// </summary>
    private static HashSet<int> Unavailable(Dictionary<string, double[][]> raws, IReadOnlyList<DerivedVariable> variables, CleanOptions options)
    {
        var result = new HashSet<int>();
        for (var v = 0; v < variables.Count && raws.Count > 0; v++)
        {
            var covered = raws.Values.Count(series => series[v].Any(x => !double.IsNaN(x)));
            if (covered < options.MinVariableCoverage * raws.Count)
                result.Add(v);
        }
        return result;
    }

    private static (double[][] Values, List<LongGap> Gaps, List<(string City, long Year, string Variable, string Method)> Imputed) Fill(
        SampleUnit unit, double[][] raw, long[] years, IReadOnlyList<DerivedVariable> variables, HashSet<int> unavailable, CleanOptions options)
    {
        var values = new double[variables.Count][];
        var gaps = new List<LongGap>();
        var imputed = new List<(string, long, string, string)>();
        for (var v = 0; v < variables.Count; v++)
        {
            if (unavailable.Contains(v))
            {
                values[v] = Enumerable.Repeat(double.NaN, years.Length).ToArray();
                continue;
            }
            var filled = Interpolation.Fill(raw[v], options.EdgeRule, options.EdgeGrowthYears, options.MaxGap);
            foreach (var gap in filled.TooLong)
                gaps.Add(new LongGap(unit.CityCode, unit.Name, variables[v].Name, years[gap.First], years[gap.Last], filled.NoData));
            foreach (var cell in filled.Imputed)
                imputed.Add((unit.CityCode, years[cell.Index], variables[v].Name, cell.Method));
            values[v] = filled.Values;
        }
        return (values, gaps, imputed);
    }

    /// <summary>A clean panel without cities is an error, never an empty success: says why each group of cities went.</summary>
    private static DataValidationException NoCities(Dictionary<string, (bool Included, string? Reason)> decisions, HashSet<int> unavailable, CleanOptions options)
    {
        var reasons = decisions.Values.Where(d => !d.Included).GroupBy(d => Reason(d.Reason ?? ""))
            .OrderByDescending(g => g.Count()).Select(g => $"{g.Count().ToString(CultureInfo.InvariantCulture)} × {g.Key}");
        return new DataValidationException(
            $"clean/panel would have no city-years for {options.FirstYear.ToString(CultureInfo.InvariantCulture)}–{options.LastYear.ToString(CultureInfo.InvariantCulture)}: " +
            $"no in-sample city has every available variable ({unavailable.Count.ToString(CultureInfo.InvariantCulture)} variables unavailable). " +
            $"Cities excluded: {string.Join("; ", reasons)}.");

        static string Reason(string r) => r.Length > 120 ? r[..120] + "…" : r;
    }

    /// <summary>A variable's yearly values for one city before interpolation: its formula over the city's fields (or the
    /// year series), deflated when configured.</summary>
    private static double[] RawSeries(SampleUnit unit, Dictionary<(long Year, string Field), double> fields, DerivedVariable variable,
        long[] years, CleanOptions options, IReadOnlyDictionary<(long Year, string Field), double> yearSeries)
    {
        var raw = new double[years.Length];
        for (var t = 0; t < years.Length; t++)
        {
            var year = years[t];
            var where = $"city {unit.CityCode} ({unit.Name}) year {year.ToString(CultureInfo.InvariantCulture)} variable '{variable.Name}'";
            raw[t] = variable.Formula.Evaluate(
                f => fields.TryGetValue((year, f), out var x) ? x : yearSeries.GetValueOrDefault((year, f), double.NaN), where);
            if (options.Deflate.Contains(variable.Name))
                raw[t] = Deflate(raw[t], fields, year, options.PriceIndexField, where);
        }
        return raw;
    }

    /// <summary>
    /// <see cref="CleanOptions.LastYear"/>, or when it is 0 the latest year with a non-missing value in ingest/panel
    /// (a yearbook that adds a year extends the panel). Fails when no value lies at or after FirstYear.
    /// </summary>
    internal static int ResolveLastYear(Frame longPanel, CleanOptions options)
    {
        if (options.LastYear != 0)
            return options.LastYear;
        var years = longPanel.Longs(Columns.Year);
        var values = longPanel.Doubles("value");
        var last = long.MinValue;
        for (var i = 0; i < longPanel.RowCount; i++)
        {
            if (years[i] > last && !double.IsNaN(values[i]))
                last = years[i];
        }
        return last >= options.FirstYear
            ? (int)last
            : throw new DataValidationException(
                $"ingest/panel has no value in or after FirstYear {options.FirstYear.ToString(CultureInfo.InvariantCulture)}, so Clean:LastYear = 0 (the last year with data) has no year to use.");
    }

    private static Dictionary<string, Dictionary<(long Year, string Field), double>> Index(Frame longPanel, CleanOptions options)
    {
        var codes = longPanel.Strings(Columns.CityCode);
        var yearColumn = longPanel.Longs(Columns.Year);
        var fieldColumn = longPanel.Strings("field");
        var valueColumn = longPanel.Doubles("value");
        var result = new Dictionary<string, Dictionary<(long, string), double>>(StringComparer.Ordinal);
        for (var i = 0; i < longPanel.RowCount; i++)
        {
            var year = yearColumn[i];
            if (year < options.FirstYear || year > options.LastYear || double.IsNaN(valueColumn[i])) continue;
            var code = codes[i] ?? throw new DataValidationException($"ingest/panel row {i.ToString(CultureInfo.InvariantCulture)} has no city_code.");
            var field = fieldColumn[i] ?? throw new DataValidationException($"ingest/panel row {i.ToString(CultureInfo.InvariantCulture)} has no field.");
            if (!result.TryGetValue(code, out var cityCells)) result[code] = cityCells = [];
            if (!cityCells.TryAdd((year, field), valueColumn[i]))
                throw new DataValidationException(
                    $"ingest/panel has two values for city {code} year {year.ToString(CultureInfo.InvariantCulture)} field '{field}'.");
        }
        return result;
    }

    private static double Deflate(double value, Dictionary<(long, string), double> fields, long year, string priceField, string where)
    {
        if (double.IsNaN(value)) return value;
        if (!fields.TryGetValue((year, priceField), out var price))
            return double.NaN;
        return price > 0 ? value / (price / 100.0)
            : throw new DataValidationException($"{where}: price index '{priceField}' is {price.ToString("R", CultureInfo.InvariantCulture)} (must be > 0).");
    }

    private static Frame Assemble(Dictionary<string, double[][]> series, long[] years, IndicatorSystem system, CleanOptions options)
    {
        var cities = series.Keys.Order(StringComparer.Ordinal).ToArray();
        var n = cities.Length * years.Length;
        var codeColumn = new string?[n];
        var yearColumn = new long[n];
        var columns = system.Variables.Select(_ => new double[n]).ToArray();
        for (var c = 0; c < cities.Length; c++)
        {
            for (var t = 0; t < years.Length; t++)
            {
                var row = c * years.Length + t;
                codeColumn[row] = cities[c];
                yearColumn[row] = years[t];
                for (var v = 0; v < columns.Length; v++) columns[v][row] = series[cities[c]][v][t];
            }
        }
        for (var v = 0; v < columns.Length; v++)
        {
            var name = system.Variables[v].Name;
            if (options.Log.Contains(name))
            {
                for (var row = 0; row < n; row++)
                {
                    columns[v][row] = columns[v][row] > 0 ? Math.Log(columns[v][row])
                        : throw new DataValidationException(
                            $"city {codeColumn[row]} year {yearColumn[row].ToString(CultureInfo.InvariantCulture)} variable '{name}': " +
                            $"cannot take the log of {columns[v][row].ToString("R", CultureInfo.InvariantCulture)} (Clean:Log).");
                }
            }
            if (options.Winsorise.Contains(name))
                Transforms.Winsorise(columns[v], options.WinsoriseLower, options.WinsoriseUpper, options.WinsoriseByYear ? yearColumn : null);
        }
        var frameColumns = new List<Column> { new StringColumn(Columns.CityCode, codeColumn), new LongColumn(Columns.Year, yearColumn) };
        frameColumns.AddRange(system.Variables.Select((v, i) => new DoubleColumn(v.Name, columns[i])));
        return new Frame(frameColumns);
    }

    private static void CheckTransformNames(IndicatorSystem system, CleanOptions options)
    {
        foreach (var (list, key) in new[] { (options.Log, "Log"), (options.Deflate, "Deflate"), (options.Winsorise, "Winsorise") })
        {
            var unknown = list.Where(name => !system.Variables.Any(v => v.Name == name)).ToArray();
            if (unknown.Length > 0)
                throw new ConfigValidationException(
                    $"Clean:{key} names variables not in {options.IndicatorsFile}: {string.Join(", ", unknown)}.");
        }
    }
}
