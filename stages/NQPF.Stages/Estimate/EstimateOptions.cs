using System.ComponentModel.DataAnnotations;
using NQPF.Econometrics;

namespace NQPF.Stages.Estimate;

/// <summary>Options of the estimate stage (config section "Estimate"). Everything here changes the numbers or the tables.</summary>
internal sealed record EstimateOptions : IValidatableObject
{
    /// <summary>Outcome column of index/index.</summary>
    [Required]
    public string Outcome { get; init; } = "nqpf";

    /// <summary>Treatment dummies of cohorts/treatment for the baseline, mechanisms and heterogeneity (in force = 1).</summary>
    public IReadOnlyList<string>? Treatments { get; init; }

    /// <summary><see cref="Treatments"/>, or the default [bb, cl, dual] when not configured (a configured list replaces the default: the binder would append to a non-null default).</summary>
    public IReadOnlyList<string> TreatmentList => Treatments ?? DefaultTreatments;

    public static readonly IReadOnlyList<string> DefaultTreatments = ["bb", "cl", "dual"];

    /// <summary>Control variables, columns of clean/panel.</summary>
    public IReadOnlyList<string>? Controls { get; init; }

    /// <summary><see cref="Controls"/>, or the default [lnpgdp, industry, gov, open, fin, lndensity] when not configured (a configured list replaces the default: the binder would append to a non-null default).</summary>
    public IReadOnlyList<string> ControlList => Controls ?? DefaultControls;

    public static readonly IReadOnlyList<string> DefaultControls = ["lnpgdp", "industry", "gov", "open", "fin", "lndensity"];

    /// <summary>Mediators (mechanism variables), columns of clean/panel.</summary>
    public IReadOnlyList<string>? Mediators { get; init; }

    /// <summary><see cref="Mediators"/>, or the default [agglomeration, innovation] when not configured (a configured list replaces the default: the binder would append to a non-null default).</summary>
    public IReadOnlyList<string> MediatorList => Mediators ?? DefaultMediators;

    public static readonly IReadOnlyList<string> DefaultMediators = ["agglomeration", "innovation"];

    /// <summary>Binary (0/1) city attributes of cohorts/attributes used for heterogeneity.</summary>
    public IReadOnlyList<string>? Groupings { get; init; }

    /// <summary><see cref="Groupings"/>, or the default [resource_based, central, large, target_hard, target_intensified] when not configured (a configured list replaces the default: the binder would append to a non-null default).</summary>
    public IReadOnlyList<string> GroupingList => Groupings ?? DefaultGroupings;

    public static readonly IReadOnlyList<string> DefaultGroupings = ["resource_based", "central", "large", "target_hard", "target_intensified"];

    /// <summary>Small-sample convention of the clustered SEs (default = fixest/reghdfe).</summary>
    public SmallSample Ssc { get; init; } = SmallSample.Default;

    /// <summary>Seed of every random draw in the stage (bootstrap, permutation).</summary>
    public long Seed { get; init; } = 20250601;

    /// <summary>Draws of the Fisher permutation test of between-group differences.</summary>
    [Range(0, 100_000)]
    public int PermutationDraws { get; init; } = 1000;

    /// <summary>Run the three-step mediation (Sobel test and cluster-bootstrap CI of the indirect effect).</summary>
    public bool ThreeStep { get; init; } = true;

    /// <summary>Cluster-bootstrap draws for the indirect effect's CI.</summary>
    [Range(0, 100_000)]
    public int BootstrapDraws { get; init; } = 499;

    /// <summary>Confidence level of intervals.</summary>
    [Range(0.5, 0.999)]
    public double Level { get; init; } = 0.95;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TreatmentList.Count == 0)
            yield return new ValidationResult("Estimate:Treatments needs at least one treatment dummy.", [nameof(Treatments)]);
        var all = TreatmentList.Concat(ControlList).Concat(MediatorList).Append(Outcome).ToList();
        foreach (var duplicate in all.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return new ValidationResult($"Estimate: '{duplicate.Key}' is listed twice among outcome, treatments, controls and mediators.", [nameof(Controls)]);
    }
}
