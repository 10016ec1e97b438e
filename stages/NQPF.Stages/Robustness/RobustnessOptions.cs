using System.ComponentModel.DataAnnotations;
using NQPF.Econometrics.WildBootstrap;

namespace NQPF.Stages.Robustness;

/// <summary>Settings of the robustness stage (config section "Robustness"); all of it enters the fingerprint.</summary>
internal sealed record RobustnessOptions
{
    /// <summary>Outcome column of index/index.</summary>
    [Required]
    public string Outcome { get; init; } = "nqpf";

    /// <summary>The policies to test, each a cohort column of cohorts/treatment (first treated year, 0 = never).</summary>
    [MinLength(1)]
    public IReadOnlyList<TreatmentSpec> Treatments { get; init; } =
    [
        new() { Name = "bb", CohortColumn = "bb_first" },
        new() { Name = "cl", CohortColumn = "cl_first" },
    ];

    /// <summary>Control variables (columns of clean/panel); null = the estimate stage's default list.</summary>
    public IReadOnlyList<string>? Controls { get; init; }

    /// <summary><see cref="Controls"/>, or the baseline controls of the estimate stage when not configured (a configured list replaces the default).</summary>
    public IReadOnlyList<string> ControlList => Controls ?? Estimate.EstimateOptions.DefaultControls;

    /// <summary>Column of cohorts/attributes giving the province (for province×year FE and province clustering).</summary>
    [Required]
    public string ProvinceColumn { get; init; } = "province";

    [Required]
    public EventStudySettings EventStudy { get; init; } = new();

    [Required]
    public PlaceboSettings Placebo { get; init; } = new();

    [Required]
    public PsmSettings Psm { get; init; } = new();

    [Required]
    public AlternativeSettings Alternatives { get; init; } = new();

    [Required]
    public StaggeredOptions Staggered { get; init; } = new();

    [Required]
    public WildBootstrapSettings WildBootstrap { get; init; } = new();

    [Required]
    public SensitivitySettings Sensitivity { get; init; } = new();
}

/// <summary>
/// The wild cluster bootstrap p-value shown beside the analytic one for every specification clustered on fewer than
/// <see cref="MaxClusters"/> groups (e.g. by province): with few clusters the CR1 t test over-rejects (Cameron,
/// Gelbach &amp; Miller 2008). Rademacher weights are enumerated when 2^G ≤ Draws.
/// </summary>
internal sealed record WildBootstrapSettings
{
    [Range(1, 10_000_000)]
    public int Draws { get; init; } = 9999;

    public long Seed { get; init; } = 20250101;

    [RegularExpression("^(rademacher|webb)$")]
    public string Weights { get; init; } = "rademacher";

    [Range(0, 100_000)]
    public int MaxClusters { get; init; } = 50;

    public WildBootstrapOptions ToOptions() => new(Draws, WildWeightsNames.Parse(Weights), Seed, Interval: false);
}

/// <summary>A policy: <see cref="Name"/> labels results; the treatment dummy is 1[cohort &gt; 0 and year ≥ cohort].</summary>
internal sealed record TreatmentSpec
{
    [Required]
    public string Name { get; init; } = "";

    [Required]
    public string CohortColumn { get; init; } = "";
}

/// <summary>Event-study window: leads −Leads … −2 and lags 0 … Lags, the end points binned (−Leads collects ≤ −Leads).</summary>
internal sealed record EventStudySettings
{
    [Range(1, 20)]
    public int Leads { get; init; } = 5;

    [Range(0, 20)]
    public int Lags { get; init; } = 5;
}

/// <summary>Placebo draws (per treatment and kind), seeded and resumable in chunks.</summary>
internal sealed record PlaceboSettings
{
    [Range(0, 1_000_000)]
    public int Draws { get; init; } = 1000;

    public long Seed { get; init; } = 20250101;

    /// <summary>Draws per checkpointed chunk.</summary>
    [Range(1, 1_000_000)]
    public int ChunkSize { get; init; } = 100;

    /// <summary>Any of "unit", "timing", "mixed".</summary>
    [MinLength(1)]
    public IReadOnlyList<string> Kinds { get; init; } = ["unit", "timing", "mixed"];

    [Range(1, 10)]
    public int MinShift { get; init; } = 1;

    [Range(1, 10)]
    public int MaxShift { get; init; } = 3;
}

/// <summary>PSM-DID: logit score on the covariates, matching, balance, TWFE on the matched sample.</summary>
internal sealed record PsmSettings
{
    /// <summary>Score covariates; empty = the controls.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];

    /// <summary>"year" (a logit per year, matching within year) or "pooled" (one logit over all city-years).</summary>
    [RegularExpression("^(year|pooled)$")]
    public string Scope { get; init; } = "year";

    [Range(1, 10)]
    public int Ratio { get; init; } = 1;

    public bool Replace { get; init; }

    /// <summary>Caliper in SDs of the score (MatchIt std.caliper); 0 = none.</summary>
    [Range(0, 10)]
    public double Caliper { get; init; } = 0.05;

    /// <summary>Epanechnikov bandwidth on the score for the kernel-matching row (psmatch2's default 0.06).</summary>
    [Range(1e-6, 1)]
    public double KernelBandwidth { get; init; } = 0.06;

    /// <summary>Radius (raw score units) for the radius-matching row.</summary>
    [Range(1e-6, 1)]
    public double Radius { get; init; } = 0.01;

    /// <summary>"none", "treated", "control" or "both" (MatchIt discard).</summary>
    [RegularExpression("^(none|treated|control|both)$")]
    public string CommonSupport { get; init; } = "both";
}

/// <summary>The alternative specifications of the robustness table.</summary>
internal sealed record AlternativeSettings
{
    /// <summary>Alternative outcome columns of index/index (skipped with a note when absent).</summary>
    public IReadOnlyList<string> AlternativeOutcomes { get; init; } = ["nqpf_topsis", "nqpf_equal", "nqpf_pca", "nqpf_entropy_peryear"];

    /// <summary>Winsorising share in each tail (pooled over all city-years), e.g. 0.01 = 1st/99th percentile.</summary>
    [Range(0.0, 0.25)]
    public double WinsorShare { get; init; } = 0.01;

    /// <summary>
    /// Most cities for the city-specific-trends row: its trends are one regressor per city, so its cost grows with the
    /// cube of the city count (about a minute at 2,750 cities, hours at 27,500). Above it the row is reported as not
    /// estimated, saying why.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxTrendCities { get; init; } = 500;
}
