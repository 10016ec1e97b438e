using NQPF.Econometrics.Validation;

namespace NQPF.Econometrics.Tests.Validation;

/// <summary>
/// A small Monte Carlo (40 replications) of every interval, run in CI: the heterogeneity-robust intervals must cover
/// their targets at a rate consistent with 95% (0.1% binomial band, ±0.11 at R = 40), the deliberately broken interval
/// (half the SE, true coverage about 68%) must be caught by the same band, TWFE must show its bias under cohort-
/// heterogeneous effects (more than 4 Monte Carlo SEs), and the placebo and wild-bootstrap tests must reject at a rate
/// consistent with 5% under the null. The 200-replication numbers are in docs/validation.md.
/// </summary>
public sealed class MonteCarloTests
{
    private static readonly MonteCarloResult Result = MonteCarlo.Run(new MonteCarloSettings(Replications: 40, Seed: 7, PlaceboDraws: 39, WildDraws: 199));

    private static EstimatorCheck Check(EffectScenario scenario, string estimator) =>
        Result.Estimators.Single(c => c.Scenario == scenario && c.Estimator == estimator);

    [Theory]
    [InlineData("cs")]
    [InlineData("sa")]
    [InlineData("bjs")]
    public void Run_RobustEstimators_CoverTheirTargets(string estimator)
    {
        foreach (var scenario in Enum.GetValues<EffectScenario>())
        {
            var c = Check(scenario, estimator);
            Assert.True(MonteCarlo.WithinBinomialBand(c.Coverage, c.Replications, 0.95), $"{estimator} {scenario}: coverage {c.Coverage}");
            Assert.True(Math.Abs(c.Bias) <= 4 * c.BiasMcse + 1e-12, $"{estimator} {scenario}: bias {c.Bias} (MCSE {c.BiasMcse})");
        }
    }

    [Fact]
    public void Run_BrokenInterval_IsCaught()
    {
        var broken = Check(EffectScenario.Static, "cs_half_se");
        Assert.False(MonteCarlo.WithinBinomialBand(broken.Coverage, broken.Replications, 0.95), $"half-SE coverage {broken.Coverage}");
    }

    [Fact]
    public void Run_TwfeUnderHeterogeneousEffects_IsBiased()
    {
        var twfe = Check(EffectScenario.Heterogeneous, "twfe");
        Assert.True(Math.Abs(twfe.Bias) > 4 * twfe.BiasMcse, $"TWFE bias {twfe.Bias} (MCSE {twfe.BiasMcse})");
        var homogeneous = Check(EffectScenario.Static, "twfe");
        Assert.True(Math.Abs(homogeneous.Bias) <= 4 * homogeneous.BiasMcse, $"TWFE static bias {homogeneous.Bias}");
    }

    [Fact]
    public void Run_NullTests_RejectAtTheirNominalRate()
    {
        foreach (var test in new[] { "placebo_unit", "wild_bootstrap" })
        {
            var r = Result.Rejections.Single(x => x.Test == test);
            Assert.True(MonteCarlo.WithinBinomialBand(r.RejectionRate, r.Replications, 0.05), $"{test}: {r.RejectionRate}");
        }
    }

    [Fact]
    public void Run_SameSeed_GivesTheSameNumbersWhateverTheThreads()
    {
        var settings = new MonteCarloSettings(Replications: 4, Seed: 3, PlaceboDraws: 9, WildDraws: 19);
        var one = MonteCarlo.Run(settings with { MaxDegreeOfParallelism = 1 });
        var two = MonteCarlo.Run(settings with { MaxDegreeOfParallelism = 2 });
        Assert.Equal(one.Estimators, two.Estimators);
        Assert.Equal(one.Rejections, two.Rejections);
    }
}
