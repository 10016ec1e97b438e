using System.Runtime.CompilerServices;

namespace NQPF.Econometrics.HonestDid;

/// <summary>
/// The fixed-length confidence interval (FLCI) of Rambachan &amp; Roth (2023) under smoothness, Δ^SD(M) =
/// {δ : |(δ_{t+1} − δ_t) − (δ_t − δ_{t−1})| ≤ M}: HonestDiD 0.2.6 findOptimalFLCI for θ = l'τ_post.
/// </summary>
/// <remarks>
/// The estimator is v'β̂ with v = (l_pre, l); HonestDiD parametrises l_pre by w (l_pre = first differences of w) and
/// u = cumulative sums of w, with u_K = Σ_s s·l_s fixed, so the free part is z = (u₁ … u_{K−1}). Its worst-case bias over
/// Δ^SD(M) is M·B(z), B(z) = Σ_s |Σ_{j≤s} j·l_{T−s+j}| − Σ_s s·l_s + |u_K| + ‖z‖₁, its SD h(z) = √(v'Σv), and the FLCI is
/// v'β̂ ± χ with χ = h·cv_α(M·B/h), cv_α(t) the 1 − α quantile of |N(t, 1)|. HonestDiD minimises χ over h on the
/// frontier min{B : h(z) ≤ h} with CVXR (bisection on a numerical derivative, else a 100-point grid of h). Here the
/// same frontier is traced exactly by the ℓ₁-penalised problems min q(z) + μ‖z‖₁ (coordinate descent, q = h² as a
/// quadratic in z), and χ is minimised over h with HonestDiD's own search and its simulated folded-normal quantile
/// (<see cref="SimulatedFoldedNormal"/>): χ is flat near its optimum, so the centre follows those choices closely.
/// K = 1 leaves nothing free: the single admissible estimator.
/// Checked against HonestDiD 0.2.6 (honestdid.json, 1e-4; the M = 0.01 row 1e-3, where R fell back on its grid).
/// </remarks>
internal static class SmoothnessFlci
{
    /// <summary>The FLCI [lb, ub] for weights l and smoothness bound M ≥ 0 at level 1 − α.</summary>
    public static (double Lb, double Ub) Interval(EventStudyEstimates es, double[] l, double m, double alpha = 0.05) =>
        new Solver(es, l).Interval(m, alpha);

    /// <summary>
    /// The FLCIs of one weight vector l at any number of M (a sensitivity grid and its breakdown search): the problem in z
    /// and the frontier's evaluations are shared between them (<see cref="FrontierMemo"/>), each interval equal to the
    /// one a fresh solve gives. One caller at a time.
    /// </summary>
    internal sealed class Solver(EventStudyEstimates es, double[] l)
    {
        private readonly Problem _problem = new(es, l);
        private FrontierMemo? _memo;

        public (double Lb, double Ub) Interval(double m, double alpha = 0.05)
        {
            if (!(m >= 0)) throw new ArgumentOutOfRangeException(nameof(m), "M must be non-negative.");
            double[] z;
            double h;
            if (_problem.Free == 0)
            {
                z = [];
                h = Math.Sqrt(es.Variance(_problem.Weights(z)));
            }
            else
            {
                var frontier = (_memo ??= new FrontierMemo(new Frontier(_problem))).Start();
                double F(double hh) => HalfLength(frontier.Bias(hh).Bias, hh, m, alpha);
                h = DerivativeBisection(F, frontier.HMin, frontier.H0) ?? GridMinimum(F, frontier.HMin, frontier.H0);
                z = frontier.Bias(h).Z;
            }
            var center = VectorOps.Dot(_problem.Weights(z), es.Betahat);
            var half = HalfLength(_problem.Bias(z), h, m, alpha);
            return (center - half, center + half);
        }
    }

    /// <summary>
    /// Frontier.Bias(h) depends on the warm start that the calls before it left, and every FLCI of one l starts from the
    /// same fresh frontier and asks for a sequence of h that depends on M only through the signs of the derivatives it
    /// meets, so the sequences for different M share their beginnings. The results are kept in a trie keyed by the exact
    /// h of each call: a sequence already seen is replayed from it, and where a sequence leaves the trie the frontier's
    /// warm start is set back to the state stored at that node before computing. The same calls from the same state in
    /// the same order: the numbers of a fresh frontier, bit for bit.
    /// </summary>
    private sealed class FrontierMemo(Frontier frontier)
    {
        private readonly Frontier _frontier = frontier;
        private readonly Node _root = new(frontier.Warm, default);

        public Cursor Start() => new(this);

        private sealed class Node(double[] warm, (double Bias, double[] Z) result)
        {
            public double[] Warm { get; } = warm;

            public (double Bias, double[] Z) Result { get; } = result;

