using System.Globalization;
using MathNet.Numerics.Distributions;
using NQPF.Econometrics.Placebo;
using NQPF.Econometrics.Staggered;
using NQPF.Econometrics.WildBootstrap;

namespace NQPF.Econometrics.Validation;

/// <summary>Settings of a Monte Carlo check: replications, seed, panel size, and the resampling sizes of the two tests.</summary>
internal sealed record MonteCarloSettings(int Replications = 200, long Seed = 20260101, int PlaceboDraws = 99, int WildDraws = 399,
    int? MaxDegreeOfParallelism = null)
{
    public DgpSettings Dgp { get; init; } = new();
}

/// <summary>Bias, RMSE and 95% coverage of one estimator for its own target in one scenario (MCSE = Monte Carlo SE of the bias).</summary>
internal sealed record EstimatorCheck(EffectScenario Scenario, string Estimator, string Target, double TargetValue, int Replications,
    double Bias, double BiasMcse, double Rmse, double Coverage);

/// <summary>Rejection rate at 5% of a test under the null scenario.</summary>
internal sealed record RejectionCheck(string Test, int Replications, double RejectionRate, string Rule);

internal sealed record MonteCarloResult(MonteCarloSettings Settings, IReadOnlyList<EstimatorCheck> Estimators, IReadOnlyList<RejectionCheck> Rejections);

/// <summary>
/// A Monte Carlo check of every interval the project reports (<see cref="StaggeredDgp"/>): per scenario and estimator
/// the bias, RMSE and coverage of the nominal 95% interval for the estimator's own target — TWFE (treat × post, CR1 by
/// unit, t(G−1)), the TWFE event study's att (mean of the e ≥ 0 coefficients, for the mean of ATT(e)), Callaway–Sant'Anna's
/// simple ATT (never treated, analytic SE), Sun–Abraham's and the imputation estimator's ATT (normal intervals) — and,
/// under the null, the rejection rate of the unit placebo test (B draws, reject when (1 + #|b*| ≥ |b|)/(1 + B) ≤ 0.05)
/// and of the wild cluster bootstrap with few (regional) clusters (reject when p ≤ 0.05), beside the CR1 t test on the
/// same few clusters. "cs_half_se" is a deliberately broken interval (half the SE) that the check must catch.
/// Replication r draws from its own seeded stream, so results do not depend on thread count.
/// </summary>
internal static class MonteCarlo
{
    public static readonly string[] Estimators = ["twfe", "event", "cs", "sa", "bjs", "cs_half_se"];

    private static readonly double Z = Normal.InvCDF(0, 1, 0.975);

