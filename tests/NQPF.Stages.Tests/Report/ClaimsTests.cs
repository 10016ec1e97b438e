using NQPF.Stages.Report;

namespace NQPF.Stages.Tests.Report;

public sealed class ClaimsTests
{
    private const double Alpha = 0.05;

    [Theory]
    [InlineData(0.02, 0.001, 1, "Supported")]
    [InlineData(-0.02, 0.001, 1, "Opposite")]
    [InlineData(0.02, 0.2, 1, "NotSupported")]
    [InlineData(-0.01, 0.01, -1, "Supported")]
    [InlineData(0.02, 0.05, 1, "NotSupported")]
    [InlineData(double.NaN, 0.001, 1, "NotSupported")]
    public void Of_EstimateAndP_FollowsTheStatedRule(double estimate, double p, int sign, string expected) =>
        Assert.Equal(expected, Verdicts.Of(estimate, p, sign, Alpha).ToString());

    [Fact]
    public void Combine_Parts_SupportedOnlyWhenAllAre()
    {
        Assert.Equal(Verdict.Supported, Verdicts.Combine([Verdict.Supported, Verdict.Supported]));
        Assert.Equal(Verdict.Opposite, Verdicts.Combine([Verdict.Opposite, Verdict.Opposite]));
        Assert.Equal(Verdict.NotSupported, Verdicts.Combine([Verdict.Supported, Verdict.NotSupported]));
        Assert.Equal(Verdict.NotSupported, Verdicts.Combine([]));
    }

    [Fact]
    public void NormalP_TwoSided_MatchesR()
    {
        // R: 2 * pnorm(-1.96) = 0.04999579
        Assert.Equal(0.04999579, Verdicts.NormalP(1.96, 1), 1e-7);
    }

    [Fact]
    public void Evaluate_FullRun_ComputesEveryClaimsVerdictAndTruth()
    {
        var truth = TruthSummary.Parse(new PlainCsvReader().Read("att_summary.csv", System.Text.Encoding.UTF8.GetBytes(ReportFixtures.TruthCsv), new()).Sheets[0]);

        var claims = new Claims(new DeclaredInputs(ReportFixtures.FullRun()), truth, Alpha).Evaluate();

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], claims.Select(c => c.Number));
        Assert.All(claims, c => Assert.Equal(Verdict.Supported, c.Verdict(Alpha)));
        Assert.All(claims, c => Assert.Equal(c.TruthVerdict, c.Verdict(Alpha)));
        // Claim 3: 0.0231 − 0.0137 with SE √(0.0022² + 0.0013²) = 0.0025554 (CIs in the fixture are ±1.96 SE).
        var three = claims[2].Key!;
        Assert.Equal(0.0094, three.Estimate, 1e-12);
        Assert.Equal(0.0094 - 1.959963984540054 * Math.Sqrt(0.0022 * 0.0022 + 0.0013 * 0.0013), three.Low, 1e-5);
        Assert.Equal(0.0421 - 0.0248, three.Truth, 1e-12);
        // Claim 4: the Wald test of the model with controls; t(274) 97.5% quantile 1.968594 (R: qt(0.975, 274)).
        var four = claims[3].Key!;
        Assert.Equal(0.035 - 1.968594 * 0.035 / Math.Sqrt(131), four.Low, 1e-6);
        Assert.Equal(1, claims[3].Agreeing(Alpha));
        // Claim 7: the dual pilots' five interactions, with the weakest shown.
        Assert.Equal(5, claims[6].Parts.Count);
        Assert.All(claims[6].Parts, p => Assert.StartsWith("dual × ", p.Label, StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_NegativeSignificantPilotEffect_IsOpposite()
    {
        var inputs = ReportFixtures.FullRun();
        inputs["estimate/baseline"] = ReportFixtures.Baseline(bb: -0.0137);

        var claims = new Claims(new DeclaredInputs(inputs), null, Alpha).Evaluate();

        Assert.Equal(Verdict.Opposite, claims[0].Verdict(Alpha));
        Assert.Equal(0, claims[0].Agreeing(Alpha));
        Assert.False(claims[0].HasTruth);
    }
}
