namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>Asserts estimate and SE against a reference within an absolute tolerance and keeps the largest deviations.</summary>
internal sealed class MaxDeviation(double tolerance, string reference)
{
    public double Estimate { get; private set; }

    public double Se { get; private set; }

    public void Check(double expected, double expectedSe, double actual, double actualSe, string what)
    {
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual} vs {reference} {expected}");
        Assert.True(Math.Abs(expectedSe - actualSe) <= tolerance, $"{what} SE: {actualSe} vs {reference} {expectedSe}");
        Estimate = Math.Max(Estimate, Math.Abs(expected - actual));
        Se = Math.Max(Se, Math.Abs(expectedSe - actualSe));
    }

    public override string ToString() => FormattableString.Invariant($"{reference}: max |Δestimate| = {Estimate:E2}, max |ΔSE| = {Se:E2}");
}
