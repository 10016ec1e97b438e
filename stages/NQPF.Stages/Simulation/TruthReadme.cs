using System.Globalization;
using System.Text;

namespace NQPF.Stages.Simulation;

/// <summary>Renders the truth folder's README: what is planted, with which parameters, and the headline ATTs.</summary>
internal static class TruthReadme
{
    public static string Render(PlantedTruth truth, SimulationInputs inputs, SimulatedPanel panel)
    {
        var sb = new StringBuilder();
        void L(string s) => sb.Append(s).Append('\n');
        Introduction(L, inputs);
        L("");
        Process(L, inputs);
        L("");
        Effects(L, panel);
        L("");
        Design(L, inputs.Truth);
        L("");
        Headline(L, truth);
        return sb.ToString();
    }

    /// <summary>What the folder holds and how the true ATTs are computed.</summary>
    private static void Introduction(Action<string> L, SimulationInputs inputs)
    {
        L("# Planted truth of the simulated yearbooks");
        L("");
        L(F($"Seed {inputs.Seed}, years {inputs.FirstYear}-{inputs.LastYear}. Written by `nqpf simulate`; the pipeline never reads this folder."));
        L("");
        L("The true ATT on the NQPF entropy index is computed exactly: the index (17 indicators of config/indicators.json,");
        L("default options: global min-max over the in-sample cities x years, shift 0.0001) is fitted once on the observed");
        L("complete simulated values; the same bounds and weights then score the observed, counterfactual (no pilot),");
        L("broadband-only and cluster-only panels. A unit-year's effect is its observed minus counterfactual score.");
        L("Values are the complete simulated values before missing cells were planted, rounded as printed.");
        L("");
        L("## Files");
        L("- `att_by_cohort_event.csv`: definition, cohort, event_time (year - cohort; negative = before, always 0), units,");
        L("  att_index (total), att_broadband_component / att_cluster_component (each pilot alone, no synergy),");
        L("  att_patents_per_10k and att_employment_density (the two mediators, in their own units).");
        L("- `att_summary.csv`: post-treatment ATT (mean over treated unit-years with event_time >= 0) per definition and");
        L("  subgroup (all, resource_based, central, large, target_hard, target_intensified).");
        L("- `index_weights.csv`: bounds and entropy weights of the truth index. `units.csv`: every simulated unit with its");
        L("  pilot years, attributes and heterogeneity factor.");
        L("");
        L("Definitions (cohort = first year in force; a pilot is in force from its listed year on):");
        L("bb, cl (each pilot, whatever the other), dual (both; cohort = later of the two), single (exactly one), any_pilot");
        L("(cohort = earlier), bb_only, cl_only (never the other), cluster_first / broadband_first / same_year (dual units by order).");
    }

    /// <summary>The generating process and the parameters of the planted effects.</summary>
    private static void Process(Action<string> L, SimulationInputs inputs)
    {
        var p = inputs.Truth;
        L("## Generating process");
        L("Each indicator x_j of unit i in year t (no pilot): level_ij (correlated with a development latent) + unit trend");
        L("(common trend x (1 + 0.1 N(0,1)), drawn independently of the pilots) + common year shock + AR(1) shock (rho 0.5,");
        L("innovation sd = Noise x s_j), clipped to plausible bounds; raw fields are backed out and rounded.");
        L("Pre-treatment trends are parallel in expectation (unit trends do not depend on the pilots); there is no anticipation.");
        L("");
        L("Effect added to x_j (s_j = 2011 cross-sectional sd of x_j, h_i = heterogeneity factor, e = year - first year):");
        L("");
        L("    s_j * h_i * [ E_bb,j * b(e_bb) * c(g_bb) + E_cl,j * b(e_cl) * c(g_cl) + S * o * (E_bb,j + E_cl,j) * b(e_dual) ]");
        L("");
        L(F($"- build-up b(e) = 1 - exp(-(e+1)/{p.BuildUp}) ({BuildUpAt(p, 0):F2}, {BuildUpAt(p, 1):F2}, {BuildUpAt(p, 2):F2}, ... at e = 0, 1, 2): effects grow with exposure;"));
        L(F($"- cohort factor c(g) = 1 + {p.CohortSlope} * ({p.CohortPivot} - g): earlier cohorts gain more;"));
        L(F($"- dual synergy S = {p.Synergy} while both are in force, order factor o = {p.ClusterFirstFactor} (cluster first), {p.BroadbandFirstFactor} (broadband first), {p.SameYearFactor} (same year);"));
        L(F($"- h_i = {p.ResourceBasedFactor} if resource-based x {p.CentralFactor} if central x ({p.LargeFactor} if large else {p.SmallFactor}) x {p.HardTargetFactor} if hard target x {p.IntensifiedFactor} if intensified target;"));
        L(F($"  large = registered population in {inputs.FirstYear} >= {p.LargePopulation} 万人; hard/intensified are drawn per city (p = 0.5 / 0.4) and show in the growth-target file's wording (确保/以上/不低于 vs 左右/力争) and in city targets above the province's;"));
        L(F($"- mediators: employment density (persons/km², agglomeration) gets {p.DensityBroadband} (bb) and {p.DensityCluster} (cl) sd; patents per 10k residents is an indicator (see below)."));
    }

