using NQPF.Econometrics.Staggered;
using NQPF.Stages.Analysis;
using NQPF.Stages.Robustness;

namespace NQPF.Stages.Tests.Robustness;

/// <summary>
/// The staggered comparison on a simulated panel with planted, growing and cohort-heterogeneous effects (seeded):
/// 300 units × 2011–2021, cohorts 2014 / 2016 / 2018 (60 units each) and 120 never treated;
/// y = α_i + λ_t + τ(g, e) + ε with τ = 0.1·(e + 1)·(1 + (2018 − g)/4) for e ≥ 0 and ε ~ N(0, 0.05²).
/// The truth by event time is the cohort-size-weighted τ over cohorts observed at that e. CS, SA and BJS must recover it
/// within 4 SEs at e = 0..3; the static TWFE (Bacon) must be biased below the true average post-treatment effect.
/// </summary>
public sealed class StaggeredComparisonTests
{
    private static readonly long[] Cohorts = [2014, 2016, 2018];

    private static double Tau(long g, long e) => e < 0 ? 0 : 0.1 * (e + 1) * (1 + (2018 - g) / 4.0);

    private static (string[] Units, long[] Years, long[] Cohort, double[] Y) Simulate()
    {
        var rng = new Random(20240601);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var units = new List<string>();
        var years = new List<long>();
        var cohort = new List<long>();
        var y = new List<double>();
        var lambda = Enumerable.Range(0, 11).Select(t => 0.05 * t + 0.02 * Normal()).ToArray();
        for (int i = 0; i < 300; i++)
        {
            long g = i < 180 ? Cohorts[i / 60] : 0;
            double alpha = Normal();
            for (int t = 0; t < 11; t++)
            {
                long year = 2011 + t;
                units.Add("u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                years.Add(year);
                cohort.Add(g);
                y.Add(alpha + lambda[t] + (g == 0 ? 0 : Tau(g, year - g)) + 0.05 * Normal());
            }
        }
        return (units.ToArray(), years.ToArray(), cohort.ToArray(), y.ToArray());
    }

    private static double TrueEffect(long e)
    {
        var observed = Cohorts.Where(g => g + e <= 2021).ToArray();
        return observed.Average(g => Tau(g, e));
    }

    [Fact]
    public void Run_PlantedDynamicEffects_RobustEstimatorsRecoverThemAndTwfeIsBiased()
    {
        var (units, years, cohort, y) = Simulate();
        var result = StaggeredComparison.Run("sim", units, years, cohort, y, new StaggeredSpec(BootstrapDraws: 200, Seed: 5));
        var events = result.Frames["staggered_event"];
        var estimator = events.Strings("estimator");
        var e = events.Longs("e");
        var est = events.Doubles("estimate");
        var se = events.Doubles("se");
        foreach (var name in new[] { "cs", "sa", "bjs" })
        {
            for (long h = 0; h <= 3; h++)
            {
                int row = Enumerable.Range(0, events.RowCount).Single(r => estimator[r] == name && e[r] == h);
                double truth = TrueEffect(h);
                Assert.True(Math.Abs(est[row] - truth) <= 4 * se[row], $"{name} e = {h}: {est[row]} (se {se[row]}) vs planted {truth}");
            }
            int pre = Enumerable.Range(0, events.RowCount).First(r => estimator[r] == name && e[r] == -2);
            Assert.True(Math.Abs(est[pre]) <= 4 * se[pre], $"{name} e = -2 should be 0: {est[pre]}");
        }

        // True average effect over treated post-treatment cell-units, and the TWFE estimate the decomposition explains.
        double trueAtt = Cohorts.SelectMany(g => Enumerable.Range(0, (int)(2021 - g + 1)).Select(h => Tau(g, h))).Average();
        var summary = result.Frames["staggered_summary"];
        int twfeRow = Array.IndexOf(summary.Strings("estimator"), "twfe_bacon");
        double twfe = summary.Doubles("att")[twfeRow];
        Assert.True(twfe < 0.8 * trueAtt, $"TWFE {twfe} should be biased below the planted average {trueAtt}");
        int csRow = Array.IndexOf(summary.Strings("estimator"), "cs");
        Assert.True(Math.Abs(summary.Doubles("att")[csRow] - trueAtt) <= 4 * summary.Doubles("se")[csRow]);

        var bacon = result.Frames["bacon"];
        Assert.Equal(1.0, bacon.Doubles("weight").Sum(), 1e-10);
        Assert.Equal(twfe, bacon.Doubles("weight").Zip(bacon.Doubles("estimate"), (w, b) => w * b).Sum(), 1e-10);
        Assert.Contains(bacon.Strings("type"), t => t == "later_vs_earlier");
    }

    [Fact]
    public void Run_Settings_PrintedInSummaryForEveryEstimator()
    {
        var (units, years, cohort, y) = Simulate();
        var result = StaggeredComparison.Run("sim", units, years, cohort, y,
            new StaggeredSpec(Control: ControlGroup.NotYetTreated, BootstrapDraws: 0, Leads: 3, Lags: 4));
        var summary = result.Frames["staggered_summary"];
        Assert.Equal(["twfe_event", "cs", "sa", "bjs", "twfe_bacon"], summary.Strings("estimator").Select(s => s!).ToArray());
        foreach (var s in summary.Strings("settings").Take(4))
            Assert.Contains("control = not yet treated, base period = varying, anticipation = 0", s!, StringComparison.Ordinal);
        Assert.Contains("last-treated cohort", summary.Strings("settings")[2]!, StringComparison.Ordinal);
        var events = result.Frames["staggered_event"];
        var twfeE = Enumerable.Range(0, events.RowCount).Where(r => events.Strings("estimator")[r] == "twfe_event").Select(r => events.Longs("e")[r]).ToArray();
        Assert.Equal([-3L, -2L, 0L, 1L, 2L, 3L, 4L], twfeE);
    }
}
