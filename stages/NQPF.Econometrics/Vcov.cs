using System.Globalization;

namespace NQPF.Econometrics;

internal enum VcovKind
{
    /// <summary>Homoskedastic: σ̂²(X̃'X̃)⁻¹.</summary>
    Iid,

    /// <summary>Heteroskedasticity-robust (HC1 with the default correction).</summary>
    Hetero,

    /// <summary>Cluster-robust, one- or two-way (CR1 with the default correction).</summary>
    Cluster,
}

/// <summary>Small-sample convention (named after fixest's ssc()).</summary>
internal enum SmallSample
{
    /// <summary>fixest / reghdfe / xtreg fe default: K = slopes + FE levels not nested in a cluster (a nested FE counts as one) − (Q − 1); G/(G−1)·(N−1)/(N−K).</summary>
    Default,

    /// <summary>LSDV: every FE level counted (fixest K.fixef = "full", Stata regress with dummies): K = slopes + Σ L_q − (Q − 1).</summary>
    Full,

    /// <summary>FE not counted (fixest K.fixef = "none"): K = slopes, cluster factor kept.</summary>
    FixefNone,

    /// <summary>No adjustment at all: the raw sandwich (CR0 / HC0, σ̂² = SSR/N).</summary>
    None,
}

/// <summary>Degrees of freedom of the t (and Wald F) reference distribution for clustered vcovs.</summary>
internal enum TDegrees
{
    /// <summary>G_min − 1 (fixest t.df = "min", reghdfe).</summary>
    Min,

    /// <summary>N − K.</summary>
    Conventional,
}

/// <summary>Which variance estimator to compute over a fit. Cluster factors cover the same original rows as the fit's input.</summary>
internal sealed record VcovSpec(VcovKind Kind, IReadOnlyList<Factor> Clusters, SmallSample Ssc = SmallSample.Default, TDegrees TDf = TDegrees.Min)
{
    public static VcovSpec Iid(SmallSample ssc = SmallSample.Default) => new(VcovKind.Iid, [], ssc);

    public static VcovSpec Hetero(SmallSample ssc = SmallSample.Default) => new(VcovKind.Hetero, [], ssc);

    public static VcovSpec Cluster(Factor cluster, SmallSample ssc = SmallSample.Default) => new(VcovKind.Cluster, [cluster], ssc);

    public static VcovSpec TwoWay(Factor first, Factor second, SmallSample ssc = SmallSample.Default) => new(VcovKind.Cluster, [first, second], ssc);
}

/// <summary>
/// How a vcov was computed: printed under every result. <paramref name="Factor"/> multiplies the raw sandwich;
/// <paramref name="TDf"/> is the t reference distribution's df.
/// </summary>
internal sealed record VcovRecipe(
    VcovKind Kind,
    SmallSample Ssc,
    IReadOnlyList<string> ClusterNames,
    IReadOnlyList<int> ClusterCounts,
    int N,
    int K,
    double Factor,
    double TDf,
    string FactorFormula)
{
    /// <summary>One line, e.g. "SE clustered by city_code (G = 275), CR1: factor G/(G−1)·(N−1)/(N−K) = 1.0071 with N = 3025, K = 18; t df = 274".</summary>
    public string Describe(bool withN = true)
    {
        var inv = CultureInfo.InvariantCulture;
        var what = Kind switch
        {
            VcovKind.Iid => "SE iid",
            VcovKind.Hetero => "SE heteroskedasticity-robust",
            _ => "SE clustered by " + string.Join(" and ", ClusterNames.Select((c, i) => $"{c} (G = {ClusterCounts[i].ToString(inv)})")),
        };
        var conv = Ssc switch
        {
            SmallSample.Default => "default small-sample correction (FE nested in the cluster not counted)",
            SmallSample.Full => "LSDV small-sample correction (every FE level counted)",
            SmallSample.FixefNone => "small-sample correction without FE in K",
            _ => "no small-sample correction",
        };
        return $"{what}; {conv}: factor {FactorFormula} = {Factor.ToString("G6", inv)} with {(withN ? "N = " + N.ToString(inv) + ", " : "")}K = {K.ToString(inv)}; t df = {TDf.ToString("G6", inv)}.";
    }
}

/// <summary>A variance–covariance matrix of a fit's coefficients (row-major k×k) and its recipe.</summary>
internal sealed record VarianceEstimate(double[] Matrix, int Dimension, VcovRecipe Recipe)
{
    public double Variance(int j) => Matrix[j * Dimension + j];

    public double StandardError(int j) => Math.Sqrt(Variance(j));
}

