using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NQPF.Econometrics;

/// <summary>Options for absorbing fixed effects.</summary>
/// <param name="Tolerance">
/// Convergence tolerance of the iterative demeaning: stop when ‖(I − T)x‖₂ ≤ Tolerance · ‖x₀‖₂, where T is one symmetric
/// sweep of projections and x₀ the one-way demeaned column. Not used by the exact paths (one FE; balanced two-way).
/// </param>
/// <param name="MaxIterations">Cap on conjugate-gradient iterations per column; exceeding it throws <see cref="NonConvergenceException"/>.</param>
/// <param name="DropSingletons">Drop observations that are alone in a level of some FE, iteratively (reghdfe, fixest 0.14).</param>
internal sealed record AbsorbOptions(double Tolerance = 1e-12, int MaxIterations = 10_000, bool DropSingletons = true)
{
    public static AbsorbOptions Default { get; } = new();
}

/// <summary>How a <see cref="FixedEffects"/> structure demeans a column.</summary>
internal enum DemeanMethod
{
    /// <summary>No fixed effects: the column is returned unchanged.</summary>
    None,

    /// <summary>One FE: x − group mean (exact).</summary>
    OneWay,

    /// <summary>Two FE forming a complete cross with one observation per cell: x − x̄ᵢ − x̄ₜ + x̄ (exact).</summary>
    BalancedTwoWay,

    /// <summary>Any other case: conjugate gradient on the symmetric alternating-projection operator (reghdfe "cg").</summary>
    ConjugateGradient,
}

/// <summary>
/// The fixed-effect structure of an estimation sample: the FE factors restricted to the kept rows (after dropping
/// excluded rows and, by default, singletons), with everything needed to demean any number of columns against it.
/// Build it once per sample and reuse it for every column (outcome, regressors, and each placebo treatment draw).
/// </summary>
/// <remarks>
/// Demeaning computes M_D x = x − D(D'D)⁻D'x, the residual of x on all FE dummies. One FE: subtract group means.
/// Balanced two-way cross: x − x̄ᵢ − x̄ₜ + x̄, exact. Otherwise (Q ≥ 2, unbalanced) M_D x is the limit of alternating
/// projections; we accelerate by conjugate gradient on A = I − T with T = P₁P₂…P_Q…P₂P₁ (symmetric Kaczmarz, PSD),
/// solving A z = 0 from z₀ = x: the iterates stay in x + range(A) = x + span(D), so the limit is M_D x (the
/// reghdfe "cg" acceleration, Correia 2017). Checked against dummy-variable OLS (MathNet QR) on unbalanced three-FE
/// panels in the tests. Degenerate cases: zero rows → empty structure; a column of NaN propagates NaN.
/// With observation weights w (weighted least squares), M_D is the W-orthogonal residual maker x − D(D'WD)⁻D'Wx:
/// group means become weighted means, the balanced shortcut no longer holds (a weighted cross is not orthogonal), and
/// conjugate gradient runs in the W inner product ⟨a, b⟩ = Σ wᵢaᵢbᵢ, in which the sweep operator is self-adjoint.
/// Checked against weighted dummy-variable OLS (√w-scaled, MathNet QR) in the tests.
/// </remarks>
internal sealed class FixedEffects
{
    /// <summary>Below this many cells (rows × columns) a block is demeaned on the calling thread.</summary>
    private const long ParallelThreshold = 250_000;

    private readonly int[][] _codes;
    private readonly double[][] _inverseCounts;
    private readonly double[]? _weights;
    private readonly AbsorbOptions _options;

    private FixedEffects(IReadOnlyList<Factor> factors, int[] rows, int singletons, AbsorbOptions options, double[]? weights)
    {
        Factors = factors;
        Rows = rows;
        SingletonsDropped = singletons;
        _options = options;
        _weights = weights;
        _codes = new int[factors.Count][];
        _inverseCounts = new double[factors.Count][];
        for (var q = 0; q < factors.Count; q++)
        {
            _codes[q] = factors[q].Codes;
            var totals = new double[factors[q].LevelCount];
            for (var i = 0; i < _codes[q].Length; i++) totals[_codes[q][i]] += weights?[i] ?? 1.0;
            for (var g = 0; g < totals.Length; g++) totals[g] = 1.0 / totals[g];
            _inverseCounts[q] = totals;
        }
        Method = factors.Count switch
        {
            0 => DemeanMethod.None,
            1 => DemeanMethod.OneWay,
            2 when weights is null && IsCompleteCross(_codes[0], factors[0].LevelCount, _codes[1], factors[1].LevelCount) => DemeanMethod.BalancedTwoWay,
            _ => DemeanMethod.ConjugateGradient,
        };
    }

