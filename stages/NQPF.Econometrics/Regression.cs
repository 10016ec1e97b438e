using System.Globalization;

namespace NQPF.Econometrics;

/// <summary>A named numeric column over the original rows (NaN = missing).</summary>
internal sealed record NamedColumn(string Name, double[] Values);

/// <summary>
/// The specification of a linear model y = Xβ + Σ_q FE_q + ε: outcome, slope regressors and FE factors, all over the
/// same original rows. <paramref name="Include"/> optionally restricts the sample (e.g. a subgroup); rows with a
/// missing (non-finite) outcome or regressor are always left out. <paramref name="Weights"/> (optional, over the
/// original rows) turn the fit into weighted least squares: min Σ wᵢ(yᵢ − xᵢ'β − FE)² (R lm / fixest `weights`);
/// rows with weight 0 or a missing weight are left out like missing values, a negative weight is an error.
/// </summary>
internal sealed record RegressionInput(
    string OutcomeName,
    double[] Outcome,
    IReadOnlyList<NamedColumn> Regressors,
    IReadOnlyList<Factor> FixedEffects,
    bool[]? Include = null,
    double[]? Weights = null)
{
    /// <summary>How the weights are named in printed results.</summary>
    public string WeightsName { get; init; } = "weights";
}

/// <summary>Options of the point estimate (inference is chosen later, see <see cref="VcovSpec"/>).</summary>
/// <param name="CollinearityTolerance">A regressor is dropped as collinear when less than this fraction of its sum of squares is left after the FE and the earlier regressors (fixest collin.tol = 1e-10).</param>
/// <param name="RequiredTerms">Regressors that must be estimable (e.g. the treatment): if one is collinear, <see cref="RankDeficiencyException"/> is thrown instead of dropping it.</param>
internal sealed record FitOptions(AbsorbOptions? Absorb = null, double CollinearityTolerance = 1e-10, IReadOnlyList<string>? RequiredTerms = null)
{
    public static FitOptions Default { get; } = new();
}

/// <summary>
/// An OLS fit on FE-demeaned data: β = (X̃'X̃)⁻¹X̃'ỹ with X̃ = M_D X, ỹ = M_D y (Frisch–Waugh–Lovell), over the kept
/// rows. Everything inference needs (demeaned regressors, residuals, bread) is kept so a vcov can be computed later.
/// A weighted fit stores the transformed problem: <see cref="DemeanedX"/> = √w·X̃ and <see cref="Residuals"/> = √w·e
/// (X̃, e from the W-weighted demeaning), so X̃'X̃ is X̃'WX̃, <see cref="Ssr"/> is Σwe², and the cluster scores
/// Σ x̃ᵢeᵢ are Σ wᵢx̃ᵢeᵢ — the weighted sandwich of lm/fixest with no change to <see cref="Vcov"/>.
/// </summary>
internal sealed record OlsFit(
    string OutcomeName,
    IReadOnlyList<string> Terms,
    double[] Coefficients,
    IReadOnlyList<string> DroppedCollinear,
    FixedEffects FixedEffects,
    bool HasIntercept,
    double[] DemeanedX,
    double[] Residuals,
    double[] Bread,
    double Ssr,
    double Tss,
    double WithinTss,
    int MissingRowsRemoved,
    int DemeanIterations)
{
    public int N => Residuals.Length;

    /// <summary>Name of the weight variable of a weighted fit; null when unweighted.</summary>
    public string? WeightsName { get; init; }

    /// <summary>Number of estimated slope coefficients (including the intercept when there is no FE).</summary>
    public int K => Terms.Count;

    /// <summary>R² = 1 − SSR/TSS with TSS = Σ(y − ȳ)² (fixest r2).</summary>
    public double R2 => 1 - Ssr / Tss;

    /// <summary>Within R² = 1 − SSR/Σỹ² (fixest wr2); NaN without fixed effects.</summary>
    public double R2Within => FixedEffects.Dimensions == 0 ? double.NaN : 1 - Ssr / WithinTss;

    /// <summary>Original row index of each kept observation.</summary>
    public int[] Rows => FixedEffects.Rows;

    public int IndexOf(string term)
    {
        for (var j = 0; j < Terms.Count; j++)
            if (string.Equals(Terms[j], term, StringComparison.Ordinal)) return j;
        return -1;
    }

    public double Coefficient(string term)
    {
        var j = IndexOf(term);
        return j >= 0 ? Coefficients[j]
            : throw new KeyNotFoundException($"Term '{term}' is not in the fit (terms: {string.Join(", ", Terms)}; dropped: {string.Join(", ", DroppedCollinear)}).");
    }
}

/// <summary>Spec → fit. See <see cref="Fit(RegressionInput, FitOptions?)"/>.</summary>
internal static class Regression
{
    public const string InterceptName = "(Intercept)";