            public Dictionary<long, Node> Children { get; } = [];
        }

        /// <summary>One FLCI's walk along the trie, starting at the fresh frontier.</summary>
        public sealed class Cursor(FrontierMemo memo)
        {
            private Node _node = memo._root;

            public double HMin => memo._frontier.HMin;

            public double H0 => memo._frontier.H0;

            public (double Bias, double[] Z) Bias(double h)
            {
                var key = BitConverter.DoubleToInt64Bits(h);
                if (!_node.Children.TryGetValue(key, out var next))
                {
                    memo._frontier.Warm = _node.Warm;
                    var result = memo._frontier.Bias(h);
                    next = new Node(memo._frontier.Warm, result);
                    _node.Children.Add(key, next);
                }
                _node = next;
                return next.Result;
            }
        }
    }

    private static double HalfLength(double bias, double h, double m, double alpha) =>
        SimulatedFoldedNormal.Quantile(1 - alpha, m * bias / h) * h;

    /// <summary>
    /// HonestDiD's .findOptimalCIDerivativeBisection over h ∈ [a, b]: bisection on the sign of a central numerical
    /// derivative with step min((b − a)/100, |b|·ε^{1/3}); null ("failed") when the derivative leaves the range of the
    /// end-point derivatives by more than √ε or the iterations run out, as R then falls back on the grid.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double? DerivativeBisection(Func<double, double> f, double a, double b)
    {
        const double machineEpsilon = 2.220446049250313e-16;
        var failTolerance = Math.Sqrt(machineEpsilon);
        var dif = Math.Min((b - a) / 100, Math.Abs(b) * Math.Cbrt(machineEpsilon));
        if (!(dif > 0)) return a;
        double fa = f(a), fb = f(b);
        var fpa = (f(a + dif) - fa) / dif;
        var fpb = (f(b - dif) - fb) / -dif;
        var maxIterations = 10 * (int)Math.Ceiling(Math.Log(Math.Abs(b - a) / dif) / Math.Log(2));
        if (fpa > fpb || double.IsNaN(fa) || double.IsNaN(fb)) return null;
        if (fpb < 0) return b;
        if (fpa > 0) return a;
        var iterations = 1;
        while (Math.Abs(b - a) > dif)
        {
            iterations++;
            var x = (a + b) / 2;
            var fpx = (f(x + dif) - f(x - dif)) / (2 * dif);
            if (fpx > fpb + failTolerance || fpx + failTolerance < fpa || iterations > maxIterations) return null;
            if (fpx > 0) b = x;
            else a = x;
        }
        return (a + b) / 2;
    }

    /// <summary>HonestDiD's fallback: the best of 100 equally spaced h from h_min to h₀.</summary>
    private static double GridMinimum(Func<double, double> f, double a, double b) =>
        Enumerable.Range(0, 100).Select(i => a + i * (b - a) / 99).MinBy(f);

    /// <summary>
    /// The frontier B(h) = min{B(z) : sd(z) ≤ h} for h between the minimum-variance estimator (h_min, μ = 0) and the
    /// minimum-bias one (z = 0, h₀): the minimiser of q(z) + μ‖z‖₁ has an SD increasing in μ, so the μ giving SD h is found
    /// by bisection, down to adjacent doubles.
    /// </summary>
    private sealed class Frontier
    {
        private readonly Problem _problem;
        private readonly double _muMax;
        private readonly double[] _warm;

        public Frontier(Problem problem)
        {
            _problem = problem;
            _muMax = 2 * problem.G.Max(Math.Abs);
            _warm = new double[problem.Free];
            HMin = problem.Sd(problem.PenalisedMinimum(0, _warm));
            H0 = problem.Sd(new double[problem.Free]);
        }

        public double HMin { get; }

        public double H0 { get; }