    /// <summary>FE factors over the kept rows, densely re-encoded.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>For each kept observation, its row index in the arrays the structure was built from.</summary>
    public int[] Rows { get; }

    public int N => Rows.Length;

    public int SingletonsDropped { get; }

    public DemeanMethod Method { get; }

    public AbsorbOptions Options => _options;

    public int Dimensions => Factors.Count;

    public bool IsWeighted => _weights is not null;

    /// <summary>Observation weights over the kept rows (empty when unweighted).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>The inner product the demeaning is orthogonal in: Σ aᵢbᵢ, or Σ wᵢaᵢbᵢ under weights.</summary>
    public double InnerProduct(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        _weights is null ? VectorOps.Dot(a, b) : VectorOps.WeightedDot(a, b, _weights);

    /// <summary>Total FE levels Σ L_q (after dropping).</summary>
    public int TotalLevels
    {
        get
        {
            var s = 0;
            foreach (var f in Factors) s += f.LevelCount;
            return s;
        }
    }

    /// <summary>
    /// Builds the structure. <paramref name="factors"/> cover all original rows; rows with <paramref name="include"/>[i]
    /// false (e.g. missing outcome) are left out before singletons are searched. With no factors the structure is
    /// the identity (the caller adds an intercept column). <paramref name="weights"/> (over the original rows, positive
    /// on every included row) make the demeaning weighted; singletons are still found by counting rows.
    /// </summary>
    public static FixedEffects Absorb(IReadOnlyList<Factor> factors, AbsorbOptions? options = null, bool[]? include = null, double[]? weights = null)
    {
        options ??= AbsorbOptions.Default;
        var n = factors.Count > 0 ? factors[0].Length : include?.Length ?? 0;
        foreach (var f in factors)
        {
            if (f.Length != n)
                throw new ArgumentException($"Fixed effect '{f.Name}' has {f.Length.ToString(CultureInfo.InvariantCulture)} rows, expected {n.ToString(CultureInfo.InvariantCulture)}.", nameof(factors));
        }
        if (include is not null && include.Length != n)
            throw new ArgumentException("The include mask does not match the factors' length.", nameof(include));
        if (weights is not null && weights.Length != n)
            throw new ArgumentException("The weights do not match the factors' length.", nameof(weights));

        var alive = include is null ? Enumerable.Repeat(true, n).ToArray() : (bool[])include.Clone();
        var singletons = options.DropSingletons && factors.Count > 0 ? DropSingletons(factors, alive) : 0;

        var count = 0;
        foreach (var a in alive) if (a) count++;
        var rows = new int[count];
        for (int i = 0, j = 0; i < n; i++) if (alive[i]) rows[j++] = i;

        var kept = new Factor[factors.Count];
        for (var q = 0; q < factors.Count; q++) kept[q] = factors[q].Subset(rows);
        double[]? keptWeights = null;
        if (weights is not null)
        {
            keptWeights = new double[count];
            for (var j = 0; j < count; j++)
            {
                var w = weights[rows[j]];
                if (!(w > 0) || !double.IsFinite(w))
                    throw new ArgumentException($"Weight of row {rows[j].ToString(CultureInfo.InvariantCulture)} is {w.ToString(CultureInfo.InvariantCulture)}; included rows need a positive finite weight.", nameof(weights));
                keptWeights[j] = w;
            }
        }
        return new FixedEffects(kept, rows, singletons, options, keptWeights);
    }

    /// <summary>Iteratively removes rows whose level in some FE has a single live row. Returns how many were removed.</summary>
    private static int DropSingletons(IReadOnlyList<Factor> factors, bool[] alive)
    {
        var counts = new int[factors.Count][];
        for (var q = 0; q < factors.Count; q++)
        {
            counts[q] = new int[factors[q].LevelCount];
            var codes = factors[q].Codes;
            for (var i = 0; i < alive.Length; i++) if (alive[i]) counts[q][codes[i]]++;
        }
        var dropped = 0;
        bool changed;
        do
        {
            changed = false;
            for (var i = 0; i < alive.Length; i++)
            {
                if (!alive[i]) continue;
                var single = false;
                for (var q = 0; q < factors.Count && !single; q++) single = counts[q][factors[q].Codes[i]] == 1;
                if (!single) continue;
                alive[i] = false;
                dropped++;
                changed = true;
                for (var q = 0; q < factors.Count; q++) counts[q][factors[q].Codes[i]]--;
            }
        } while (changed);
        return dropped;
    }

    private static bool IsCompleteCross(int[] a, int la, int[] b, int lb)
    {
        if ((long)la * lb != a.Length) return false;
        var seen = new bool[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            var cell = (long)a[i] * lb + b[i];
            if (seen[cell]) return false;
            seen[cell] = true;
        }
        return true;
    }

    /// <summary>Scratch space for one thread's demeaning; reuse it across columns to avoid allocation.</summary>
    public DemeanWorkspace CreateWorkspace() => new(this);

    /// <summary>Copies full-length <paramref name="source"/> (indexed like the original rows) to the kept rows.</summary>
    public void Gather(ReadOnlySpan<double> source, Span<double> destination)
    {
        var rows = Rows;
        for (var i = 0; i < rows.Length; i++) destination[i] = source[rows[i]];
    }

    /// <summary>Gathers a full-length column to the kept rows into a new array.</summary>
    public double[] Gather(ReadOnlySpan<double> source)
    {
        var result = new double[N];
        Gather(source, result);
        return result;
    }

    /// <summary>
    /// Writes M_D x into <paramref name="result"/> (both over the kept rows; they may be the same span).
    /// Returns the number of iterations used (0 for the exact paths).
    /// </summary>
    public int Demean(ReadOnlySpan<double> x, Span<double> result, DemeanWorkspace workspace)
    {
        if (x.Length != N || result.Length != N)
            throw new ArgumentException($"Column has {x.Length.ToString(CultureInfo.InvariantCulture)} rows; the FE structure has {N.ToString(CultureInfo.InvariantCulture)}.", nameof(x));
        if (!ReferenceEquals(workspace.Owner, this))
            throw new ArgumentException("The workspace belongs to another FE structure.", nameof(workspace));
        if (!x.Overlaps(result)) x.CopyTo(result);
        switch (Method)
        {
            case DemeanMethod.None:
                return 0;
            case DemeanMethod.OneWay:
                Project(0, result, workspace.Sums[0]);
                return 0;
            case DemeanMethod.BalancedTwoWay:
                DemeanBalanced(result, workspace);
                return 0;
            default:
                return DemeanConjugateGradient(result, workspace);
        }
    }

    /// <summary>Demeans the k columns of a column-major n×k block in parallel (one workspace per thread).</summary>
    /// <returns>The largest iteration count over the columns.</returns>
    public int DemeanColumns(double[] columnMajor, int columns)
    {
        if (columnMajor.Length != (long)N * columns)
            throw new ArgumentException("Block size does not match N × columns.", nameof(columnMajor));
        return DemeanColumns([columnMajor]);
    }

    /// <summary>
    /// Demeans every column of several column-major blocks (each a whole number of N-row columns) as one set: in
    /// parallel when the work is large, one workspace per thread. Each column is demeaned on its own, so the result is
    /// the same as demeaning the blocks one by one, and the same for any thread count.
    /// </summary>
    /// <returns>The largest iteration count over the columns.</returns>
    public int DemeanColumns(params ReadOnlySpan<double[]> blocks)
    {
        var n = N;
        var columns = new List<(double[] Block, int Offset)>();
        foreach (var block in blocks)
        {
            if (n == 0 ? block.Length != 0 : block.Length % n != 0)
                throw new ArgumentException("Block size is not a whole number of N-row columns.", nameof(blocks));
            for (var offset = 0; offset < block.Length; offset += n) columns.Add((block, offset));
        }
        var iterations = new int[columns.Count];
        var total = (long)n * columns.Count;
        if (total < ParallelThreshold || Method is DemeanMethod.None or DemeanMethod.OneWay or DemeanMethod.BalancedTwoWay && total < 4 * ParallelThreshold)
        {
            // Small blocks: the exact paths cost a few passes, far less than scheduling work on the pool (and callers
            // such as bootstrap and permutation loops are already parallel over draws).
            var ws = CreateWorkspace();
            for (var j = 0; j < columns.Count; j++)
            {
                var col = columns[j].Block.AsSpan(columns[j].Offset, n);
                iterations[j] = Demean(col, col, ws);
            }
            return iterations.Length == 0 ? 0 : iterations.Max();
        }
        Parallel.For(0, columns.Count, CreateWorkspace, (j, _, ws) =>
        {
            var col = columns[j].Block.AsSpan(columns[j].Offset, n);
            iterations[j] = Demean(col, col, ws);
            return ws;
        }, _ => { });
        return iterations.Max();
    }

    /// <summary>x ← x − (group mean of x) for FE dimension q (the projection P_q⊥); weighted means under weights.</summary>
    private void Project(int q, Span<double> x, double[] sums)
    {
        var codes = _codes[q];
        var inv = _inverseCounts[q];
        if (codes.Length != x.Length) throw new ArgumentException("Column length differs from the FE structure.", nameof(x));
        Array.Clear(sums);
        if (_weights is not null)
        {
            ProjectWeighted(codes, inv, x, sums);
            return;
        }
        // Hot loop: scatter-add then gather-subtract; refs skip bounds checks (codes are validated dense at construction).
        ref var c0 = ref MemoryMarshal.GetArrayDataReference(codes);
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(sums);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        var n = x.Length;
        for (var i = 0; i < n; i++) Unsafe.Add(ref s0, Unsafe.Add(ref c0, i)) += Unsafe.Add(ref x0, i);
        for (var g = 0; g < sums.Length; g++) sums[g] *= inv[g];
        for (var i = 0; i < n; i++) Unsafe.Add(ref x0, i) -= Unsafe.Add(ref s0, Unsafe.Add(ref c0, i));
    }

    private void ProjectWeighted(int[] codes, double[] inverseTotals, Span<double> x, double[] sums)
    {
        var w = _weights!;
        for (var i = 0; i < x.Length; i++) sums[codes[i]] += w[i] * x[i];
        for (var g = 0; g < sums.Length; g++) sums[g] *= inverseTotals[g];
        for (var i = 0; i < x.Length; i++) x[i] -= sums[codes[i]];
    }

    private void DemeanBalanced(Span<double> x, DemeanWorkspace ws)
    {
        // Complete cross: P₁⊥P₂⊥ = M_D exactly, and (P₂⊥ applied to a one-way-demeaned column) = x − x̄ᵢ − x̄ₜ + x̄.
        Project(0, x, ws.Sums[0]);
        Project(1, x, ws.Sums[1]);
    }

    private void SymmetricSweep(Span<double> x, DemeanWorkspace ws)
    {
        var q = Dimensions;
        for (var d = 0; d < q; d++) Project(d, x, ws.Sums[d]);
        for (var d = q - 2; d >= 0; d--) Project(d, x, ws.Sums[d]);
    }

    private int DemeanConjugateGradient(Span<double> x, DemeanWorkspace ws)
    {
        Project(0, x, ws.Sums[0]);
        var reference = Math.Sqrt(Dot(x, x));
        if (reference == 0 || double.IsNaN(reference)) return 0;
        var r = ws.R.AsSpan();
        var u = ws.U.AsSpan();
        var v = ws.V.AsSpan();

        x.CopyTo(r);
        SymmetricSweep(r, ws);
        for (var i = 0; i < r.Length; i++) r[i] = x[i] - r[i];
        r.CopyTo(u);
        var ssr = Dot(r, r);
        var threshold = _options.Tolerance * reference;
        threshold *= threshold;
        for (var iter = 1; iter <= _options.MaxIterations; iter++)
        {
            if (ssr <= threshold) return iter - 1;
            u.CopyTo(v);
            SymmetricSweep(v, ws);
            for (var i = 0; i < v.Length; i++) v[i] = u[i] - v[i];
            var uv = Dot(u, v);
            if (uv <= 0) return iter - 1;
            var alpha = ssr / uv;
            VectorOps.SubtractScaled(x, alpha, u);
            VectorOps.SubtractScaled(r, alpha, v);
            var ssrNew = Dot(r, r);
            var beta = ssrNew / ssr;
            ssr = ssrNew;
            for (var i = 0; i < u.Length; i++) u[i] = r[i] + beta * u[i];
        }
        if (ssr <= threshold) return _options.MaxIterations;
        throw new NonConvergenceException(
            $"Demeaning on {string.Join(" + ", Factors.Select(f => f.Name))} did not reach tolerance {_options.Tolerance.ToString("g3", CultureInfo.InvariantCulture)} " +
            $"in {_options.MaxIterations.ToString(CultureInfo.InvariantCulture)} iterations (relative residual {(Math.Sqrt(ssr) / reference).ToString("g3", CultureInfo.InvariantCulture)}).");
    }

    /// <summary>CG runs in the inner product the projections are orthogonal in.</summary>
    private double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => InnerProduct(a, b);
}

/// <summary>Per-thread scratch arrays for <see cref="FixedEffects.Demean"/>.</summary>
internal sealed class DemeanWorkspace
{
    internal DemeanWorkspace(FixedEffects owner)
    {
        Owner = owner;
        Sums = new double[owner.Dimensions][];
        for (var q = 0; q < owner.Dimensions; q++) Sums[q] = new double[owner.Factors[q].LevelCount];
        var cg = owner.Method == DemeanMethod.ConjugateGradient;
        R = cg ? new double[owner.N] : [];
        U = cg ? new double[owner.N] : [];
        V = cg ? new double[owner.N] : [];
    }

    internal FixedEffects Owner { get; }

    internal double[][] Sums { get; }

    internal double[] R { get; }

    internal double[] U { get; }

    internal double[] V { get; }
}
