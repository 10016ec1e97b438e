namespace NQPF.Econometrics.Staggered;

/// <summary>Comparison units for a treated cohort.</summary>
internal enum ControlGroup
{
    /// <summary>Only units never treated in the sample (cohort 0, or first treated after the last period).</summary>
    NeverTreated,

    /// <summary>Never-treated units plus units not yet treated (and not anticipating) in both periods compared.</summary>
    NotYetTreated,
}

/// <summary>Base period of the Callaway–Sant'Anna pre-treatment cells.</summary>
internal enum BasePeriod
{
    /// <summary>Each pre-treatment cell compares t with t−1 (did's default).</summary>
    Varying,

    /// <summary>Every cell of cohort g compares with g − 1 − anticipation; that reference cell is reported as 0.</summary>
    Universal,
}

/// <summary>How ATT(g,t) adjusts for covariates (DRDID's panel estimators).</summary>
internal enum CsMethod
{
    /// <summary>Outcome regression (DRDID::reg_did_panel).</summary>
    Reg,

    /// <summary>Normalised inverse probability weighting (DRDID::std_ipw_did_panel).</summary>
    Ipw,

    /// <summary>Locally efficient doubly robust estimator (DRDID::drdid_panel, did's default).</summary>
    Dr,
}

/// <summary>Multiplier-bootstrap weight distribution.</summary>
internal enum BootstrapWeights
{
    /// <summary>±1 with probability ½ each (BMisc::multiplier_bootstrap, used by did 2.x).</summary>
    Rademacher,

    /// <summary>Mammen's two-point weights (1−√5)/2 w.p. (√5+1)/(2√5), else (1+√5)/2 (did 1.x).</summary>
    Mammen,
}

/// <summary>Settings of a Callaway–Sant'Anna estimation. Defaults are R did's.</summary>
internal sealed record CsSettings
{
    public ControlGroup Control { get; init; } = ControlGroup.NeverTreated;

    public BasePeriod Base { get; init; } = BasePeriod.Varying;

    /// <summary>Number of periods before g in which units may already react (δ in did).</summary>
    public int Anticipation { get; init; }

    public CsMethod Method { get; init; } = CsMethod.Dr;

    /// <summary>Covariate names (taken from the earlier period of each 2×2 comparison); empty = unconditional.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];

    /// <summary>Propensity scores of control units at or above this level get zero weight (DRDID's trim.level).</summary>
    public double TrimLevel { get; init; } = 0.995;

    public override string ToString() =>
        $"control={Control}, base={Base}, anticipation={Anticipation}, method={Method}, covariates=[{string.Join(",", Covariates)}]";
}

/// <summary>Settings of the multiplier bootstrap.</summary>
/// <param name="Draws">Number of bootstrap draws (did's biters).</param>
/// <param name="Seed">Seed of the generator; the result is a pure function of it.</param>
/// <param name="Weights">Weight distribution.</param>
/// <param name="Alpha">1 − confidence level of the uniform band.</param>
internal sealed record BootstrapSettings(int Draws, int Seed, BootstrapWeights Weights = BootstrapWeights.Rademacher, double Alpha = 0.05);