        /// <summary>A copy of the warm start of the next penalised solve; setting it copies the values in.</summary>
        public double[] Warm
        {
            get => (double[])_warm.Clone();
            set => value.CopyTo(_warm, 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (double Bias, double[] Z) Bias(double h)
        {
            if (h >= H0 || _muMax == 0) return (_problem.Bias(new double[_problem.Free]), new double[_problem.Free]);
            double lo = 0, hi = _muMax;
            var z = _problem.PenalisedMinimum(0, _warm);
            if (_problem.Sd(z) >= h) return (_problem.Bias(z), z);
            for (var i = 0; i < 200; i++)
            {
                var mid = 0.5 * (lo + hi);
                if (mid == lo || mid == hi) break;
                var candidate = _problem.PenalisedMinimum(mid, _warm);
                if (_problem.Sd(candidate) <= h)
                {
                    lo = mid;
                    z = candidate;
                }
                else hi = mid;
            }
            return (_problem.Bias(z), z);
        }
    }

    /// <summary>The FLCI problem in z: v(z) = (D·u(z), l), q(z) = v'Σv = z'Hz + 2g'z + q₀, and the bias constant.</summary>
    private sealed class Problem
    {
        private readonly EventStudyEstimates _es;
        private readonly double[] _l;
        private readonly double _uLast;
        private readonly double _biasConstant;

        public Problem(EventStudyEstimates es, double[] l)
        {
            _es = es;
            _l = l;
            var t = l.Length;
            _uLast = Enumerable.Range(1, t).Sum(s => s * l[s - 1]);
            var sum = 0.0;
            for (var s = 1; s <= t; s++)
            {
                var inner = 0.0;
                for (var j = 1; j <= s; j++) inner += j * l[t - s + j - 1];
                sum += Math.Abs(inner);
            }
            _biasConstant = sum - _uLast + Math.Abs(_uLast);
            Free = es.PrePeriods - 1;
            var v0 = Weights(new double[Free]);
            H = new double[Free * Free];
            G = new double[Free];
            var columns = Enumerable.Range(0, Free).Select(i => Subtract(Weights(Unit(i)), v0)).ToArray();
            for (var i = 0; i < Free; i++)
            {
                G[i] = Bilinear(columns[i], v0);
                for (var j = 0; j < Free; j++) H[i * Free + j] = Bilinear(columns[i], columns[j]);
            }
        }

        public int Free { get; }

        public double[] H { get; }

        public double[] G { get; }

        /// <summary>v = (l_pre, l) with u = (z, Σ s·l_s), w = first differences of u, l_pre = first differences of w.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double[] Weights(double[] z)
        {
            var k = _es.PrePeriods;
            var u = new double[k];
            z.CopyTo(u, 0);
            u[k - 1] = _uLast;
            var v = new double[_es.Dimension];
            double prevU = 0, prevW = 0;
            for (var i = 0; i < k; i++)
            {
                var w = u[i] - prevU;
                v[i] = w - prevW;
                prevU = u[i];
                prevW = w;
            }
            _l.CopyTo(v, k);
            return v;
        }

        public double Sd(double[] z) => Math.Sqrt(_es.Variance(Weights(z)));

        /// <summary>B(z): the worst-case bias over Δ^SD(1).</summary>
        public double Bias(double[] z) => _biasConstant + z.Sum(Math.Abs);

        /// <summary>
        /// argmin z'Hz + 2g'z + μ‖z‖₁ by cyclic coordinate descent with soft thresholding, warm-started in place. Called
        /// some 10⁵ times per sensitivity table, so the loop is kept free of allocations and enumerators (the arithmetic,
        /// and with it every result, is that of the plain loop).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double[] PenalisedMinimum(double mu, double[] warm)
        {
            var n = Free;
            ReadOnlySpan<double> g = G.AsSpan(0, n);
            var z = warm.AsSpan(0, n);
            var halfMu = mu / 2;
            for (var sweep = 0; sweep < 100_000; sweep++)
            {
                var change = 0.0;
                for (var i = 0; i < z.Length; i++)
                {
                    ReadOnlySpan<double> row = H.AsSpan(i * n, n);
                    var r = g[i];
                    for (var j = 0; j < z.Length; j++) if (j != i) r += row[j] * z[j];
                    // −sign(r)·shrunk as written with Math.Sign (an exact negation for r > 0); Math.Sign keeps r = ±0 and NaN.
                    var shrunk = Math.Max(Math.Abs(r) - halfMu, 0);
                    var next = (r > 0 ? -shrunk : r < 0 ? shrunk : -Math.Sign(r) * shrunk) / row[i];
                    change = Math.Max(change, Math.Abs(next - z[i]));
                    z[i] = next;
                }
                if (change <= 1e-16 * (1 + MaxAbs(warm))) break;
            }
            return (double[])warm.Clone();
        }

        /// <summary>max |zᵢ| as Enumerable.Max computes it (NaN only when every value is NaN).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static double MaxAbs(double[] z)
        {
            var i = 0;
            var value = Math.Abs(z[0]);
            while (double.IsNaN(value) && ++i < z.Length) value = Math.Abs(z[i]);
            for (i++; i < z.Length; i++)
            {
                var x = Math.Abs(z[i]);
                if (x > value) value = x;
            }
            return value;
        }

        private double Bilinear(double[] a, double[] b)
        {
            var s = 0.0;
            for (var i = 0; i < _es.Dimension; i++)
                for (var j = 0; j < _es.Dimension; j++) s += a[i] * _es.SigmaAt(i, j) * b[j];
            return s;
        }

        private double[] Unit(int i)
        {
            var e = new double[Free];
            e[i] = 1;
            return e;
        }

        private static double[] Subtract(double[] a, double[] b) => a.Select((v, i) => v - b[i]).ToArray();
    }
}
