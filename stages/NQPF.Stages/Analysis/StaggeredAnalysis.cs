using NQPF.Econometrics.Staggered;

namespace NQPF.Stages.Analysis;

/// <summary>
/// The settings of a staggered DiD analysis, the same for the <c>did</c> verb and the robustness stage's comparison.
/// </summary>
/// <param name="Control">never / not-yet treated (Sun–Abraham: see <see cref="StaggeredAnalysis.SunAbrahamControl"/>).</param>
/// <param name="Base">Callaway–Sant'Anna base period.</param>
/// <param name="Anticipation">Anticipation periods δ (sample rules, CS and imputation).</param>
/// <param name="Leads">TWFE event study leads K (null = every event time observed).</param>
/// <param name="Lags">TWFE event study lags L (null = every event time observed).</param>
/// <param name="BootstrapDraws">CS multiplier-bootstrap draws; fewer than 2 means analytic SEs only.</param>
/// <param name="Seed">Bootstrap seed; each bootstrapped quantity draws from its own stream (<see cref="CsBootstrapStream"/>).</param>
internal sealed record StaggeredSpec(
    ControlGroup Control = ControlGroup.NeverTreated,
    BasePeriod Base = BasePeriod.Varying,
    int Anticipation = 0,
    int? Leads = null,
    int? Lags = null,
    int BootstrapDraws = 0,
    int Seed = 1)
{
    /// <summary>CS covariate adjustment (did's est_method).</summary>
    public CsMethod Method { get; init; } = CsMethod.Dr;

    /// <summary>CS covariates, taken from the earlier period of each 2×2 comparison; empty = unconditional.</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];

    public CsSettings CsSettings => new() { Control = Control, Base = Base, Anticipation = Anticipation, Method = Method, Covariates = Covariates };
}

/// <summary>
/// Which bootstrapped quantity a seed stream serves: the stream's seed is <see cref="StaggeredSpec.Seed"/> plus this
/// value, so each quantity's draws are fixed by the seed alone, whichever others a caller asks for.
/// </summary>
internal enum CsBootstrapStream
{
    Dynamic = 0,
    Simple = 1,
    Group = 2,
    Calendar = 3,
    Cells = 4,
}

/// <summary>Callaway–Sant'Anna on a balanced panel: the ATT(g,t) cells and their aggregations (null when not asked for).</summary>
internal sealed record CsAnalysis(BalancedPanel Balanced, CsResult Cells, CsAggregate? Simple, CsAggregate Dynamic, CsAggregate? Group, CsAggregate? Calendar);

/// <summary>
/// One function per staggered estimator, called by the <c>did</c> verb and by the robustness stage, so that both print
/// the same numbers for the same panel and settings. The rules that are choices rather than formulas live here once:
/// the bootstrap seed of each quantity, and the Sun–Abraham control group under not-yet-treated.
/// </summary>
internal static class StaggeredAnalysis
{
    /// <summary>The multiplier bootstrap of one quantity, or null when the spec asks for analytic SEs.</summary>
    public static BootstrapSettings? Bootstrap(StaggeredSpec spec, CsBootstrapStream stream) =>
        spec.BootstrapDraws > 1 ? new BootstrapSettings(spec.BootstrapDraws, spec.Seed + (int)stream) : null;

    /// <summary>
    /// Sun–Abraham has no not-yet-treated control: under not-yet-treated the last-treated cohort serves as control
    /// (Sun &amp; Abraham 2021), which needs at least two cohorts; with one cohort, never-treated units are the control.
    /// </summary>
    public static SaControl SunAbrahamControl(ControlGroup control, StaggeredPanel panel) =>
        control == ControlGroup.NeverTreated || panel.Cohorts.Length < 2 ? SaControl.NeverTreated : SaControl.LastTreated;

    /// <summary>How <see cref="SunAbrahamControl"/> mapped the control group, for the printed settings.</summary>
    public static string SunAbrahamMapping(SaControl control) =>
        control == SaControl.NeverTreated ? "control = never treated" : "not-yet-treated mapped to the last-treated cohort";

    public static EventStudyResult TwfeEvent(StaggeredPanel panel, StaggeredSpec spec) => TwfeEventStudy.Estimate(panel, spec.Leads, spec.Lags);

    public static EventStudyResult SunAbrahamEvent(StaggeredPanel panel, StaggeredSpec spec) =>
        SunAbraham.Estimate(panel, SunAbrahamControl(spec.Control, panel));

    public static EventStudyResult ImputationEvent(StaggeredPanel panel) => Imputation.Estimate(panel);

    public static BaconResult Bacon(StaggeredPanel panel) => BaconDecomposition.Decompose(panel.Balance());

    /// <param name="allAggregations">Also the group and calendar aggregations and bootstrapped cell SEs (the verb prints
    /// them; the stage reports the simple and dynamic aggregations only).</param>
    /// <param name="dynamicOnly">Bootstrapped cell SEs and the dynamic aggregation only — the work of R did's
    /// <c>att_gt</c> + <c>aggte(type = "dynamic")</c>; every other aggregation is left out (null).</param>
    public static CsAnalysis CallawaySantAnna(StaggeredPanel panel, StaggeredSpec spec, bool allAggregations, bool dynamicOnly = false)
    {
        var balanced = panel.Balance();
        var cells = CsEstimate(balanced, spec, allAggregations || dynamicOnly ? Bootstrap(spec, CsBootstrapStream.Cells) : null);
        CsAggregate Aggregate(CsAggregationType type, CsBootstrapStream stream) =>
            CsAggregation.Aggregate(cells, type, bootstrap: Bootstrap(spec, stream));
        var dynamic = Aggregate(CsAggregationType.Dynamic, CsBootstrapStream.Dynamic);
        var simple = dynamicOnly ? null : Aggregate(CsAggregationType.Simple, CsBootstrapStream.Simple);
        bool others = allAggregations && !dynamicOnly;
        return new CsAnalysis(balanced, cells, simple, dynamic,
            others ? Aggregate(CsAggregationType.Group, CsBootstrapStream.Group) : null,
            others ? Aggregate(CsAggregationType.Calendar, CsBootstrapStream.Calendar) : null);
    }

    private static CsResult CsEstimate(BalancedPanel balanced, StaggeredSpec spec, BootstrapSettings? bootstrap) =>
        Econometrics.Staggered.CallawaySantAnna.Estimate(balanced, spec.CsSettings, bootstrap);
}
