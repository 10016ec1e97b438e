using NQPF.Econometrics;
using NQPF.Stages.Common;

namespace NQPF.Stages.Robustness;

/// <summary>
/// The city-year panel the robustness checks run on: the rows of cohorts/treatment, with the outcome(s) of index/index,
/// the controls of clean/panel and the province of cohorts/attributes joined on (city_code, year) / city_code.
/// A value missing from a joined table is NaN (the regression leaves the row out).
/// </summary>
internal sealed class RobustnessPanel
{
    private readonly Dictionary<string, double[]> _columns;

    private RobustnessPanel(string?[] city, long[] year, int[] unitOfRow, string[] units, string?[] province,
        Dictionary<string, double[]> columns, Dictionary<string, long[]> cohorts, Dictionary<string, bool[]> concurrentEver)
    {
        City = city;
        Year = year;
        UnitOfRow = unitOfRow;
        Units = units;
        Province = province;
        _columns = columns;
        CohortOfRow = cohorts;
        ConcurrentEver = concurrentEver;
        Unit = Factor.FromCodes(Columns.CityCode, unitOfRow, units.Length);
        YearFactor = Factor.FromLongs("year", year);
    }

    public string?[] City { get; }

    public long[] Year { get; }

    public int[] UnitOfRow { get; }

    /// <summary>City code of each unit code.</summary>
    public string[] Units { get; }

    public string?[] Province { get; }

    public int Rows => Year.Length;

    public Factor Unit { get; }

    public Factor YearFactor { get; }

    /// <summary>Cohort (first treated year, 0 = never) per row, by treatment name.</summary>
    public IReadOnlyDictionary<string, long[]> CohortOfRow { get; }

    /// <summary>Per row: whether the row's city is ever under the concurrent policy (by policy name, without the "concurrent_" prefix).</summary>
    public IReadOnlyDictionary<string, bool[]> ConcurrentEver { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    public double[] Column(string name) => _columns.TryGetValue(name, out var c) ? c
        : throw new ConfigValidationException($"Robustness: no column '{name}' in index/index or clean/panel (columns: {string.Join(", ", _columns.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>The treatment dummy 1[cohort &gt; 0 and year ≥ cohort] of <paramref name="treatment"/>.</summary>
    public double[] Treatment(string treatment)
    {
        var cohort = CohortOfRow[treatment];
        var d = new double[Rows];
        for (var i = 0; i < Rows; i++) d[i] = cohort[i] > 0 && Year[i] >= cohort[i] ? 1.0 : 0.0;
        return d;
    }

    /// <summary>Cohort per unit code of <paramref name="treatment"/>.</summary>
    public long[] UnitCohorts(string treatment)
    {
        var perUnit = new long[Units.Length];
        var cohort = CohortOfRow[treatment];
        for (var i = 0; i < Rows; i++) perUnit[UnitOfRow[i]] = cohort[i];
        return perUnit;
    }

    public static RobustnessPanel Build(Frame treatment, Frame index, Frame clean, Frame attributes, RobustnessOptions options)
    {
        var city = treatment.Strings(Columns.CityCode);
        var year = treatment.Longs(Columns.Year);
        var n = treatment.RowCount;
        if (n == 0) throw new DataValidationException("Robustness: cohorts/treatment has no rows.");

        var unitIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var unitOfRow = new int[n];
        for (var i = 0; i < n; i++)
        {
            var code = city[i] ?? throw new DataValidationException($"Robustness: cohorts/treatment row {i}: city_code is missing.");
            if (!unitIndex.TryGetValue(code, out var u)) unitIndex[code] = u = unitIndex.Count;
            unitOfRow[i] = u;
        }
        var units = unitIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        Join(index, Datasets.Index.Values, city, year, columns);
        Join(clean, Datasets.Clean.Panel, city, year, columns);

        var cohorts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var t in options.Treatments)
        {
            if (!treatment.Has(t.CohortColumn))
                throw new ConfigValidationException($"Robustness.Treatments: cohorts/treatment has no column '{t.CohortColumn}' for treatment '{t.Name}'.");
            cohorts[t.Name] = treatment.Longs(t.CohortColumn);
        }

        var concurrent = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var col in treatment.Columns.Where(c => c.Name.StartsWith("concurrent_", StringComparison.Ordinal) && c.Name != "concurrent_any"))
        {
            var flags = treatment.Longs(col.Name);
            var ever = new bool[units.Length];
            for (var i = 0; i < n; i++) ever[unitOfRow[i]] |= flags[i] != 0;
            concurrent[col.Name["concurrent_".Length..]] = [.. unitOfRow.Select(u => ever[u])];
        }

        var province = new string?[n];
        if (!attributes.Has(options.ProvinceColumn))
            throw new ConfigValidationException($"Robustness.ProvinceColumn: cohorts/attributes has no column '{options.ProvinceColumn}'.");
        var provinceOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var attrCity = attributes.Strings(Columns.CityCode);
        var attrProvince = attributes.Strings(options.ProvinceColumn);
        for (var i = 0; i < attributes.RowCount; i++)
        {
            if (attrCity[i] is { } c) provinceOf[c] = attrProvince[i];
        }
        for (var i = 0; i < n; i++)
            province[i] = provinceOf.TryGetValue(city[i]!, out var p) ? p
                : throw new DataValidationException($"Robustness: city {city[i]} is in cohorts/treatment but not in cohorts/attributes.");

        return new RobustnessPanel(city, year, unitOfRow, units, province, columns, cohorts, concurrent);
    }

    /// <summary>The numeric columns of <paramref name="frame"/> on the rows of cohorts/treatment (<see cref="CityYearJoin"/>).</summary>
    private static void Join(Frame frame, string key, string?[] city, long[] year, Dictionary<string, double[]> into)
    {
        var rows = CityYearJoin.Rows(frame, key, city, year, Datasets.Cohorts.Treatment);
        foreach (var col in frame.Columns.OfType<DoubleColumn>())
        {
            if (!into.ContainsKey(col.Name))
                into[col.Name] = CityYearJoin.Pick(col.Values, rows);
        }
    }
}
