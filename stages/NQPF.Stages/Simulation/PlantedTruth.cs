using NQPF.Econometrics.CompositeIndex;

namespace NQPF.Stages.Simulation;

/// <summary>True effect of one treatment definition for one cohort and event time (year − cohort), averaged over the
/// cohort's in-sample units: on the entropy index (total, and the broadband-only / cluster-only components without
/// the dual synergy) and on the two mediators.</summary>
internal sealed record TruthCell(
    string Definition,
    int Cohort,
    int EventTime,
    int Units,
    double AttIndex,
    double AttBroadbandComponent,
    double AttClusterComponent,
    double AttPatentsPer10k,
    double AttEmploymentDensity);

/// <summary>Post-treatment ATT (mean over treated unit-years with event time ≥ 0) of a definition in a subgroup
/// ("all", or attribute=value).</summary>
internal sealed record TruthSummary(string Definition, string Group, int Units, int UnitYears, double AttIndex,
    double AttPatentsPer10k, double AttEmploymentDensity);

/// <summary>The planted truth: by cohort × event time, overall and by subgroup, plus the index weights it used.</summary>
internal sealed record PlantedTruth(
    IReadOnlyList<TruthCell> Cells,
    IReadOnlyList<TruthSummary> Summaries,
    IReadOnlyList<IndicatorWeight> Weights);

/// <summary>
/// Computes the true ATTs exactly: the entropy index (NQPF.Econometrics, default options: global min–max over the
/// in-sample 275 × years panel, shift 0.0001) is fitted once on the observed complete values, and the same model
/// (same bounds and weights) scores the observed, counterfactual, broadband-only and cluster-only panels; a unit-year's
/// effect is the difference of its scores. Values are the complete simulated values before missing cells are planted.
/// </summary>
internal static class TruthCalculator
{
    public static readonly string[] Definitions =
        ["bb", "cl", "dual", "single", "any_pilot", "bb_only", "cl_only", "cluster_first", "broadband_first", "same_year"];

    public static PlantedTruth Compute(SimulatedPanel panel)
    {
        var units = panel.Units.Where(u => u.City.InSample).ToList();
        var years = panel.Years;
        var specs = SimulationSpec.Indicators;
        var indicators = specs.Select(s => new Indicator(s.Name,
            s.Direction > 0 ? IndicatorDirection.Positive : IndicatorDirection.Negative, s.Dimension)).ToList();
        double[][] Columns(Scenario scenario) => specs.Select(s => units.SelectMany(u => years.Select(y =>
            panel.Indicator(scenario, u.City.Code, y, s))).ToArray()).ToArray();
        var model = EntropyIndex.Fit(indicators, Columns(Scenario.Observed));
        var obs = model.Score(Columns(Scenario.Observed)).Entropy;
        var cf = model.Score(Columns(Scenario.Counterfactual)).Entropy;
        var bbOnly = model.Score(Columns(Scenario.BroadbandOnly)).Entropy;
        var clOnly = model.Score(Columns(Scenario.ClusterOnly)).Entropy;
        var patents = specs.Single(s => s.Name == "patents_per_10k");

        var effects = new Dictionary<(string Code, int Year), (double All, double Bb, double Cl, double Pat, double Dens)>();
        var k = 0;
        foreach (var u in units)
        {
            foreach (var y in years)
            {
                var code = u.City.Code;
                effects[(code, y)] = (obs[k] - cf[k], bbOnly[k] - cf[k], clOnly[k] - cf[k],
                    panel.Indicator(Scenario.Observed, code, y, patents) - panel.Indicator(Scenario.Counterfactual, code, y, patents),
                    Density(panel, Scenario.Observed, code, y) - Density(panel, Scenario.Counterfactual, code, y));
                k++;
            }
        }

        var cells = new List<TruthCell>();
        var summaries = new List<TruthSummary>();
        foreach (var def in Definitions)
        {
            var members = units.Select(u => (Unit: u, Cohort: CohortOf(def, u))).Where(m => m.Cohort > 0).ToList();
            foreach (var cohortGroup in members.GroupBy(m => m.Cohort).OrderBy(g => g.Key))
            {
                foreach (var y in years)
                {
                    var e = cohortGroup.Select(m => effects[(m.Unit.City.Code, y)]).ToList();
                    cells.Add(new TruthCell(def, cohortGroup.Key, y - cohortGroup.Key, e.Count, e.Average(x => x.All),
                        e.Average(x => x.Bb), e.Average(x => x.Cl), e.Average(x => x.Pat), e.Average(x => x.Dens)));
                }
            }
            foreach (var (group, filter) in Groups())
            {
                var sel = members.Where(m => filter(m.Unit)).ToList();
                var post = sel.SelectMany(m => years.Where(y => y >= m.Cohort).Select(y => effects[(m.Unit.City.Code, y)])).ToList();
                if (post.Count == 0)
                    continue;
                summaries.Add(new TruthSummary(def, group, sel.Count, post.Count, post.Average(x => x.All),
                    post.Average(x => x.Pat), post.Average(x => x.Dens)));
            }
        }
        return new PlantedTruth(cells, summaries, model.Indicators);
    }

    /// <summary>Cohort of a unit under a treatment definition; 0 when the unit is not treated under it.</summary>
    public static int CohortOf(string definition, SimUnit u)
    {
        int bb = u.BroadbandFirst, cl = u.ClusterFirst;
        var both = bb > 0 && cl > 0;
        return definition switch
        {
            "bb" => bb,
            "cl" => cl,
            "dual" => both ? Math.Max(bb, cl) : 0,
            "single" => bb > 0 ^ cl > 0 ? Math.Max(bb, cl) : 0,
            "any_pilot" => bb > 0 && cl > 0 ? Math.Min(bb, cl) : Math.Max(bb, cl),
            "bb_only" => cl == 0 ? bb : 0,
            "cl_only" => bb == 0 ? cl : 0,
            "cluster_first" => both && cl < bb ? bb : 0,
            "broadband_first" => both && bb < cl ? cl : 0,
            "same_year" => both && bb == cl ? bb : 0,
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition, "unknown treatment definition"),
        };
    }

    private static IEnumerable<(string, Func<SimUnit, bool>)> Groups() =>
    [
        ("all", _ => true),
        ("resource_based=1", u => u.City.ResourceBased),
        ("resource_based=0", u => !u.City.ResourceBased),
        ("central=1", u => u.City.Central),
        ("central=0", u => !u.City.Central),
        ("large=1", u => u.Large),
        ("large=0", u => !u.Large),
        ("target_hard=1", u => u.HardTarget),
        ("target_hard=0", u => !u.HardTarget),
        ("target_intensified=1", u => u.Intensified),
        ("target_intensified=0", u => !u.Intensified),
    ];

    private static double Density(SimulatedPanel p, Scenario s, string code, int year) =>
        p.Value(s, code, year, "employees_total") * 1e4 / p.Value(s, code, year, "land_area");
}
