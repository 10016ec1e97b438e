using System.Globalization;

using NQPF.Stages.Common;

namespace NQPF.Stages.Estimate;

/// <summary>
/// The analysis panel: one row per city-year of index/index, with the outcome, every treatment dummy and the order
/// of cohorts/treatment, the controls and mediators of clean/panel, and the city groupings of cohorts/attributes.
/// Also derives the order dummies dual_cluster_first, dual_broadband_first, dual_same_year (dual in force × order).
/// </summary>
internal static class EstimatePanel
{
    public const string City = Columns.CityCode;
    public const string Year = "year";
    public static readonly string[] OrderTerms = ["dual_cluster_first", "dual_broadband_first", "dual_same_year"];

    /// <summary>Joins the inputs on (city_code, year) / city_code by the rule of <see cref="CityYearJoin"/>, index/index deciding the rows.</summary>
    public static Frame Build(Frame index, Frame treatment, Frame clean, Frame attributes, EstimateOptions options)
    {
        var codes = index.Strings(City);
        var years = index.Longs(Year);
        var n = index.RowCount;
        var columns = new List<Column>
        {
            new StringColumn(City, codes),
            new LongColumn(Year, years),
            new DoubleColumn(options.Outcome, Require(index, options.Outcome, "index/index").Values),
        };

        var tRow = CityYearJoin.Rows(treatment, Datasets.Cohorts.Treatment, codes, years, Datasets.Index.Values);
        var treatmentNames = options.TreatmentList.Concat(["single", "dual"]).Distinct(StringComparer.Ordinal);
        foreach (var name in treatmentNames)
            columns.Add(new DoubleColumn(name, CityYearJoin.Pick(LongsAsDoubles(treatment, name, "cohorts/treatment"), tRow)));
        var order = CityYearJoin.Pick(treatment.Strings("order"), tRow);
        var dual = CityYearJoin.Pick(LongsAsDoubles(treatment, "dual", "cohorts/treatment"), tRow);
        string[] orderValues = ["cluster_first", "broadband_first", "same_year"];
        for (var o = 0; o < OrderTerms.Length; o++)
        {
            var v = new double[n];
            for (var i = 0; i < n; i++) v[i] = dual[i] * (string.Equals(order[i], orderValues[o], StringComparison.Ordinal) ? 1 : 0);
            columns.Add(new DoubleColumn(OrderTerms[o], v));
        }

        var cRow = CityYearJoin.Rows(clean, Datasets.Clean.Panel, codes, years, Datasets.Index.Values);
        foreach (var name in options.ControlList.Concat(options.MediatorList))
            columns.Add(new DoubleColumn(name, CityYearJoin.Pick(Require(clean, name, "clean/panel").Values, cRow)));

        var aRow = CityLookup(attributes, codes);
        foreach (var name in options.GroupingList)
        {
            if (!attributes.Has(name))
                throw new DataValidationException($"cohorts/attributes has no grouping column '{name}' (Estimate:Groupings; columns: {string.Join(", ", attributes.Columns.Select(c => c.Name))}).");
            var values = attributes[name] switch
            {
                LongColumn l => l.Values,
                BoolColumn b => Array.ConvertAll(b.Values, v => v ? 1L : 0L),
                _ => throw new DataValidationException($"cohorts/attributes column '{name}' is not a 0/1 column."),
            };
            foreach (var v in values)
            {
                if (v is not (0 or 1))
                    throw new DataValidationException($"cohorts/attributes column '{name}' has value {v.ToString(CultureInfo.InvariantCulture)}; a grouping must be 0/1.");
            }
            columns.Add(new LongColumn(name, CityYearJoin.Pick(values, aRow)));
        }
        return new Frame(columns);
    }

    private static DoubleColumn Require(Frame frame, string name, string input) =>
        frame.Has(name) && frame[name] is DoubleColumn d ? d
            : throw new DataValidationException($"{input} has no numeric column '{name}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");

    private static double[] LongsAsDoubles(Frame frame, string name, string input)
    {
        if (!frame.Has(name))
            throw new DataValidationException($"{input} has no column '{name}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
        return frame[name] switch
        {
            LongColumn l => Array.ConvertAll(l.Values, v => (double)v),
            DoubleColumn d => d.Values,
            BoolColumn b => Array.ConvertAll(b.Values, v => v ? 1.0 : 0.0),
            _ => throw new DataValidationException($"{input} column '{name}' is text; a 0/1 dummy is needed."),
        };
    }

    private static int[] CityLookup(Frame attributes, string?[] codes)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var ac = attributes.Strings(City);
        for (var i = 0; i < attributes.RowCount; i++) map[ac[i] ?? ""] = i;
        var rows = new int[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            if (!map.TryGetValue(codes[i] ?? "", out rows[i]))
                throw new DataValidationException($"cohorts/attributes has no row for city {codes[i]} (present in index/index).");
        }
        return rows;
    }
}