    /// <summary>
    /// Fits y on X with the FE absorbed. Steps: drop rows with a missing value; build the <see cref="FixedEffects"/>
    /// structure (singletons dropped by default); demean y and every regressor (in parallel); Gram G = X̃'X̃; sequential
    /// Cholesky dropping collinear regressors in the order given (<see cref="Cholesky.FactorWithDropping"/>); β, residuals,
    /// SSR, TSS, within TSS. Without FE an intercept column is added (and reported as "(Intercept)").
    /// Degenerate cases: no rows → <see cref="ArgumentException"/>; a required term collinear, or no estimable
    /// regressor → <see cref="RankDeficiencyException"/> naming it. Checked against fixest 0.14.2 (twfe_mpdta.json,
    /// timing.json) and against dummy-variable OLS by MathNet QR (tests).
    /// </summary>
    public static OlsFit Fit(RegressionInput input, FitOptions? options = null)
    {
        options ??= FitOptions.Default;
        var (include, missing) = UsableRows(input);
        var fe = FixedEffects.Absorb(input.FixedEffects, options.Absorb, include, input.Weights);
        var n = fe.N;
        if (n == 0) throw new ArgumentException($"No observations left to regress '{input.OutcomeName}' on (after removing missing values and singletons).", nameof(input));

        var hasIntercept = fe.Dimensions == 0;
        var names = new List<string>(input.Regressors.Count + 1);
        if (hasIntercept) names.Add(InterceptName);
        foreach (var c in input.Regressors) names.Add(c.Name);
        var k = names.Count;

        var (yTilde, block, tss, scale) = GatherDesign(input, fe, hasIntercept, k);
        var iterations = fe.DemeanColumns(yTilde, block);
        if (fe.IsWeighted)
            ScaleRowsBySqrtWeights(n, fe.Weights, yTilde, block);
        var withinTss = VectorOps.Dot(yTilde, yTilde);

        var (kept, lower) = Cholesky.FactorWithDropping(Gram(block, n, k), k, scale, options.CollinearityTolerance);
        var dropped = DroppedTerms(input, options, fe, names, kept, n);
        var p = kept.Length;
        // The demeaned regressors are the fit's design as they stand unless the Cholesky dropped some: then the kept
        // columns are copied into a block of their own.
        var x = p == k ? block : new double[n * p];
        var beta = new double[p];
        for (var a = 0; a < p; a++)
        {
            var src = block.AsSpan(kept[a] * n, n);
            if (x != block) src.CopyTo(x.AsSpan(a * n, n));
            beta[a] = VectorOps.Dot(src, yTilde);
        }
        Cholesky.Solve(lower, p, beta);
        var residuals = yTilde;
        for (var a = 0; a < p; a++) VectorOps.SubtractScaled(residuals, beta[a], x.AsSpan(a * n, n));
        var ssr = VectorOps.Dot(residuals, residuals);
        var terms = new string[p];
        for (var a = 0; a < p; a++) terms[a] = names[kept[a]];

        return new OlsFit(input.OutcomeName, terms, beta, dropped, fe, hasIntercept, x, residuals, Cholesky.Inverse(lower, p),
            ssr, tss, withinTss, missing, iterations)
        {
            WeightsName = input.Weights is null ? null : input.WeightsName,
        };
    }

    /// <summary>
    /// The rows the fit may use: those of <see cref="RegressionInput.Include"/> with a finite outcome, finite
    /// regressors and (when weighted) a positive finite weight; and how many included rows were dropped for that.
    /// Lengths that differ from the outcome's, and negative weights, are argument errors.
    /// </summary>
    private static (bool[] Include, int Missing) UsableRows(RegressionInput input)
    {
        var nAll = input.Outcome.Length;
        var include = input.Include is null ? Enumerable.Repeat(true, nAll).ToArray() : (bool[])input.Include.Clone();
        if (include.Length != nAll) throw new ArgumentException("Include mask length differs from the outcome's.", nameof(input));
        foreach (var c in input.Regressors)
        {
            if (c.Values.Length != nAll)
                throw new ArgumentException($"Regressor '{c.Name}' has {c.Values.Length.ToString(CultureInfo.InvariantCulture)} rows, outcome '{input.OutcomeName}' has {nAll.ToString(CultureInfo.InvariantCulture)}.", nameof(input));
        }
        if (input.Weights is not null && input.Weights.Length != nAll)
            throw new ArgumentException($"Weights have {input.Weights.Length.ToString(CultureInfo.InvariantCulture)} rows, outcome '{input.OutcomeName}' has {nAll.ToString(CultureInfo.InvariantCulture)}.", nameof(input));
        var missing = 0;
        for (var i = 0; i < nAll; i++)
        {
            if (!include[i]) continue;
            if (input.Weights is { } w)
            {
                if (w[i] < 0) throw new ArgumentException($"Weight of row {i.ToString(CultureInfo.InvariantCulture)} is negative ({w[i].ToString(CultureInfo.InvariantCulture)}).", nameof(input));
                if (w[i] == 0 || !double.IsFinite(w[i]))
                {
                    include[i] = false;
                    missing++;
                    continue;
                }
            }
            var ok = double.IsFinite(input.Outcome[i]);
            for (var j = 0; ok && j < input.Regressors.Count; j++) ok = double.IsFinite(input.Regressors[j].Values[i]);
            if (!ok)
            {
                include[i] = false;
                missing++;
            }
        }
        return (include, missing);
    }

