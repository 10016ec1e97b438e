using NQPF.Econometrics.Matching;

namespace NQPF.Econometrics.Tests.Matching;

public class LogitTests
{
    // Reference: expected/psm_lalonde.json, R 4.2.2 glm(binomial) on datasets/lalonde.csv. Tolerance 1e-6.
    [Fact]
    public void Fit_Lalonde_MatchesGlmCoefficientsSesAndDeviance()
    {
        var fit = LalondeFixture.Fit;
        var reference = ReferenceData.Json("expected/psm_lalonde.json").GetProperty("logit");
        for (var j = 0; j < fit.Names.Count; j++)
        {
            var name = fit.Names[j];
            Assert.Equal(reference.GetProperty("coefficients").GetProperty(name).GetDouble(), fit.Coefficients[j], 1e-6);
            var refSe = reference.GetProperty("se").GetProperty(name).GetDouble();
            Assert.True(Math.Abs(refSe - fit.StandardErrors[j]) <= 1e-6 * Math.Max(1, Math.Abs(refSe)), $"{name}: SE {fit.StandardErrors[j]} vs {refSe}");
        }
        Assert.Equal(reference.GetProperty("deviance").GetDouble(), fit.Deviance, 1e-6);
        Assert.Equal(reference.GetProperty("iterations").GetInt32(), fit.Iterations);
    }

    // Reference: propensity_score_first10 in expected/psm_lalonde.json (glm fitted values).
    [Fact]
    public void Fit_Lalonde_FittedScoresMatchGlm()
    {
        var expected = ReferenceData.Json("expected/psm_lalonde.json").GetProperty("propensity_score_first10")
            .EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], LalondeFixture.Fit.Fitted[i], 1e-9);
    }

    [Fact]
    public void Fit_CompletelySeparatedData_ThrowsSeparationNamingRegressor()
    {
        double[] x = [-3, -2, -1, -0.5, 0.5, 1, 2, 3];
        double[] noise = [0.1, -0.3, 0.2, 0.0, 0.4, -0.1, 0.3, -0.2];
        double[] y = [0, 0, 0, 0, 1, 1, 1, 1];
        var ex = Assert.Throws<SeparationException>(() => Logit.Fit(y, [x, noise], ["x", "noise"]));
        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TooFewIterations_ThrowsNonConvergence()
    {
        var d = LalondeFixture.Data;
        Assert.Throws<NonConvergenceException>(() => Logit.Fit(d["treat"],
            LalondeFixture.Covariates.Select(c => d[c]).ToArray(), LalondeFixture.Covariates, new LogitOptions(MaxIterations: 2)));
    }

    [Fact]
    public void Fit_CollinearRegressor_ThrowsRankDeficiency()
    {
        var d = LalondeFixture.Data;
        var twice = d["age"].Select(v => 2 * v).ToArray();
        var ex = Assert.Throws<RankDeficiencyException>(() => Logit.Fit(d["treat"], [d["age"], twice], ["age", "age2"]));
        Assert.Contains("age2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OutcomeNotBinary_Throws()
    {
        Assert.Throws<ArgumentException>(() => Logit.Fit([0, 1, 2, 0, 1], [[1.0, 2, 3, 4, 5]], ["x"]));
    }
}
