using NQPF.Stages.Common;

namespace NQPF.Stages.Simulation;

/// <summary>Which effects a simulated value carries: none (counterfactual), one pilot's, or all (observed).</summary>
internal enum Scenario
{
    Counterfactual = 0,
    BroadbandOnly = 1,
    ClusterOnly = 2,
    Observed = 3,
}

/// <summary>A simulated unit: roster entry, the years it is printed, pilot years (0 = never within the panel) and
/// the attributes that scale its treatment effect.</summary>
internal sealed record SimUnit(
    City City,
    int PrintFrom,
    int PrintTo,
    int BroadbandFirst,
    int ClusterFirst,
    bool Large,
    bool HardTarget,
    bool Intensified,
    double Heterogeneity)
{
    public bool Printed(int year) => year >= PrintFrom && year <= PrintTo;
}

/// <summary>A growth target as printed: unit code and name, level ("省" or "市"), year, target (% or NaN), wording.</summary>
internal sealed record SimTarget(string Code, string Name, string Level, int Year, double Target, string Wording);

/// <summary>The simulated canonical values (fields of config/fields.json, canonical units, already rounded to the
/// precision the files print) for every unit, year and scenario, and the growth targets.</summary>
internal sealed class SimulatedPanel
{
    private readonly Dictionary<(string Code, int Year), double[]>[] _values;
    private readonly Dictionary<string, int> _fieldIndex;

    public SimulatedPanel(IReadOnlyList<SimUnit> units, IReadOnlyList<int> years, IReadOnlyList<string> fields,
        Dictionary<(string Code, int Year), double[]>[] values, IReadOnlyList<SimTarget> targets,
        IReadOnlyDictionary<string, double> effectUnits)
    {
        Units = units;
        Years = years;
        Fields = fields;
        _values = values;
        Targets = targets;
        EffectUnits = effectUnits;
        _fieldIndex = fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<SimUnit> Units { get; }

    public IReadOnlyList<int> Years { get; }

    public IReadOnlyList<string> Fields { get; }

    public IReadOnlyList<SimTarget> Targets { get; }

    /// <summary>The Sd2011 of each indicator (and "employment_density") in which effects are expressed.</summary>
    public IReadOnlyDictionary<string, double> EffectUnits { get; }

    public double Value(Scenario scenario, string code, int year, string field) =>
        _values[(int)scenario][(code, year)][_fieldIndex[field]];

    /// <summary>Derived indicator value (numerator / denominator × scale) from the rounded raw fields.</summary>
    public double Indicator(Scenario scenario, string code, int year, IndicatorSpec spec)
    {
        var num = Value(scenario, code, year, spec.Numerator);
        return spec.Denominator is null ? num * spec.Scale : num / Value(scenario, code, year, spec.Denominator) * spec.Scale;
    }
}