    /// <summary>
    /// The outcome and the design block before demeaning, the block column-major and contiguous with the k regressors
    /// (the intercept first when there are no FE); with the (weighted) total sum of squares of y and each regressor's
    /// own (weighted) sum of squares, against which collinearity is judged before the FE are removed.
    /// </summary>
    private static (double[] Y, double[] Block, double Tss, double[] Scale) GatherDesign(RegressionInput input, FixedEffects fe, bool hasIntercept, int k)
    {
        var n = fe.N;
        var y = new double[n];
        fe.Gather(input.Outcome, y);
        var tss = TotalSumOfSquares(y, fe.Weights);
        var block = new double[(long)n * k > int.MaxValue ? throw new ArgumentException("Design too large.", nameof(input)) : n * k];
        var offset = 0;
        if (hasIntercept)
        {
            block.AsSpan(0, n).Fill(1.0);
            offset = 1;
        }
        for (var j = 0; j < input.Regressors.Count; j++) fe.Gather(input.Regressors[j].Values, block.AsSpan((offset + j) * n, n));
        var scale = new double[k];
        for (var j = 0; j < k; j++)
        {
            var col = block.AsSpan(j * n, n);
            scale[j] = fe.InnerProduct(col, col);
        }
        return (y, block, tss, scale);
    }

    /// <summary>G = X̃'X̃ over the k columns of the demeaned block (row-major k × k).</summary>
    private static double[] Gram(double[] block, int n, int k)
    {
        var gram = new double[k * k];
        void GramRow(int a)
        {
            for (var b = 0; b <= a; b++)
            {
                var v = VectorOps.Dot(block.AsSpan(a * n, n), block.AsSpan(b * n, n));
                gram[a * k + b] = v;
                gram[b * k + a] = v;
            }
        }
        // Each entry is one dot product whoever computes it, so the rows can be shared out when the design is large.
        if ((long)n * k * k >= 1L << 22) Parallel.For(0, k, GramRow);
        else for (var a = 0; a < k; a++) GramRow(a);
        return gram;
    }

    /// <summary>The terms the Cholesky dropped as collinear; a required term among them, or nothing kept, is a
    /// <see cref="RankDeficiencyException"/> naming it.</summary>
    private static List<string> DroppedTerms(RegressionInput input, FitOptions options, FixedEffects fe, List<string> names, int[] kept, int n)
    {
        var dropped = new List<string>();
        for (var j = 0; j < names.Count; j++) if (Array.IndexOf(kept, j) < 0) dropped.Add(names[j]);
        foreach (var required in options.RequiredTerms ?? [])
        {
            if (dropped.Contains(required))
                throw new RankDeficiencyException(
                    $"Regressor '{required}' is collinear with the fixed effects ({FeNames(fe)}) or with the other regressors in the model for '{input.OutcomeName}' (N = {n.ToString(CultureInfo.InvariantCulture)}); it cannot be estimated.");
        }
        if (kept.Length == 0)
            throw new RankDeficiencyException($"Every regressor of '{input.OutcomeName}' ({string.Join(", ", names)}) is collinear with the fixed effects ({FeNames(fe)}).");
        return dropped;
    }

    private static string FeNames(FixedEffects fe) =>
        fe.Dimensions == 0 ? "intercept" : string.Join(" + ", fe.Factors.Select(f => f.Name));

    /// <summary>Σ wᵢ(yᵢ − ȳ_w)² with ȳ_w the (weighted) mean; unweighted when <paramref name="weights"/> is empty.</summary>
    private static double TotalSumOfSquares(ReadOnlySpan<double> y, ReadOnlySpan<double> weights)
    {
        double sw = 0, swy = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[i];
            sw += w;
            swy += w * y[i];
        }
        var mean = sw == 0 ? double.NaN : swy / sw;
        var tss = 0.0;
        for (var i = 0; i < y.Length; i++) tss += (weights.IsEmpty ? 1.0 : weights[i]) * (y[i] - mean) * (y[i] - mean);
        return tss;
    }

    /// <summary>Every column of the column-major n-row blocks times √w row by row: the weighted problem as plain OLS.</summary>
    private static void ScaleRowsBySqrtWeights(int n, ReadOnlySpan<double> weights, params ReadOnlySpan<double[]> blocks)
    {
        Span<double> root = n <= 4096 ? stackalloc double[n] : new double[n];
        for (var i = 0; i < n; i++) root[i] = Math.Sqrt(weights[i]);
        foreach (var block in blocks)
        {
            for (var offset = 0; offset < block.Length; offset += n)
            {
                var col = block.AsSpan(offset, n);
                for (var i = 0; i < n; i++) col[i] *= root[i];
            }
        }
    }
}