/// <summary>Inference as a separate step over an <see cref="OlsFit"/>.</summary>
internal static class Vcov
{
    /// <summary>
    /// V = c · B·M·B with bread B = (X̃'X̃)⁻¹ and the raw meat M: iid M = (SSR/N)·X̃'X̃; hetero M = Σᵢ eᵢ² x̃ᵢx̃ᵢ';
    /// one-way cluster M = Σ_g S_g S_g' with S_g = Σ_{i∈g} x̃ᵢeᵢ; two-way M = M₁ + M₂ − M₁₂ (intersection clusters).
    /// c = N/(N−K) for iid and hetero (HC1), G/(G−1)·(N−1)/(N−K) for clusters (G = G_min for two-way), 1 for
    /// <see cref="SmallSample.None"/>. K per <see cref="SmallSample"/>: slopes + FE levels (nested FE count one under
    /// the default) − (Q − 1). t df = G_min − 1 for clusters (or N − K), N − K otherwise.
    /// Degenerate cases: G = 1 → factor infinite (NaN SEs would mislead, so <see cref="ArgumentException"/>); N ≤ K → ArgumentException;
    /// a two-way vcov that is not positive semi-definite is returned as computed (as fixest 0.14 with vcov_fix off).
    /// Checked against fixest 0.14.2 on mpdta under every convention in twfe_mpdta.json (SE within 1e-6 relative).
    /// </summary>
    public static VarianceEstimate Compute(OlsFit fit, VcovSpec spec)
    {
        var n = fit.N;
        var k = fit.K;
        var clusters = spec.Clusters.Select(c => SubsetToFit(fit, c)).ToArray();
        if (spec.Kind == VcovKind.Cluster && clusters.Length is < 1 or > 2)
            throw new ArgumentException("Clustered vcov needs one or two cluster variables.", nameof(spec));
        if (spec.Kind != VcovKind.Cluster && clusters.Length > 0)
            throw new ArgumentException($"A {spec.Kind} vcov takes no cluster variables.", nameof(spec));

        var kDof = DegreesOfFreedomK(fit, spec.Ssc, clusters);
        if (n <= kDof && spec.Ssc != SmallSample.None)
            throw new ArgumentException($"N = {n.ToString(CultureInfo.InvariantCulture)} is not larger than K = {kDof.ToString(CultureInfo.InvariantCulture)} for '{fit.OutcomeName}'.", nameof(fit));

        double[] raw;
        double factor;
        string formula;
        double tDf;
        int[] counts;
        switch (spec.Kind)
        {
            case VcovKind.Iid:
                raw = Scale(fit.Bread, fit.Ssr / n);
                factor = spec.Ssc == SmallSample.None ? 1 : (double)n / (n - kDof);
                formula = spec.Ssc == SmallSample.None ? "1" : "N/(N−K)";
                tDf = n - kDof;
                counts = [];
                break;
            case VcovKind.Hetero:
                raw = Sandwich(fit.Bread, HeteroMeat(fit), k);
                factor = spec.Ssc == SmallSample.None ? 1 : (double)n / (n - kDof);
                formula = spec.Ssc == SmallSample.None ? "1" : "N/(N−K)";
                tDf = n - kDof;
                counts = [];
                break;
            default:
                var meat = ClusterMeat(fit, clusters[0]);
                if (clusters.Length == 2)
                {
                    var second = ClusterMeat(fit, clusters[1]);
                    var both = ClusterMeat(fit, Factor.Interact(clusters[0], clusters[1]));
                    for (var i = 0; i < meat.Length; i++) meat[i] += second[i] - both[i];
                }
                return Clustered(Sandwich(fit.Bread, meat, k), k, n, kDof, spec, clusters);
        }
        for (var i = 0; i < raw.Length; i++) raw[i] *= factor;
        var recipe = new VcovRecipe(spec.Kind, spec.Ssc, spec.Clusters.Select(c => c.Name).ToArray(), counts, n, kDof, factor, tDf, formula);
        return new VarianceEstimate(raw, k, recipe);
    }

    /// <summary>
    /// The clustered vcov from the raw sandwich B·M·B of a fit with N rows, k slopes and small-sample K = <paramref name="kDof"/>:
    /// times G/(G−1)·(N−1)/(N−K) (G = G_min), t df G_min − 1 (or N − K). A single cluster is an <see cref="ArgumentException"/>.
    /// </summary>
    internal static VarianceEstimate Clustered(double[] raw, int k, int n, int kDof, VcovSpec spec, IReadOnlyList<Factor> clustersOnFitRows)
    {
        var counts = clustersOnFitRows.Select(c => c.LevelCount).ToArray();
        var g = counts.Min();
        if (g < 2) throw new ArgumentException($"Clustering by {string.Join(", ", spec.Clusters.Select(c => c.Name))} leaves a single cluster; no clustered SE exists.", nameof(spec));
        var factor = spec.Ssc == SmallSample.None ? 1 : (double)g / (g - 1) * (n - 1) / (n - kDof);
        var formula = spec.Ssc == SmallSample.None ? "1" : (counts.Length == 2 ? "G_min/(G_min−1)·(N−1)/(N−K)" : "G/(G−1)·(N−1)/(N−K)");
        double tDf = spec.TDf == TDegrees.Min ? g - 1 : n - kDof;
        for (var i = 0; i < raw.Length; i++) raw[i] *= factor;
        var recipe = new VcovRecipe(spec.Kind, spec.Ssc, spec.Clusters.Select(c => c.Name).ToArray(), counts, n, kDof, factor, tDf, formula);
        return new VarianceEstimate(raw, k, recipe);
    }

