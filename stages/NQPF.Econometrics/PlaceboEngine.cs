using System.Globalization;

namespace NQPF.Econometrics;

/// <summary>One placebo draw: the treatment coefficient with its clustered SE, t and p (NaN when the drawn treatment is collinear with the FE/controls).</summary>
internal sealed record PlaceboDraw(int Draw, double Estimate, double Se, double T, double P);

/// <summary>
/// Re-estimates y = τ·d + Xγ + FE + ε for many treatment vectors d with everything that does not depend on d
/// computed once: the FE structure, ỹ = M_D y, X̃ = M_D X, the Cholesky of X̃'X̃, ỹ_x = M_X̃ ỹ. Per draw only d is
/// demeaned (O(N)), partialled on X̃ (O(Nk)), and by Frisch–Waugh–Lovell
/// τ̂ = d_x'ỹ_x / d_x'd_x with d_x = M_X̃ M_D d, residuals e = ỹ_x − τ̂·d_x (the full model's residuals), and
/// V(τ̂) = c · Σ_g (Σ_{i∈g} d_x,i eᵢ)² / (d_x'd_x)² — the (τ,τ) element of the full model's clustered sandwich, since
/// the τ row of (W'W)⁻¹W' is d_x'/(d_x'd_x). c, K and the t df are those of the full model (<see cref="Vcov"/>).
/// Draws are independent, so the parallel loop gives the same numbers for any thread count.
/// Checked against fixest 0.14.2's 1000 per-draw coefficients in timing_permutations.csv (1e-8) and against
/// <see cref="Regression.Fit"/> + <see cref="Vcov.Compute"/> for the observed treatment.
/// </summary>
internal sealed class PlaceboEngine
{
    private readonly FixedEffects _fe;
    /// <summary>X̃ column-major: the k demeaned controls (the probe fit's design, whose last column, the probe, is not used).</summary>
    private readonly double[] _x;
    private readonly int _k;
    private readonly double[] _xLower;
    private readonly double[] _yPartialled;
    private readonly Factor _cluster;
    private readonly double _tDf;
    private readonly int _originalRows;

    private PlaceboEngine(FixedEffects fe, double[] x, int k, double[] xLower, double[] yPartialled, Factor cluster, VcovRecipe recipe, IReadOnlyList<string> controls, int originalRows)
    {
        _originalRows = originalRows;
        _fe = fe;
        _x = x;
        _k = k;
        _xLower = xLower;
        _yPartialled = yPartialled;
        _cluster = cluster;
        _tDf = recipe.TDf;
        Recipe = recipe;
        Controls = controls;
    }

    /// <summary>The SE recipe shared by every draw.</summary>
    public VcovRecipe Recipe { get; }

    /// <summary>Controls kept after collinearity checks.</summary>
    public IReadOnlyList<string> Controls { get; }

    /// <summary>Length of the treatment vectors a draw fills (the original rows).</summary>
    public int OriginalRows => _originalRows;

    /// <summary>Observations used (after missing values and singletons).</summary>
    public int N => _fe.N;

    /// <summary>
    /// Prepares the engine. <paramref name="baseInput"/> holds the outcome, the controls (without the treatment) and the
    /// FE; <paramref name="cluster"/> is the one-way cluster over the same original rows; <paramref name="treatmentName"/>
    /// only names the term. The treatment's missing values cannot be known here, so the sample is fixed by
    /// <paramref name="baseInput"/> (pass an Include mask if the treatment can be missing).
    /// </summary>
    public static PlaceboEngine Create(RegressionInput baseInput, Factor cluster, string treatmentName, SmallSample ssc = SmallSample.Default, FitOptions? options = null)
    {
        if (baseInput.Weights is not null)
            throw new ArgumentException($"Placebo engine for '{treatmentName}': weighted regressions are not supported.", nameof(baseInput));
        // A probe fit with a placeholder treatment fixes the sample, the kept controls and the SE recipe K exactly as
        // the full model computes them. The placeholder is a fixed pseudo-random sequence (a row index could be
        // collinear with unit + year FE on a sorted balanced panel). It is the last regressor, so the fit's first k
        // demeaned columns are the kept controls (the intercept first when there are no FE), demeaned column by column
        // as the engine needs them: the engine keeps that block instead of demeaning the controls again.
        var probe = new double[baseInput.Outcome.Length];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < probe.Length; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            probe[i] = (state >> 11) * (1.0 / (1UL << 53));
        }
        var probeFit = Regression.Fit(baseInput with { Regressors = [.. baseInput.Regressors, new NamedColumn(treatmentName, probe)] }, options);
        if (probeFit.Terms.Count == 0 || !string.Equals(probeFit.Terms[^1], treatmentName, StringComparison.Ordinal))
            throw new RankDeficiencyException($"Placebo engine for '{treatmentName}': the controls and fixed effects leave no variation for a treatment.");
        var fe = probeFit.FixedEffects;
        var recipe = Vcov.Compute(probeFit, VcovSpec.Cluster(cluster, ssc)).Recipe;
        var controls = probeFit.Terms.Take(probeFit.Terms.Count - 1).ToArray();
        var clusterOfFit = Vcov.SubsetToFit(probeFit, cluster);
        var x = probeFit.DemeanedX;

