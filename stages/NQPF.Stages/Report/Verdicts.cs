namespace NQPF.Stages.Report;

/// <summary>What the run says about a claim.</summary>
internal enum Verdict
{
    Supported,
    NotSupported,
    Opposite,
}

/// <summary>
/// The verdict rule, stated in the report: an estimate supports a claim of sign s when its sign is s and p &lt; α;
/// it is the opposite when its sign is −s and p &lt; α; otherwise (p ≥ α, or not estimable) the claim is not
/// supported. A claim of several parts is supported when every part is, opposite when every part is, and not
/// supported otherwise.
/// </summary>
internal static class Verdicts
{
    public static Verdict Of(double estimate, double p, int sign, double alpha) =>
        !double.IsFinite(estimate) || !double.IsFinite(p) || p >= alpha || estimate == 0 ? Verdict.NotSupported
        : Math.Sign(estimate) == sign ? Verdict.Supported : Verdict.Opposite;

    public static Verdict Combine(IReadOnlyCollection<Verdict> parts) =>
        parts.Count == 0 ? Verdict.NotSupported
        : parts.All(v => v == Verdict.Supported) ? Verdict.Supported
        : parts.All(v => v == Verdict.Opposite) ? Verdict.Opposite
        : Verdict.NotSupported;

    /// <summary>The verdict the planted truth gives (no noise: the truth's sign decides each part).</summary>
    public static Verdict OfTruth(IEnumerable<(double Truth, int Sign)> parts) =>
        Combine([.. parts.Select(p => !double.IsFinite(p.Truth) || p.Truth == 0 ? Verdict.NotSupported
            : Math.Sign(p.Truth) == p.Sign ? Verdict.Supported : Verdict.Opposite)]);

    /// <summary>Two-sided normal p of estimate/se, for rows that carry no p (staggered ATTs, differences of two models).</summary>
    public static double NormalP(double estimate, double se) =>
        se > 0 && double.IsFinite(estimate) ? 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(estimate / se)) : double.NaN;

    public static string Key(Verdict verdict) => verdict switch
    {
        Verdict.Supported => "verdict.supported",
        Verdict.Opposite => "verdict.opposite",
        _ => "verdict.not_supported",
    };
}