    /// <summary>
    /// K of the (N−1)/(N−K) term. Slopes k plus, for the FE: Full → Σ L_q − (Q−1); Default → for each FE nested in a
    /// cluster 1 instead of L_q, minus (Q−1) (fixest K.fixef = "nonnested": for mpdta county+year FE clustered by county
    /// K = 1 + 1 + 5 − 1 = 6); FixefNone and None → k.
    /// </summary>
    internal static int DegreesOfFreedomK(OlsFit fit, SmallSample ssc, IReadOnlyList<Factor> clustersOnFitRows) =>
        DegreesOfFreedomK(fit.K, fit.FixedEffects, ssc, clustersOnFitRows);

    /// <summary>K of the (N−1)/(N−K) term for k slopes over the FE structure <paramref name="fe"/>.</summary>
    internal static int DegreesOfFreedomK(int k, FixedEffects fe, SmallSample ssc, IReadOnlyList<Factor> clustersOnFitRows)
    {
        if (fe.Dimensions == 0 || ssc is SmallSample.FixefNone or SmallSample.None) return k;
        var levels = 0;
        foreach (var f in fe.Factors)
        {
            var nested = ssc == SmallSample.Default && clustersOnFitRows.Any(f.IsNestedIn);
            levels += nested ? 1 : f.LevelCount;
        }
        return k + levels - (fe.Dimensions - 1);
    }

    /// <summary>The cluster factor (over the fit's original rows) restricted to the fit's kept rows.</summary>
    internal static Factor SubsetToFit(OlsFit fit, Factor cluster)
    {
        var rows = fit.Rows;
        var maxRow = rows.Length == 0 ? -1 : rows[^1];
        if (cluster.Length <= maxRow)
            throw new ArgumentException($"Cluster '{cluster.Name}' has {cluster.Length.ToString(CultureInfo.InvariantCulture)} rows; the fit uses row {maxRow.ToString(CultureInfo.InvariantCulture)}.", nameof(cluster));
        return cluster.Subset(rows);
    }

    private static double[] HeteroMeat(OlsFit fit)
    {
        var n = fit.N;
        var k = fit.K;
        var e = fit.Residuals;
        var x = fit.DemeanedX;
        var meat = new double[k * k];
        var w = new double[n];
        for (var i = 0; i < n; i++) w[i] = e[i] * e[i];
        for (var a = 0; a < k; a++)
        {
            var xa = x.AsSpan(a * n, n);
            for (var b = 0; b <= a; b++)
            {
                var xb = x.AsSpan(b * n, n);
                var s = 0.0;
                for (var i = 0; i < n; i++) s += w[i] * xa[i] * xb[i];
                meat[a * k + b] = s;
                meat[b * k + a] = s;
            }
        }
        return meat;
    }

    /// <summary>Σ_g S_g S_g' with S_g = Σ_{i∈g} x̃ᵢeᵢ (scores summed by cluster).</summary>
    internal static double[] ClusterMeat(OlsFit fit, Factor cluster)
    {
        var n = fit.N;
        var k = fit.K;
        var g = cluster.LevelCount;
        var codes = cluster.Codes;
        var e = fit.Residuals;
        var x = fit.DemeanedX;
        var scores = new double[g * k];
        for (var a = 0; a < k; a++)
        {
            var xa = x.AsSpan(a * n, n);
            var s = scores.AsSpan(a * g, g);
            for (var i = 0; i < n; i++) s[codes[i]] += xa[i] * e[i];
        }
        var meat = new double[k * k];
        for (var a = 0; a < k; a++)
            for (var b = 0; b <= a; b++)
            {
                var v = VectorOps.Dot(scores.AsSpan(a * g, g), scores.AsSpan(b * g, g));
                meat[a * k + b] = v;
                meat[b * k + a] = v;
            }
        return meat;
    }

    private static double[] Scale(double[] m, double c)
    {
        var r = new double[m.Length];
        for (var i = 0; i < m.Length; i++) r[i] = m[i] * c;
        return r;
    }

    /// <summary>B·M·B for symmetric k×k B and M (row-major).</summary>
    internal static double[] Sandwich(double[] bread, double[] meat, int k)
    {
        var tmp = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                var s = 0.0;
                for (var l = 0; l < k; l++) s += bread[i * k + l] * meat[l * k + j];
                tmp[i * k + j] = s;
            }
        var v = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                var s = 0.0;
                for (var l = 0; l < k; l++) s += tmp[i * k + l] * bread[l * k + j];
                v[i * k + j] = s;
            }
        return v;
    }
}
