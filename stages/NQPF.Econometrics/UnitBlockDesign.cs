namespace NQPF.Econometrics;

/// <summary>Outcome of <see cref="UnitBlockDesign.TryCoefficient"/>.</summary>
internal enum BlockFitStatus
{
    /// <summary>The coefficient was computed.</summary>
    Estimated,

    /// <summary>A required term is collinear (or nothing is estimable): what <see cref="Regression.Fit"/> reports as a <see cref="RankDeficiencyException"/>.</summary>
    Collinear,

    /// <summary>The drawn units do not form a complete unit × period cross: fit it with <see cref="Regression.Fit"/> instead.</summary>
    NotBalanced,
}

/// <summary>
/// Fits y ~ X | unit + period by OLS on many multisets of whole units (subgroup permutations, cluster bootstraps with
/// every copy its own unit effect) from per-unit sufficient statistics computed once. For a complete unit × period
/// cross the two-way demeaning is exact: x̃_it = u_it − s_t / N_S with u_i the unit's own deviations from its mean,
/// s_t = Σ_{i∈S} m_i u_it and N_S = Σ m_i (m_i the multiplicity of unit i in the draw). Hence the demeaned Gram matrix
/// of every column is X̃'X̃ = Σ_i m_i Q_i − (1/N_S) Σ_t s_t s_t' with Q_i = Σ_t u_it u_it', and a draw costs
/// O(units · (p² + T·p)) instead of O(rows · p²) plus the demeaning. The fit itself is <see cref="Regression.Fit"/>'s:
/// collinearity judged against each regressor's raw sum of squares over the drawn rows (Σ m_i Σ_t x_it²), sequential
/// Cholesky dropping in the order given, required terms must survive. Equal to <see cref="Regression.Fit"/> up to
/// rounding (tested against it draw by draw to 1e-10).
/// Degenerate cases: a drawn unit that is not observed exactly once in every period with every column finite, or a draw
/// with fewer than two unit copies (singletons), gives <see cref="BlockFitStatus.NotBalanced"/>.
/// </summary>
internal sealed class UnitBlockDesign
{
    private readonly int _p;
    private readonly int _periods;
    private readonly bool[] _complete;
    private readonly double[] _deviations;
    private readonly double[] _cross;
    private readonly double[] _raw;

    private UnitBlockDesign(int p, int periods, bool[] complete, double[] deviations, double[] cross, double[] raw)
    {
        _p = p;
        _periods = periods;
        _complete = complete;
        _deviations = deviations;
        _cross = cross;
        _raw = raw;
    }

    /// <summary>Number of units (codes of the unit factor).</summary>
    public int Units => _complete.Length;

    /// <summary>Number of columns the design holds.</summary>
    public int Columns => _p;

    /// <summary>
    /// Per-unit statistics of <paramref name="columns"/> (all over the same original rows as the factors): deviations
    /// from the unit mean by period, Q_i, and raw sums of squares. Rows outside <paramref name="include"/> are ignored.
    /// </summary>
    public static UnitBlockDesign Create(IReadOnlyList<double[]> columns, Factor unit, Factor period, bool[]? include = null)
    {
        int p = columns.Count, T = period.LevelCount, units = unit.LevelCount;
        var rowOf = new int[units * T];
        Array.Fill(rowOf, -1);
        var complete = new bool[units];
        Array.Fill(complete, T >= 2);
        for (int r = 0; r < unit.Length; r++)
        {
            if (include is not null && !include[r]) continue;
            ref int slot = ref rowOf[unit.Codes[r] * T + period.Codes[r]];
            if (slot >= 0) complete[unit.Codes[r]] = false;
            slot = r;
            foreach (var c in columns) if (!double.IsFinite(c[r])) complete[unit.Codes[r]] = false;
        }
        var deviations = new double[units * T * p];
        var cross = new double[units * p * p];
        var raw = new double[units * p];
        for (int i = 0; i < units; i++)
        {
            for (int t = 0; t < T && complete[i]; t++) complete[i] = rowOf[i * T + t] >= 0;
            if (complete[i]) Summarise(columns, rowOf.AsSpan(i * T, T), deviations.AsSpan(i * T * p, T * p), cross.AsSpan(i * p * p, p * p), raw.AsSpan(i * p, p));
        }
        return new UnitBlockDesign(p, T, complete, deviations, cross, raw);
    }

