using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.HonestDid;

/// <summary>
/// The input of a Rambachan–Roth sensitivity analysis: event-study coefficients β̂ (pre-periods first, in time order,
/// the reference period left out; then the post-periods) and their covariance Σ (row-major, (pre+post)²).
/// </summary>
internal sealed record EventStudyEstimates(double[] Betahat, double[] Sigma, int PrePeriods, int PostPeriods)
{
    public int Dimension => PrePeriods + PostPeriods;

    /// <summary>
    /// From event-time estimates e with their covariance (row-major over the same order): e = −1 is the reference and
    /// is left out when present (a universal-base CS row fixed at 0); the rest must be the consecutive event times
    /// e_min … −2 and 0 … e_max, at least one of each. Other shapes are an ArgumentException naming the event times.
    /// </summary>
    public static EventStudyEstimates FromEventTimes(IReadOnlyList<long> e, IReadOnlyList<double> estimate, double[] covariance)
    {
        var n = e.Count;
        var keep = Enumerable.Range(0, n).Where(i => e[i] != -1).OrderBy(i => e[i]).ToArray();
        var times = keep.Select(i => e[i]).ToArray();
        var pre = times.Count(t => t < 0);
        var expected = Enumerable.Range(0, times.Length).Select(i => i < pre ? (long)(i - pre - 1) : i - pre).ToArray();
        if (pre == 0 || pre == times.Length || !times.SequenceEqual(expected))
            throw new ArgumentException($"Sensitivity analysis needs consecutive event times with at least one lead (e ≤ −2) and one lag (e ≥ 0), reference e = −1; got e = {string.Join(", ", e.Select(t => t.ToString(CultureInfo.InvariantCulture)))}.");
        var sigma = new double[keep.Length * keep.Length];
        for (var a = 0; a < keep.Length; a++)
            for (var b = 0; b < keep.Length; b++) sigma[a * keep.Length + b] = covariance[keep[a] * n + keep[b]];
        return new EventStudyEstimates([.. keep.Select(i => estimate[i])], sigma, pre, keep.Length - pre).Validate();
    }

    public double SigmaAt(int i, int j) => Sigma[i * Dimension + j];

    /// <summary>Checks shapes and the diagonal; the message names what is wrong.</summary>
    public EventStudyEstimates Validate()
    {
        var inv = CultureInfo.InvariantCulture;
        if (PrePeriods < 1 || PostPeriods < 1)
            throw new ArgumentException($"Sensitivity analysis needs at least one pre- and one post-period (got {PrePeriods.ToString(inv)} and {PostPeriods.ToString(inv)}).");
        if (Betahat.Length != Dimension || Sigma.Length != Dimension * Dimension)
            throw new ArgumentException($"betahat has {Betahat.Length.ToString(inv)} entries and sigma {Sigma.Length.ToString(inv)}; expected {Dimension.ToString(inv)} and {(Dimension * Dimension).ToString(inv)}.");
        for (var i = 0; i < Dimension; i++)
        {
            if (!(SigmaAt(i, i) > 0) || !double.IsFinite(Betahat[i]))
                throw new ArgumentException($"Event-study coefficient {i.ToString(inv)} has estimate {Betahat[i].ToString(inv)} and variance {SigmaAt(i, i).ToString(inv)}; a finite estimate and a positive variance are needed.");
        }
        return this;
    }

    /// <summary>l'β̂_post for post-period weights l.</summary>
    public double PostEstimate(double[] l)
    {
        var s = 0.0;
        for (var t = 0; t < PostPeriods; t++) s += l[t] * Betahat[PrePeriods + t];
        return s;
    }

    /// <summary>Var(v'β̂) for a weight vector over all periods.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Variance(double[] v)
    {
        var s = 0.0;
        for (var i = 0; i < Dimension; i++)
            for (var j = 0; j < Dimension; j++) s += v[i] * SigmaAt(i, j) * v[j];
        return s;
    }

    /// <summary>The pre-period zeros followed by the post weights l.</summary>
    public double[] PostVector(double[] l) => [.. new double[PrePeriods], .. l];

    /// <summary>l'β̂ ± z_{1−α/2}·√(l'Σ_post l): HonestDiD's constructOriginalCS.</summary>
    public (double Lb, double Ub) OriginalInterval(double[] l, double alpha)
    {
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2);
        var estimate = PostEstimate(l);
        var se = Math.Sqrt(Variance(PostVector(l)));
        return (estimate - z * se, estimate + z * se);
    }

    /// <summary>Post-period weights of a target: the first post period (e₁) or the average of all post periods.</summary>
    public double[] Target(SensitivityTarget target)
    {
        var l = new double[PostPeriods];
        if (target == SensitivityTarget.First) l[0] = 1;
        else Array.Fill(l, 1.0 / PostPeriods);
        return l;
    }
}

/// <summary>The parameter a sensitivity interval is about.</summary>
internal enum SensitivityTarget
{
    /// <summary>The effect in the first post period (HonestDiD's default l_vec = e₁).</summary>
    First,

    /// <summary>The average effect over the post periods (l_vec = 1/T̄ each).</summary>
    Average,
}
