using System.Globalization;
using MathNet.Numerics.Distributions;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;
using NQPF.Stages.Analysis;
using NQPF.Stages.Robustness;
using Xunit.Abstractions;

namespace NQPF.Pipeline.Tests.Robustness;

/// <summary>
/// <c>run --to cohorts</c> once on the default (simulated) data, and the robustness stage's panel built from its
/// checkpoints exactly as the stage builds it (default options).
/// </summary>
public sealed class DefaultRobustnessPanelFixture : IAsyncLifetime
{
    private DefaultDataRun? _run;
    private Frame _treatment = null!, _index = null!, _clean = null!, _attributes = null!;

    internal RobustnessPanel Panel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _run = await DefaultDataRun.StartAsync("cohorts");
        Assert.True(_run.ExitCode == 0, _run.Errors);
        _treatment = await _run.TableAsync("04-cohorts", "treatment");
        _index = await _run.TableAsync("03-index", "index");
        _clean = await _run.TableAsync("02-clean", "panel");
        _attributes = await _run.TableAsync("04-cohorts", "attributes");
        Panel = RobustnessPanel.Build(_treatment, _index, _clean, _attributes, new RobustnessOptions());
    }

    /// <summary>The panel with an extra outcome column <paramref name="name"/>, given per row of <see cref="Panel"/>.</summary>
    internal RobustnessPanel PanelWith(string name, double[] values)
    {
        var rowOf = new Dictionary<(string, long), int>();
        for (var i = 0; i < Panel.Rows; i++) rowOf[(Panel.City[i]!, Panel.Year[i])] = i;
        var city = _index.Strings("city_code");
        var year = _index.Longs("year");
        var column = new DoubleColumn(name, [.. Enumerable.Range(0, _index.RowCount).Select(r => values[rowOf[(city[r]!, year[r])]])]);
        return RobustnessPanel.Build(_treatment, new Frame([.. _index.Columns, column]), _clean, _attributes, new RobustnessOptions());
    }

    public Task DisposeAsync()
    {
        _run?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// On the default data the heterogeneity-robust estimators recover the planted dynamic effects
/// (config/truth, seed 20250101) within their 95% CIs, and the static TWFE estimate falls below the planted ATT by the
/// amount the planted heterogeneity implies. The estimators run as the robustness stage calls them
/// (<see cref="StaggeredComparison"/>, harmonised: never-treated control, varying base period, no anticipation, TWFE
/// window −5..5) with analytic SEs and pointwise normal intervals ±1.959964·SE (the stage's default uniform bootstrap
/// band is wider, so this is the stricter check).
///
/// Why two comparisons. A city can be in both pilots, and the truth of definition bb (or cl) is a city's total effect,
/// which for a city whose other pilot came first is already non-zero before its own cohort year; and never-bb cities
/// include cluster-only cities, whose outcome rises with their own pilot. A DiD compares the change since the base
/// period g − 1 with the never-treated's change, so on the full sample it estimates
/// [τ_g(e) − τ_g(−1)] − [m_C(g+e) − m_C(g−1)], not the planted τ_g(e), which it lies below. Hence (1) on the cities never under the
/// other pilot the estimates are compared with the planted bb_only / cl_only effects directly, aggregated with the
/// estimators' own weights; (2) on the full sample with the estimand: every estimator here is linear in y and treats
/// the units of a cohort (and the never-treated) alike, so its expectation under the planted parallel trends is the
/// same estimator applied to the panel of planted effects, each city carrying its cohort's mean effect (the mean of its
/// other-pilot-only cohort when never treated). The index is the pipeline's (weights within 1e-3 of the truth's), a
/// scale difference far below one SE.
/// </summary>
public sealed class StaggeredDefaultDataTests(DefaultRobustnessPanelFixture fixture, ITestOutputHelper log) : IClassFixture<DefaultRobustnessPanelFixture>
{
    private static readonly StaggeredSpec Harmonised = new(Leads: 5, Lags: 5, BootstrapDraws: 0);
    private static readonly string[] Robust = ["cs", "sa", "bjs"];
    private const double Z975 = 1.959963984540054;

    public static TheoryData<string, string> Definitions => new() { { "bb", "cl" }, { "cl", "bb" } };

    /// <summary>
    /// Cities never under the other pilot (bb: 74 bb-only + 147 never-treated cities; cl: 22 + 147): truth = the planted
    /// <c>{pilot}_only</c> effects, cohort-size weighted, and 0 before the cohort year. Post-treatment: every event time
    /// within its pointwise 95% interval. Pre-treatment the 4–6 leads of an estimator are
    /// correlated tests of one hypothesis (SA's e = −2 is exactly minus CS's e = −1 short difference), so they are held
    /// to the simultaneous 95% band of the estimator's leads (Bonferroni, z = Φ⁻¹(1 − 0.025/k), 2.50 for k = 4, 2.64 for
    /// k = 6). Measured: bb's g − 2 → g − 1 change is 0.00083 (SE 0.00036, z 2.32; did's joint pre-test χ²(9) = 9.4,
    /// p = 0.40): outside the pointwise but inside the simultaneous band, for CS, SA and BJS alike.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void StaggeredComparison_CitiesNeverUnderOtherPilot_CiCoversPlantedDynamicEffects(string treatment, string other)
    {
        var panel = fixture.Panel;
        var truth = PlantedEffects.Load();
        var definition = treatment + "_only";
        var rows = Enumerable.Range(0, panel.Rows).Where(i => panel.CohortOfRow[other][i] == 0).ToArray();
        var units = rows.Select(i => panel.Units[panel.UnitOfRow[i]]).ToArray();
        var years = rows.Select(i => panel.Year[i]).ToArray();
        var cohorts = rows.Select(i => panel.CohortOfRow[treatment][i]).ToArray();
        truth.AssertCohortSizes(definition, units, cohorts);

        var events = StaggeredComparison.Run(treatment, units, years, cohorts, [.. rows.Select(i => panel.Column("nqpf")[i])], Harmonised)
            .Frames["staggered_event"];
        long first = years.Min(), last = years.Max();
        var checks = Enumerable.Range(0, events.RowCount).Where(i => Robust.Contains(events.Strings("estimator")[i]))
            .Select(i => (Estimator: events.Strings("estimator")[i]!, E: events.Longs("e")[i], Estimate: events.Doubles("estimate")[i],
                Se: events.Doubles("se")[i], Truth: events.Longs("e")[i] < 0 ? 0.0 : truth.CohortSizeWeighted(definition, events.Longs("e")[i], first, last)))
            .ToList();
        Assert.Equal(3, checks.Select(c => c.Estimator).Distinct().Count());
        Assert.True(checks.Count(c => c.E >= 0) >= 3 * 8, $"only {checks.Count(c => c.E >= 0)} post-treatment estimates");
        foreach (var c in checks)
        {
            var leads = checks.Count(x => x.Estimator == c.Estimator && x.E < 0);
            var limit = c.E >= 0 ? Z975 : Normal.InvCDF(0, 1, 1 - 0.025 / leads);
            Check(treatment + " without " + other + " cities", c.Estimator, c.E, c.Estimate, c.Se, c.Truth, limit);
        }
    }

    /// <summary>
    /// Full sample against the estimand of the planted effects: every event time of CS, SA and BJS, leads included,
    /// within its pointwise 95% interval. Also checks that the weighting built
    /// from the truth file is CS's: on the planted effects without the other pilot's, CS's dynamic aggregation equals the
    /// cohort-size weighted planted τ(e) within 1e-12.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void StaggeredComparison_FullSample_CiCoversEstimandOfPlantedEffects(string treatment, string other)
    {
        var panel = fixture.Panel;
        var truth = PlantedEffects.Load();
        var units = panel.UnitOfRow.Select(u => panel.Units[u]).ToArray();
        var cohorts = panel.CohortOfRow[treatment];
        truth.AssertCohortSizes(treatment, units, cohorts);
        truth.AssertCohortSizes(other + "_only", [.. units.Where((_, i) => cohorts[i] == 0)], [.. panel.CohortOfRow[other].Where((_, i) => cohorts[i] == 0)]);

        Frame Events(double[] y) => StaggeredComparison.Run(treatment, units, panel.Year, cohorts, y, Harmonised).Frames["staggered_event"];
        var estimated = Events(panel.Column("nqpf"));
        var estimand = Events(truth.EffectPanel(panel, treatment, other));
        var ownOnly = Events(truth.EffectPanel(panel, treatment, other: null));
        long first = panel.Year.Min(), last = panel.Year.Max();
        var post = 0;
        for (var i = 0; i < ownOnly.RowCount; i++)
        {
            if (ownOnly.Strings("estimator")[i] != "cs" || ownOnly.Longs("e")[i] < 0) continue;
            Assert.Equal(truth.CohortSizeWeighted(treatment, ownOnly.Longs("e")[i], first, last), ownOnly.Doubles("estimate")[i], 1e-12);
            post++;
        }
        Assert.True(post >= 8, $"CS has {post} post-treatment event times");

        Assert.Equal(estimated.RowCount, estimand.RowCount);
        for (var i = 0; i < estimated.RowCount; i++)
        {
            var estimator = estimated.Strings("estimator")[i]!;
            if (!Robust.Contains(estimator)) continue;
            Assert.Equal(estimated.Longs("e")[i], estimand.Longs("e")[i]);
            Check(treatment, estimator, estimated.Longs("e")[i], estimated.Doubles("estimate")[i], estimated.Doubles("se")[i], estimand.Doubles("estimate")[i], Z975);
        }
    }

    /// <summary>
    /// The static TWFE (city + year FE, no controls, clustered by city; the estimate Goodman-Bacon decomposes) against
    /// the planted post-treatment ATT (mean over treated city-years, = att_summary.csv). Measured on the default data:
    /// bb planted 0.02646, TWFE 0.02135 (95% CI 0.01589..0.02681), implied by the planted effects 0.02101, of which
    /// −0.00293 from the heterogeneity alone (TWFE of the own effects only: 0.02353) and −0.00252 from the other pilot's
    /// effect before the cohort year and in the never-treated; cl planted 0.04585, TWFE 0.03456 (0.02660..0.04252),
    /// implied 0.03521, heterogeneity alone 0.03907 (−0.00678), other pilot −0.00386. The implied bias is a fifth of the
    /// planted ATT for both pilots (1.8 SEs for bb, whose CI just reaches the truth; 2.8 for cl). In the decomposition
    /// every later-vs-earlier ("forbidden") 2×2 lies below the treated-vs-never 2×2 of the same cohort — cl: 2014 vs
    /// 2013 0.01033, 2017 vs 2013 0.00323 against 0.05193 and 0.02194 — because the earlier cohort's growing effect is
    /// subtracted as if it were a trend.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void StaticTwfe_FullSample_BelowPlantedAttByImpliedBias(string treatment, string other)
    {
        var panel = fixture.Panel;
        var truth = PlantedEffects.Load();
        long first = panel.Year.Min(), last = panel.Year.Max();
        var planted = truth.PostAtt(treatment, first, last);
        Assert.Equal(truth.Summary(treatment), planted, 1e-12);

        EstimateRow Static(double[] y) => Twfe.Estimate(new TwfeSpec("twfe", treatment, "y", y, [], [panel.Unit, panel.YearFactor], panel.Unit),
            panel.Treatment(treatment));
        var actual = Static(panel.Column("nqpf"));
        var implied = Static(truth.EffectPanel(panel, treatment, other)).Estimate;
        var ownOnly = Static(truth.EffectPanel(panel, treatment, other: null)).Estimate;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{treatment}: planted ATT {planted:F5}; TWFE {actual.Estimate:F5} (SE {actual.Se:F5}, CI {actual.CiLow:F5}..{actual.CiHigh:F5}); implied {implied:F5}; own effects only {ownOnly:F5}"));

        Assert.InRange(implied, actual.CiLow, actual.CiHigh);
        Assert.True(actual.Estimate < planted && planted - implied > 0.15 * planted,
            $"TWFE {actual.Estimate:G4}, implied {implied:G4}: the planted effects should pull TWFE well below the planted ATT {planted:G4}");
        Assert.True(ownOnly < planted - 0.1 * planted, $"heterogeneity alone moves TWFE only from {planted:G4} to {ownOnly:G4}");
        Assert.True(implied < ownOnly, "the other pilot's effect should lower the TWFE estimand further");

        var units = panel.UnitOfRow.Select(u => panel.Units[u]).ToArray();
        var bacon = StaggeredComparison.Run(treatment, units, panel.Year, panel.CohortOfRow[treatment], panel.Column("nqpf"), Harmonised).Frames["bacon"];
        Assert.Equal(actual.Estimate, bacon.Doubles("twfe")[0], 1e-10);
        var type = bacon.Strings("type");
        var forbidden = Enumerable.Range(0, bacon.RowCount).Where(i => type[i] == "later_vs_earlier").ToArray();
        Assert.NotEmpty(forbidden);
        foreach (var i in forbidden)
        {
            var cohort = bacon.Longs("treated")[i];
            var clean = Enumerable.Range(0, bacon.RowCount).Single(j => type[j] == "treated_vs_never" && bacon.Longs("treated")[j] == cohort);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {cohort} vs {bacon.Longs("control")[i]}: {bacon.Doubles("estimate")[i]:F5} (weight {bacon.Doubles("weight")[i]:F4}); vs never {bacon.Doubles("estimate")[clean]:F5}"));
            Assert.True(bacon.Doubles("estimate")[i] < bacon.Doubles("estimate")[clean]);
        }
    }

    /// <summary>
    /// The TWFE event study's joint lead test on the default data, and why it is what it is although the simulator plants
    /// parallel trends and no anticipation: the relative-time dummies pool cohorts whose effects differ (earlier cohorts
    /// gain more; Sun &amp; Abraham 2021), so the leads absorb other cohorts' post-treatment effects, and the other pilot,
    /// in force before the cohort year for a third of the cities, shifts the short leads. Measured (window −5..5,
    /// controls, CR1 by city): bb leads −5..−2 = 0.00461, 0.00518, 0.00069, −0.00073, F(4, 274) = 1.83, p = 0.12; cl
    /// 0.01036, 0.00911, 0.00105, −0.00051, F = 4.30, p = 0.002. Net of the planted effects cl's leads are 0.00211,
    /// 0.00089, 0.00033, −0.00042 (p = 0.089; bb 0.65; without controls 0.26 and 0.84): what the test picks up is the
    /// planted effects, not a simulation flaw. With each pilot's own effects only (0 before its cohort year) the far
    /// leads −5, −4 are bb 0.00771, 0.00742 and cl 0.00863, 0.00883: the contamination by the cohorts' differing effects.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void EventStudyPretrend_DefaultData_LeadsAreThePlantedEffects(string treatment, string other)
    {
        var truth = PlantedEffects.Load();
        var panel = fixture.Panel;
        var y = panel.Column("nqpf");
        var planted = truth.EffectPanel(panel, treatment, other);
        (IReadOnlyList<EventStudyRow> Rows, PretrendRow Test) Run(double[] outcome, bool controls)
        {
            var result = EventStudy.Estimate(fixture.PanelWith("outcome", outcome), new RobustnessOptions { Outcome = "outcome", Controls = controls ? null : [] }, treatment);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{treatment} controls {controls}: F = {result.Pretrend.F:F3}, p = {result.Pretrend.FP:F4}; leads ")
                + string.Join(", ", result.Rows.Where(r => r.RelTime <= -2).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.RelTime}: {r.Estimate:F5} ({r.Se:F5})"))));
            return (result.Rows, result.Pretrend);
        }

        _ = Run(y, controls: true);
        var net = y.Zip(planted, (a, b) => a - b).ToArray();
        Assert.True(Run(net, controls: true).Test.FP > 0.05);
        Assert.True(Run(net, controls: false).Test.FP > 0.05);

        // The leads the planted effects imply (no noise: the regression applied to the effects themselves), within the
        // estimate's 95% interval at every lead; and the far leads are contaminated even by the own effects alone.
        var implied = Run(planted, controls: false).Rows.ToDictionary(r => r.RelTime);
        foreach (var r in Run(y, controls: false).Rows.Where(r => r.RelTime <= -2))
            Assert.InRange(implied[r.RelTime].Estimate, r.CiLow, r.CiHigh);
        var ownOnly = Run(truth.EffectPanel(panel, treatment, other: null), controls: false).Rows.ToDictionary(r => r.RelTime);
        Assert.True(ownOnly[-5].Estimate > 0.004 && ownOnly[-4].Estimate > 0.004, "own effects alone should contaminate the far leads");

        // The stage's staggered_summary runs the same lead test without controls (TWFE event study of the econ
        // library): identical statistic; net of the planted effects no estimator's pre-test rejects.
        var units = panel.UnitOfRow.Select(u => panel.Units[u]).ToArray();
        var onData = Pretests(treatment, units, panel.Year, panel.CohortOfRow[treatment], y);
        Assert.Equal(Run(y, controls: false).Test.Chi2, onData["twfe_event"].Chi2, 1e-8);
        foreach (var (estimator, test) in Pretests(treatment, units, panel.Year, panel.CohortOfRow[treatment], net))
            Assert.True(test.P > 0.10, $"{estimator} pre-test net of the planted effects: p = {test.P:G3}");
    }

    /// <summary>
    /// The joint pre-tests of staggered_summary on the cities never under the other pilot (χ² p): CS (did's Wald
    /// pre-test), SA and BJS do not reject — bb 0.40, 0.18, 0.22; cl 0.28, 0.16, 0.17 — while the TWFE event study's
    /// test, contaminated by the cohorts' differing effects, gives bb 0.038 and cl 0.17.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void StaggeredPretests_CitiesNeverUnderOtherPilot_RobustEstimatorsDoNotReject(string treatment, string other)
    {
        var panel = fixture.Panel;
        var rows = Enumerable.Range(0, panel.Rows).Where(i => panel.CohortOfRow[other][i] == 0).ToArray();
        var tests = Pretests(treatment, [.. rows.Select(i => panel.Units[panel.UnitOfRow[i]])], [.. rows.Select(i => panel.Year[i])],
            [.. rows.Select(i => panel.CohortOfRow[treatment][i])], [.. rows.Select(i => panel.Column("nqpf")[i])]);
        foreach (var estimator in Robust)
            Assert.True(tests[estimator].P > 0.10, $"{estimator} pre-test p = {tests[estimator].P:G3}");
    }

    private Dictionary<string, (double Chi2, long Df, double P)> Pretests(string treatment, string[] units, long[] years, long[] cohorts, double[] y)
    {
        var summary = StaggeredComparison.Run(treatment, units, years, cohorts, y, Harmonised).Frames["staggered_summary"];
        var tests = new Dictionary<string, (double Chi2, long Df, double P)>(StringComparer.Ordinal);
        for (var i = 0; i < summary.RowCount; i++)
        {
            if (!double.IsFinite(summary.Doubles("pretrend_p")[i])) continue;
            tests[summary.Strings("estimator")[i]!] = (summary.Doubles("pretrend_chi2")[i], summary.Longs("pretrend_df")[i], summary.Doubles("pretrend_p")[i]);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{treatment} {summary.Strings("estimator")[i]}: {summary.Strings("pretrend_test")[i]}: chi2({summary.Longs("pretrend_df")[i]}) = {summary.Doubles("pretrend_chi2")[i]:F3}, p = {summary.Doubles("pretrend_p")[i]:F4}"));
        }
        Assert.Equal(["bjs", "cs", "sa", "twfe_event"], tests.Keys.Order(StringComparer.Ordinal));
        return tests;
    }

    private void Check(string what, string estimator, long e, double estimate, double se, double truth, double limit)
    {
        var z = (estimate - truth) / se;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {estimator} e={e}: estimate {estimate:F5} (SE {se:F5}), truth {truth:F5}, z {z:F2}"));
        Assert.True(double.IsFinite(z) && Math.Abs(z) <= limit,
            string.Create(CultureInfo.InvariantCulture, $"{what} {estimator} e = {e}: truth {truth:G5} outside {estimate:G5} ± {limit:F2}·{se:G3}"));
    }
}

/// <summary>config/truth/att_by_cohort_event.csv: the planted mean effect on the index by definition, cohort and event time.</summary>
internal sealed class PlantedEffects
{
    private readonly Dictionary<(string Definition, long Cohort, long E), double> _att = [];
    private readonly Dictionary<(string Definition, long Cohort), int> _units = [];

    public static PlantedEffects Load()
    {
        var truth = new PlantedEffects();
        var lines = File.ReadAllLines(RepoPaths.Config(Path.Combine("truth", "att_by_cohort_event.csv")));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var definition = f[Col("definition")];
            var cohort = long.Parse(f[Col("cohort")], CultureInfo.InvariantCulture);
            truth._att[(definition, cohort, long.Parse(f[Col("event_time")], CultureInfo.InvariantCulture))] =
                double.Parse(f[Col("att_index")], CultureInfo.InvariantCulture);
            truth._units[(definition, cohort)] = int.Parse(f[Col("units")], CultureInfo.InvariantCulture);
        }
        return truth;
    }

    public double Att(string definition, long cohort, long e) => _att[(definition, cohort, e)];

    /// <summary>att_summary.csv: the post-treatment ATT of <paramref name="definition"/> over all its cities.</summary>
    public double Summary(string definition)
    {
        var lines = File.ReadAllLines(RepoPaths.Config(Path.Combine("truth", "att_summary.csv")));
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(f => f[Array.IndexOf(header, "definition")] == definition && f[Array.IndexOf(header, "group")] == "all");
        return double.Parse(row[Array.IndexOf(header, "att_index")], CultureInfo.InvariantCulture);
    }

    /// <summary>Mean planted effect over the treated unit-years (event time ≥ 0) within [first, last].</summary>
    public double PostAtt(string definition, long first, long last)
    {
        double sum = 0, count = 0;
        foreach (var ((d, g, e), att) in _att)
        {
            if (d != definition || e < 0 || g + e < first || g + e > last) continue;
            sum += _units[(d, g)] * att;
            count += _units[(d, g)];
        }
        return sum / count;
    }

    /// <summary>The pipeline's cohorts of <paramref name="definition"/> have the truth's unit counts.</summary>
    public void AssertCohortSizes(string definition, string[] rowUnits, long[] rowCohorts)
    {
        var sizes = rowUnits.Zip(rowCohorts).Where(x => x.Second > 0).Distinct().GroupBy(x => x.Second)
            .ToDictionary(g => g.Key, g => g.Count());
        var expected = _units.Where(kv => kv.Key.Definition == definition).ToDictionary(kv => kv.Key.Cohort, kv => kv.Value);
        Assert.Equal(expected.OrderBy(kv => kv.Key), sizes.OrderBy(kv => kv.Key));
    }

    /// <summary>
    /// Mean planted effect at event time e over the cohorts observed at e within [first, last], weighted by cohort
    /// size: CS's dynamic aggregation weights (p_g over the cohorts with a cell at e), which are also SA's interaction
    /// weights and BJS's equal weight per treated unit-year on a balanced panel.
    /// </summary>
    public double CohortSizeWeighted(string definition, long e, long first, long last)
    {
        var cohorts = _units.Keys.Where(k => k.Definition == definition && k.Cohort + e >= first && k.Cohort + e <= last)
            .Select(k => k.Cohort).ToArray();
        return cohorts.Sum(g => _units[(definition, g)] * Att(definition, g, e)) / cohorts.Sum(g => (double)_units[(definition, g)]);
    }

    /// <summary>
    /// Each row's planted effect: the mean effect of its <paramref name="definition"/> cohort that year (every event
    /// time, so including the other pilot's effect before the cohort year); for a city never treated by it, the mean
    /// effect of its cohort of the other pilot alone (definition "<paramref name="other"/>_only"), 0 if it has neither.
    /// With <paramref name="other"/> null only the effect from the cohort year on: 0 before it and for the never-treated.
    /// </summary>
    public double[] EffectPanel(RobustnessPanel panel, string definition, string? other)
    {
        var cohort = panel.CohortOfRow[definition];
        var otherCohort = other is null ? null : panel.CohortOfRow[other];
        var y = new double[panel.Rows];
        for (var i = 0; i < panel.Rows; i++)
        {
            var e = panel.Year[i] - cohort[i];
            if (cohort[i] > 0) y[i] = other is null && e < 0 ? 0.0 : Att(definition, cohort[i], e);
            else if (otherCohort is not null && otherCohort[i] > 0) y[i] = Att(other + "_only", otherCohort[i], panel.Year[i] - otherCohort[i]);
        }
        return y;
    }
}