    /// <summary>The planted effect of each pilot on each indicator.</summary>
    private static void Effects(Action<string> L, SimulatedPanel panel)
    {
        L("| indicator | E_bb | E_cl | s_j (2011 sd) |");
        L("|---|---|---|---|");
        foreach (var e in SimulationSpec.Effects)
            L(F($"| {e.Indicator} | {e.Broadband} | {e.Cluster} | {panel.EffectUnits[e.Indicator]:G4} |"));
    }

    /// <summary>The true post-treatment ATTs, overall and by subgroup.</summary>
    private static void Headline(Action<string> L, PlantedTruth truth)
    {
        L("## Headline truth (post-treatment ATT on the index, simple mean over treated unit-years)");
        L("");
        L("| definition | group | units | unit-years | ATT index | ATT patents/10k | ATT employment density |");
        L("|---|---|---|---|---|---|---|");
        foreach (var s in truth.Summaries.Where(s => s.Group == "all"))
            L(F($"| {s.Definition} | {s.Group} | {s.Units} | {s.UnitYears} | {s.AttIndex:F5} | {s.AttPatentsPer10k:F3} | {s.AttEmploymentDensity:F2} |"));
        L("");
        L("Heterogeneity (definition any_pilot):");
        L("");
        L("| group | units | ATT index |");
        L("|---|---|---|");
        foreach (var s in truth.Summaries.Where(s => s.Definition == "any_pilot" && s.Group != "all"))
            L(F($"| {s.Group} | {s.Units} | {s.AttIndex:F5} |"));
    }

    /// <summary>Why the parameters are what they are: the power design of the default data.</summary>
    private static void Design(Action<string> L, TruthParameters p)
    {
        L("## Design: why these parameters");
        L("The parameters were chosen for the power of the scorecard's tests on data of this design (roster, pilot lists,");
        L("years), measured with `nqpf power` over seeds other than the committed one (docs/power.md; diagnosis and the");
        L("alternatives tried: docs/power-design.md). The models of the scorecard are static TWFE regressions with city-clustered");
        L("SEs, and what limits their power is the planted effect heterogeneity they leave in the residual, not the AR(1) noise:");
        L("a clustered SE grows with the spread of the city effects, so larger effects buy no power, only larger contrasts do.");
        L(F($"- build-up {p.BuildUp} (b = {BuildUpAt(p, 0):F2}, {BuildUpAt(p, 1):F2} in the first two years) and cohort slope {p.CohortSlope}: little dynamic and cohort"));
        L("  heterogeneity for the static models to misfit;");
        L("- no planted effect on tertiary_share: the study's industry-structure control (secondary share = 100 - tertiary -");
        L("  primary) would be a post-treatment variable absorbing part of the effect;");
        L(F($"- order contrast S x (o_cf - o_bf) = {p.Synergy * (p.ClusterFirstFactor - p.BroadbandFirstFactor):0.##} of the two pilots' effects: claim 5 compares 12 with 12 cities;"));
        L("- heterogeneity factors of similar strength on the five groupings: each interaction model holds one grouping, so the");
        L("  other four groupings' effects are residual noise to it; the growth-target groupings, drawn per city, vary between");
        L("  data sets and get the stronger factors. Claim 7 needs all five interactions on the 32 dual cities: its power is");
        L("  the lowest of the seven (see docs/power.md).");
    }

    private static double BuildUpAt(TruthParameters p, int e) => YearbookSimulator.BuildUp(e, p);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