        var n = fe.N;
        var k = controls.Length;
        var y = fe.Gather(baseInput.Outcome);
        var ws = fe.CreateWorkspace();
        fe.Demean(y, y, ws);

        var gram = new double[k * k];
        var scale = new double[k];
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var v = VectorOps.Dot(x.AsSpan(a * n, n), x.AsSpan(b * n, n));
                gram[a * k + b] = v;
                gram[b * k + a] = v;
            }
            scale[a] = gram[a * k + a];
        }
        var (kept, lower) = Cholesky.FactorWithDropping(gram, k, scale, 0);
        if (kept.Length != k)
            throw new RankDeficiencyException($"Placebo engine for '{treatmentName}': controls are collinear after demeaning.");
        var engine = new PlaceboEngine(fe, x, k, lower, y, clusterOfFit, recipe, controls, baseInput.Outcome.Length);
        engine.PartialOut(engine._yPartialled, new double[k]);
        return engine;
    }

    /// <summary>Scratch space for one thread's draws.</summary>
    public PlaceboWorkspace CreateWorkspace() => new(_fe.CreateWorkspace(), _fe.N, _k, _cluster.LevelCount);

    /// <summary>
    /// Estimates one draw. <paramref name="treatment"/> is indexed like the original rows the engine was built on.
    /// </summary>
    public PlaceboDraw Estimate(int draw, ReadOnlySpan<double> treatment, PlaceboWorkspace ws)
    {
        var d = ws.Treatment;
        _fe.Gather(treatment, d);
        var raw = VectorOps.Dot(d, d);
        _fe.Demean(d, d, ws.Demean);
        PartialOut(d, ws.Coefficients);
        var dd = VectorOps.Dot(d, d);
        if (!(dd > 1e-10 * raw))
            return new PlaceboDraw(draw, double.NaN, double.NaN, double.NaN, double.NaN);
        var y = _yPartialled;
        var tau = VectorOps.Dot(d, y) / dd;
        var sums = ws.ClusterSums;
        Array.Clear(sums);
        var codes = _cluster.Codes;
        for (var i = 0; i < d.Length; i++) sums[codes[i]] += d[i] * (y[i] - tau * d[i]);
        var meat = VectorOps.Dot(sums, sums);
        var se = Math.Sqrt(Recipe.Factor * meat) / dd;
        var t = tau / se;
        return new PlaceboDraw(draw, tau, se, t, Inference.TwoSidedP(t, _tDf));
    }

    /// <summary>
    /// Runs <paramref name="draws"/> draws in parallel; <paramref name="fillTreatment"/>(draw, span) writes draw's
    /// treatment over the original rows (it must be a pure function of the draw index, e.g. from a pre-drawn
    /// permutation, so the result does not depend on scheduling). Result i is draw i.
    /// </summary>
    public PlaceboDraw[] Run(int draws, Action<int, Span<double>> fillTreatment, int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        var results = new PlaceboDraw[draws];
        var rows = _originalRows;
        var po = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, draws, po, () => (CreateWorkspace(), new double[rows]), (b, _, state) =>
        {
            var (ws, full) = state;
            Array.Clear(full);
            fillTreatment(b, full);
            results[b] = Estimate(b, full, ws);
            return state;
        }, _ => { });
        return results;
    }

    /// <summary>v ← v − X̃(X̃'X̃)⁻¹X̃'v.</summary>
    private void PartialOut(double[] v, double[] coefficients)
    {
        var n = v.Length;
        for (var j = 0; j < _k; j++) coefficients[j] = VectorOps.Dot(_x.AsSpan(j * n, n), v);
        Cholesky.Solve(_xLower, _k, coefficients);
        for (var j = 0; j < _k; j++) VectorOps.SubtractScaled(v, coefficients[j], _x.AsSpan(j * n, n));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PlaceboEngine(N = {N}, controls = {string.Join(", ", Controls)}; {Recipe.Describe()})");
}

/// <summary>Per-thread scratch arrays of <see cref="PlaceboEngine"/>.</summary>
internal sealed class PlaceboWorkspace
{
    internal PlaceboWorkspace(DemeanWorkspace demean, int n, int k, int clusters)
    {
        Demean = demean;
        Treatment = new double[n];
        Coefficients = new double[k];
        ClusterSums = new double[clusters];
    }

    internal DemeanWorkspace Demean { get; }

    internal double[] Treatment { get; }

    internal double[] Coefficients { get; }

    internal double[] ClusterSums { get; }
}