    public static MonteCarloResult Run(MonteCarloSettings settings, CancellationToken cancellationToken = default)
    {
        var scenarios = Enum.GetValues<EffectScenario>();
        var draws = new (double Estimate, double Lo, double Hi)[settings.Replications, scenarios.Length, Estimators.Length];
        var rejections = new bool[settings.Replications, 3];
        Parallel.For(0, settings.Replications,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism ?? Environment.ProcessorCount, CancellationToken = cancellationToken },
            r =>
            {
                for (var s = 0; s < scenarios.Length; s++)
                {
                    var data = StaggeredDgp.Draw(settings.Dgp, scenarios[s], settings.Seed + 7919L * s, r);
                    var intervals = Intervals(data);
                    for (var e = 0; e < Estimators.Length; e++) draws[r, s, e] = intervals[e];
                    if (scenarios[s] == EffectScenario.Null)
                    {
                        var (placebo, wild, analytic) = NullTests(data, settings, r);
                        rejections[r, 0] = placebo;
                        rejections[r, 1] = wild;
                        rejections[r, 2] = analytic;
                    }
                }
            });
        return new MonteCarloResult(settings, Summarise(settings, scenarios, draws), RejectionRates(settings, rejections));
    }

    /// <summary>
    /// Whether an observed rate over <paramref name="replications"/> draws is consistent with <paramref name="nominal"/>:
    /// |rate − nominal| ≤ z·√(nominal(1 − nominal)/R) (the binomial Monte Carlo error; z = 3.29 is a two-sided 0.1% band).
    /// </summary>
    public static bool WithinBinomialBand(double rate, int replications, double nominal, double z = 3.29) =>
        Math.Abs(rate - nominal) <= z * Math.Sqrt(nominal * (1 - nominal) / replications);

    /// <summary>Estimate and 95% interval of every estimator on one panel, in <see cref="Estimators"/> order.</summary>
    private static (double, double, double)[] Intervals(SimulatedDid d)
    {
        var twfe = Inference.Summarise(TwfeFit(d), VcovSpec.Cluster(Factor.FromStrings("unit", d.Unit)))["d"];
        var panel = StaggeredPanel.Create(d.Unit, d.Period, d.Cohort, d.Y);
        var ev = TwfeEventStudy.Estimate(panel);
        var cs = CsAggregation.Aggregate(CallawaySantAnna.Estimate(panel.Balance(), new CsSettings()), CsAggregationType.Simple);
        var sa = SunAbraham.Estimate(panel);
        var bjs = Imputation.Estimate(panel, pretrends: false);
        static (double, double, double) Normal(double est, double se, double scale = 1) => (est, est - scale * Z * se, est + scale * Z * se);
        return
        [
            (twfe.Estimate, twfe.CiLow, twfe.CiHigh),
            Normal(ev.Att, ev.AttSe),
            Normal(cs.Att, cs.Se),
            Normal(sa.Att, sa.AttSe),
            Normal(bjs.Att, bjs.AttSe),
            Normal(cs.Att, cs.Se, 0.5),
        ];
    }

    private static OlsFit TwfeFit(SimulatedDid d)
    {
        var treated = d.Cohort.Select((g, i) => g > 0 && d.Period[i] >= g ? 1.0 : 0.0).ToArray();
        return Regression.Fit(new RegressionInput("y", d.Y, [new NamedColumn("d", treated)],
            [Factor.FromStrings("unit", d.Unit), Factor.FromLongs("period", d.Period)]));
    }

    /// <summary>Unit placebo, wild cluster bootstrap by region, CR1 t test by region: does each reject at 5%?</summary>
    private static (bool Placebo, bool Wild, bool Analytic) NullTests(SimulatedDid d, MonteCarloSettings settings, int replication)
    {
        var realCohort = Enumerable.Range(0, settings.Dgp.Units).Select(u => StaggeredDgp.CohortOf(u)).ToArray();
        var design = new PlaceboDesign(d.UnitCode, d.Period, realCohort);
        var unit = Factor.FromStrings("unit", d.Unit);
        var baseInput = new RegressionInput("y", d.Y, [], [unit, Factor.FromLongs("period", d.Period)]);
        var engine = PlaceboStudy.CreateEngine(baseInput, unit, design, PlaceboKind.Unit, "d");
        var real = PlaceboStudy.Real(engine, design);
        var placebo = PlaceboStudy.Run(engine, design, PlaceboKind.Unit, settings.Seed + replication, 0, settings.PlaceboDraws, maxDegreeOfParallelism: 1);
        var summary = PlaceboInference.Summarise(real.Estimate, [.. placebo.Select(p => p.Estimate)], [.. placebo.Select(p => p.P)]);

        var fit = TwfeFit(d);
        var region = Factor.FromLongs("region", [.. d.Region.Select(r => (long)r)]);
        var wild = WildClusterBootstrap.Run(fit, "d", region,
            new WildBootstrapOptions(settings.WildDraws, WildWeights.Rademacher, settings.Seed + replication, Interval: false));
        var analytic = Inference.Summarise(fit, VcovSpec.Cluster(region))["d"];
        return (summary.PValue <= 0.05, wild.P <= 0.05, analytic.P < 0.05);
    }

    private static List<EstimatorCheck> Summarise(MonteCarloSettings settings, EffectScenario[] scenarios, (double Estimate, double Lo, double Hi)[,,] draws)
    {
        var checks = new List<EstimatorCheck>();
        var reps = settings.Replications;
        for (var s = 0; s < scenarios.Length; s++)
        {
            for (var e = 0; e < Estimators.Length; e++)
            {
                var isEvent = Estimators[e] == "event";
                var target = isEvent ? StaggeredDgp.EventAverage(settings.Dgp, scenarios[s]) : StaggeredDgp.OverallAtt(settings.Dgp, scenarios[s]);
                var errors = Enumerable.Range(0, reps).Select(r => draws[r, s, e].Estimate - target).ToArray();
                var covered = Enumerable.Range(0, reps).Count(r => draws[r, s, e].Lo <= target && target <= draws[r, s, e].Hi);
                var bias = errors.Average();
                var sd = Math.Sqrt(errors.Sum(x => (x - bias) * (x - bias)) / Math.Max(reps - 1, 1));
                checks.Add(new EstimatorCheck(scenarios[s], Estimators[e], isEvent ? "mean over e >= 0 of ATT(e)" : "ATT over treated observations",
                    target, reps, bias, sd / Math.Sqrt(reps), Math.Sqrt(errors.Average(x => x * x)), (double)covered / reps));
            }
        }
        return checks;
    }

    private static List<RejectionCheck> RejectionRates(MonteCarloSettings settings, bool[,] rejections)
    {
        var reps = settings.Replications;
        double Rate(int column) => Enumerable.Range(0, reps).Count(r => rejections[r, column]) / (double)reps;
        var g = settings.Dgp.Regions.ToString(CultureInfo.InvariantCulture);
        return
        [
            new("placebo_unit", reps, Rate(0), string.Create(CultureInfo.InvariantCulture, $"unit placebo, B = {settings.PlaceboDraws}: reject when (1 + #|b*| >= |b|)/(1 + B) <= 0.05")),
            new("wild_bootstrap", reps, Rate(1), string.Create(CultureInfo.InvariantCulture, $"WCR Rademacher, B = {settings.WildDraws}, {g} region clusters: reject when p <= 0.05")),
            new("cr1_few_clusters", reps, Rate(2), $"CR1 t test with the same {g} region clusters, t(G-1): reject when p < 0.05 (for comparison)"),
        ];
    }
}
