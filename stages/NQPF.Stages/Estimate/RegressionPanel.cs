using NQPF.Econometrics;

namespace NQPF.Stages.Estimate;

/// <summary>
/// The analysis panel prepared once for many regressions: city and year factors, numeric columns by name, the rows of
/// each city. Every model is y ~ regressors (+ controls) | city + year, clustered by city, on an optional row subset.
/// </summary>
internal sealed class RegressionPanel
{
    private readonly Frame _panel;
    private readonly Dictionary<string, double[]> _numeric = new(StringComparer.Ordinal);

    public RegressionPanel(Frame panel, EstimateOptions options)
    {
        _panel = panel;
        Options = options;
        City = Factor.FromStrings(EstimatePanel.City, panel.Strings(EstimatePanel.City));
        Year = Factor.FromLongs(EstimatePanel.Year, panel.Longs(EstimatePanel.Year));
        var rows = new List<int>[City.LevelCount];
        for (var g = 0; g < rows.Length; g++) rows[g] = [];
        for (var i = 0; i < City.Length; i++) rows[City.Codes[i]].Add(i);
        CityRows = rows.Select(r => r.ToArray()).ToArray();
    }

    public EstimateOptions Options { get; }

    public Factor City { get; }

    public Factor Year { get; }

    /// <summary>Row indices of each city (by city code of <see cref="City"/>).</summary>
    public int[][] CityRows { get; }

    public int Rows => City.Length;

    public double[] Column(string name)
    {
        lock (_numeric)
        {
            if (!_numeric.TryGetValue(name, out var values))
            {
                values = FrameRegression.Numeric(_panel, name);
                _numeric[name] = values;
            }
            return values;
        }
    }

    /// <summary>Registers a derived column (e.g. an interaction).</summary>
    public void Add(string name, double[] values)
    {
        lock (_numeric) _numeric[name] = values;
    }

    /// <summary>City-level value of a 0/1 grouping (its value in the city's first row).</summary>
    public long[] CityGroups(string grouping)
    {
        var values = _panel.Longs(grouping);
        return CityRows.Select(r => values[r[0]]).ToArray();
    }

    /// <summary>The regression input: y on <paramref name="terms"/> then the controls (when asked), city + year FE.</summary>
    public RegressionInput Input(string outcome, IReadOnlyList<string> terms, bool controls, bool[]? include = null)
    {
        var names = controls ? terms.Concat(Options.ControlList) : terms;
        return new RegressionInput(outcome, Column(outcome), names.Select(n => new NamedColumn(n, Column(n))).ToArray(), [City, Year], include);
    }

    /// <summary>Fits and clusters by city; <paramref name="required"/> (default: all of <paramref name="terms"/>) must be estimable.</summary>
    public RegressionResult Estimate(string outcome, IReadOnlyList<string> terms, bool controls, bool[]? include = null, IReadOnlyList<string>? required = null)
    {
        var fit = Regression.Fit(Input(outcome, terms, controls, include), new FitOptions(RequiredTerms: required ?? terms));
        return Inference.Summarise(fit, VcovSpec.Cluster(City, Options.Ssc), Options.Level);
    }
}
