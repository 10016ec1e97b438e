namespace NQPF.Stages.Simulation;

/// <summary>
/// A derived NQPF indicator of the planted index: <c>Numerator / Denominator × Scale</c> over canonical raw fields
/// (Denominator null: the field itself). The generator draws each indicator additively — unit level + common year
/// trend + AR(1) shock — so counterfactual trends are parallel on the index scale, then backs the raw fields out.
/// </summary>
/// <param name="Mean2011">Cross-sectional mean in 2011.</param>
/// <param name="Sd2011">Cross-sectional spread of unit levels (of a log-normal when <paramref name="Skewed"/>).</param>
/// <param name="Trend">Common additive change per year.</param>
/// <param name="Rho">Correlation of the unit level with the city's development latent.</param>
/// <param name="Noise">Standard deviation of the AR(1) innovation, as a share of Sd2011.</param>
internal sealed record IndicatorSpec(
    string Name,
    string Dimension,
    int Direction,
    string Numerator,
    string? Denominator,
    double Scale,
    double Mean2011,
    double Sd2011,
    double Trend,
    double Rho,
    double Noise,
    double Min,
    double Max,
    bool Skewed = false);

/// <summary>The planted treatment effects, additive in indicator units as multiples of the indicator's Sd2011.</summary>
internal sealed record EffectSpec(string Indicator, double Broadband, double Cluster);

/// <summary>
/// Every parameter of the planted truth (printed into the truth file). The values are a power design: the scorecard's
/// static TWFE models count the effect heterogeneity they leave in the residual as noise, so the contrasts the claims
/// test (order, groupings) are set against that spread, and the dynamics the static models misfit are kept short
/// (the truth README's design section and docs/power-design.md give the measurements).
/// </summary>
internal sealed record TruthParameters
{
    /// <summary>Dual synergy: while both pilots are in force, (bb + cl effect) × Synergy × order factor is added.</summary>
    public double Synergy { get; init; } = 0.6;

    public double ClusterFirstFactor { get; init; } = 1.8;

    public double BroadbandFirstFactor { get; init; } = 0.2;

    public double SameYearFactor { get; init; } = 1.0;

    /// <summary>Build-up over exposure e = year − first year (0 in the first year): 1 − exp(−(e + 1) / BuildUp).</summary>
    public double BuildUp { get; init; } = 1.0;

    /// <summary>Cohort factor 1 + CohortSlope × (CohortPivot − cohort): earlier cohorts gain more.</summary>
    public double CohortSlope { get; init; } = 0.02;

    public int CohortPivot { get; init; } = 2016;

    public double ResourceBasedFactor { get; init; } = 0.65;

    public double CentralFactor { get; init; } = 1.35;

    public double LargeFactor { get; init; } = 1.3;

    public double SmallFactor { get; init; } = 0.85;

    public double HardTargetFactor { get; init; } = 0.6;

    public double IntensifiedFactor { get; init; } = 0.6;

    /// <summary>"Large": registered population in the first year at or above this many 万人 (5 million persons).</summary>
    public double LargePopulation { get; init; } = 500;

    /// <summary>Employment density (persons per km², the agglomeration mediator) effect, in Sd2011 units.</summary>
    public double DensityBroadband { get; init; } = 0.10;

    public double DensityCluster { get; init; } = 0.25;
}

/// <summary>The default indicator system (17 indicators over laborers / means of labour / objects of labour) and
/// the planted effects. Magnitudes follow the usual ranges of the China City Statistical Yearbook 2011–2021.</summary>
internal static class SimulationSpec
{
    public const string Laborers = "laborers";
    public const string Means = "means_of_labour";
    public const string Objects = "objects_of_labour";

    public static IReadOnlyList<IndicatorSpec> Indicators { get; } =
    [
        new("students_per_10k", Laborers, +1, "students_higher", "pop_registered", 1, 150, 0.9, 4, 0.7, 0.05, 1, 2500, Skewed: true),
        new("research_share", Laborers, +1, "employees_research", "employees_total", 100, 2.5, 1.2, 0.05, 0.6, 0.08, 0.2, 25),
        new("it_share", Laborers, +1, "employees_it", "employees_total", 100, 1.5, 0.8, 0.08, 0.6, 0.08, 0.1, 20),
        new("avg_wage", Laborers, +1, "avg_wage", null, 1, 38000, 6500, 4300, 0.6, 0.08, 15000, 300000),
        new("education_per_capita", Laborers, +1, "education_expenditure", "pop_registered", 1, 1200, 450, 95, 0.5, 0.08, 150, 10000),
        new("broadband_per_100", Means, +1, "broadband_users", "pop_registered", 100, 12, 7, 2.2, 0.7, 0.07, 0.5, 90),
        new("mobile_per_100", Means, +1, "mobile_users", "pop_registered", 100, 75, 28, 4.5, 0.6, 0.07, 15, 300),
        new("telecom_per_capita", Means, +1, "telecom_revenue", "pop_registered", 1, 700, 330, 28, 0.6, 0.08, 80, 6000),
        new("science_share", Means, +1, "science_expenditure", "fiscal_expenditure", 100, 1.3, 0.8, 0.08, 0.6, 0.08, 0.05, 12),
        new("electricity_intensity", Means, -1, "electricity", "gdp", 1, 0.095, 0.045, -0.0025, -0.3, 0.06, 0.008, 0.6),
        new("patents_per_10k", Objects, +1, "patents_granted", "pop_registered", 1, 6, 1.0, 1.4, 0.7, 0.05, 0.05, 250, Skewed: true),
        new("tertiary_share", Objects, +1, "tertiary_share", null, 1, 38, 7.5, 1.1, 0.5, 0.08, 15, 85),
        new("so2_intensity", Objects, -1, "so2_industrial", "gdp", 1, 0.0035, 0.0025, -0.00015, -0.3, 0.06, 0.00003, 0.03),
        new("wastewater_intensity", Objects, -1, "wastewater_industrial", "gdp", 1, 0.0003, 0.0002, -0.000012, -0.3, 0.06, 0.00001, 0.01),
        new("solid_waste_util_rate", Objects, +1, "solid_waste_util_rate", null, 1, 75, 16, 0.7, 0.3, 0.08, 5, 100),
        new("green_coverage", Objects, +1, "green_coverage", null, 1, 38, 4.5, 0.35, 0.3, 0.1, 10, 60),
        new("garbage_treatment_rate", Objects, +1, "garbage_treatment_rate", null, 1, 86, 12, 1.3, 0.3, 0.1, 20, 100),
    ];

    public static IReadOnlyList<EffectSpec> Effects { get; } =
    [
        new("broadband_per_100", 0.50, 0.05),
        new("mobile_per_100", 0.30, 0.00),
        new("telecom_per_capita", 0.40, 0.05),
        new("it_share", 0.30, 0.15),
        new("patents_per_10k", 0.15, 0.60),
        new("research_share", 0.05, 0.50),
        new("science_share", 0.05, 0.40),
        new("students_per_10k", 0.00, 0.15),
        new("avg_wage", 0.05, 0.20),
        // No effect on the tertiary share: the study's industry-structure control (secondary share = 100 − tertiary −
        // primary) would then be a post-treatment variable that absorbs part of the effect.
        new("tertiary_share", 0.00, 0.00),
        new("electricity_intensity", -0.10, -0.05),
        new("so2_intensity", 0.00, -0.15),
    ];
}