    private static void Summarise(IReadOnlyList<double[]> columns, ReadOnlySpan<int> rows, Span<double> u, Span<double> q, Span<double> raw)
    {
        int p = columns.Count, T = rows.Length;
        for (int j = 0; j < p; j++)
        {
            var c = columns[j];
            double mean = 0;
            for (int t = 0; t < T; t++) mean += c[rows[t]];
            mean /= T;
            for (int t = 0; t < T; t++)
            {
                double v = c[rows[t]];
                raw[j] += v * v;
                u[t * p + j] = v - mean;
            }
        }
        for (int t = 0; t < T; t++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b <= a; b++) q[a * p + b] += u[t * p + a] * u[t * p + b];
    }

    /// <summary>Scratch space for one thread's draws.</summary>
    public UnitBlockWorkspace CreateWorkspace() => new(_p, _periods);

    /// <summary>
    /// The demeaned Gram matrix (lower triangle filled, row-major p×p) and the raw sums of squares of every column over
    /// the drawn rows, into <paramref name="ws"/>; false when the draw is not a complete cross.
    /// </summary>
    public bool TryGram(ReadOnlySpan<int> multiplicity, UnitBlockWorkspace ws)
    {
        int p = _p, T = _periods;
        var gram = ws.Gram;
        var sums = ws.PeriodSums;
        var scale = ws.Scale;
        Array.Clear(gram);
        Array.Clear(sums);
        Array.Clear(scale);
        long copies = 0;
        for (int i = 0; i < multiplicity.Length; i++)
        {
            int m = multiplicity[i];
            if (m == 0) continue;
            if (!_complete[i]) return false;
            copies += m;
            var q = _cross.AsSpan(i * p * p, p * p);
            for (int a = 0; a < p * p; a++) gram[a] += m * q[a];
            var raw = _raw.AsSpan(i * p, p);
            for (int j = 0; j < p; j++) scale[j] += m * raw[j];
            var u = _deviations.AsSpan(i * T * p, T * p);
            for (int a = 0; a < T * p; a++) sums[a] += m * u[a];
        }
        if (copies < 2) return false;
        double inv = 1.0 / copies;
        for (int t = 0; t < T; t++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b <= a; b++) gram[a * p + b] -= sums[t * p + a] * sums[t * p + b] * inv;
        return true;
    }

    /// <summary>
    /// The coefficient of <paramref name="regressors"/>[<paramref name="target"/>] in the regression of column
    /// <paramref name="outcome"/> on the columns <paramref name="regressors"/> (in that order) over the drawn units, with
    /// the first <paramref name="required"/> regressors required to be estimable (the target among them).
    /// </summary>
    public BlockFitStatus TryCoefficient(ReadOnlySpan<int> multiplicity, int outcome, ReadOnlySpan<int> regressors, int target, int required,
        UnitBlockWorkspace ws, out double coefficient, double tolerance = 1e-10)
    {
        coefficient = double.NaN;
        if (!TryGram(multiplicity, ws)) return BlockFitStatus.NotBalanced;
        return Solve(ws, outcome, regressors, target, required, tolerance, out coefficient);
    }

    /// <summary>The fit of <see cref="TryCoefficient"/> on the Gram matrix already in <paramref name="ws"/>.</summary>
    public BlockFitStatus Solve(UnitBlockWorkspace ws, int outcome, ReadOnlySpan<int> regressors, int target, int required, double tolerance, out double coefficient)
    {
        coefficient = double.NaN;
        int k = regressors.Length;
        Span<double> sub = stackalloc double[k * k];
        Span<double> scale = stackalloc double[k];
        for (int a = 0; a < k; a++)
        {
            scale[a] = ws.Scale[regressors[a]];
            for (int b = 0; b < k; b++) sub[a * k + b] = Lower(ws.Gram, regressors[a], regressors[b]);
        }
        var (kept, lower) = Cholesky.FactorWithDropping(sub, k, scale, tolerance);
        for (int j = 0; j < required; j++)
            if (Array.IndexOf(kept, j) < 0) return BlockFitStatus.Collinear;
        if (kept.Length == 0) return BlockFitStatus.Collinear;
        var beta = new double[kept.Length];
        for (int a = 0; a < kept.Length; a++) beta[a] = Lower(ws.Gram, regressors[kept[a]], outcome);
        Cholesky.Solve(lower, kept.Length, beta);
        coefficient = beta[Array.IndexOf(kept, target)];
        return BlockFitStatus.Estimated;
    }

    private double Lower(double[] gram, int a, int b) => a >= b ? gram[a * _p + b] : gram[b * _p + a];
}

/// <summary>Per-thread scratch arrays of <see cref="UnitBlockDesign"/>.</summary>
internal sealed class UnitBlockWorkspace
{
    internal UnitBlockWorkspace(int p, int periods)
    {
        Gram = new double[p * p];
        PeriodSums = new double[periods * p];
        Scale = new double[p];
    }

    internal double[] Gram { get; }

    internal double[] PeriodSums { get; }

    internal double[] Scale { get; }
}
