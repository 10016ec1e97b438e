using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Staggered;

/// <summary>
/// Borusyak, Jaravel &amp; Spiess (2024) imputation estimator as R didimputation 0.5 computes it (no covariates):
/// <list type="number">
/// <item>Fit Y = α_i + λ_t on the untreated observations Ω₀ (never treated, or t &lt; g − δ) by solving the fixed-effect
/// normal equations Z₀'Z₀(α,λ) = Z₀'Y₀ exactly (<see cref="TwoWayLevels"/>; singletons are kept — a unit with one
/// untreated period still gets its α_i).</item>
/// <item>τ̂_it = Y_it − α̂_i − λ̂_t for treated observations; an estimand with weights w (Σ w = 1 over treated
/// observations with e = t − g ≥ 0) is τ̂_w = Σ w_it τ̂_it: equal weights over all of them for the ATT, over those with
/// e = h for horizon h.</item>
/// <item>Conservative SE (BJS eq. 6–10, didimputation's implementation): v_it = w_it for treated and
/// v = −Z₀(Z₀'Z₀)⁻Z₁'w₁ for untreated observations; τ̄_{g,e} = Σ v²τ̂ / Σ v² within cohort × event-time cells;
/// ε = τ̂ − τ̄ for treated and the first-stage residual for untreated observations;
/// σ̂² = Σ_clusters (Σ_{it ∈ cluster} v_it ε_it)² over all observations.</item>
/// </list>
/// Pre-trend coefficients (negative e) are didimputation's: y on event-time dummies (e = −1 the reference) with unit and
/// period FE on the untreated observations, SEs clustered like the estimates (fixest default small-sample correction,
/// singletons kept), through the econ TWFE; their joint Wald test (all 0) is BJS's pre-trend test (χ²_q, and F on
/// (q, G − 1) as didimputation's fixest fit would give it).
/// Degenerate cases: treated observations in a period with no untreated observation cannot be imputed and are
/// dropped with a count; a disconnected unit–period graph throws <see cref="RankDeficiencyException"/>.
/// Checked against didimputation 0.5.0 on mpdta (didimputation_mpdta.json: static, horizons and pre-trends within 1e-6).
/// </summary>
internal static class Imputation
{
    public static EventStudyResult Estimate(StaggeredPanel panel, bool pretrends = true)
    {
        // Kept as one function: it follows BJS's steps (fit on untreated observations, impute, aggregate with the implied
        // weights, variance) over arrays that every step shares.
        int m = panel.ObservationCount, delta = panel.Anticipation;
        var untreated = new bool[m];
        var eventTime = new long[m];
        for (int o = 0; o < m; o++)
        {
            long g = panel.UnitCohort[panel.ObsUnit[o]];
            long t = panel.Periods[panel.ObsPeriod[o]];
            untreated[o] = g == 0 || t < g - delta;
            eventTime[o] = g == 0 ? long.MinValue : t - g;
        }

        var drops = panel.Drops.ToList();
        var periodHasUntreated = new bool[panel.PeriodCount];
        for (int o = 0; o < m; o++) if (untreated[o]) periodHasUntreated[panel.ObsPeriod[o]] = true;
        var usable = new bool[m];
        int unimputable = 0;
        for (int o = 0; o < m; o++)
        {
            usable[o] = untreated[o] || periodHasUntreated[panel.ObsPeriod[o]];
            if (!usable[o]) unimputable++;
        }
        if (unimputable > 0)
            drops.Add(new SampleDrop("treated observations in periods without any untreated observation (Y(0) cannot be imputed)", 0, unimputable));

        // First stage: α, λ on the untreated observations.
        var (alpha, lambda) = TwoWayLevels.Fit(panel.ObsUnit, panel.ObsPeriod, untreated, panel.UnitCount, panel.PeriodCount, panel.Y);
        var adj = new double[m];
        for (int o = 0; o < m; o++)
            adj[o] = usable[o] ? panel.Y[o] - alpha[panel.ObsUnit[o]] - lambda[panel.ObsPeriod[o]] : double.NaN;

        var target = Enumerable.Range(0, m).Where(o => usable[o] && !untreated[o] && eventTime[o] >= 0).ToArray();
        if (target.Length == 0) throw new ArgumentException("Imputation: no treated observation with e >= 0 can be imputed.");

        var clusterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var cluster = panel.ObsCluster.Select(c => clusterIndex.TryGetValue(c, out var k) ? k : clusterIndex[c] = clusterIndex.Count).ToArray();

        (double Estimate, double Se) Weighted(int[] rows)
        {
            var w = new double[m];
            foreach (var o in rows) w[o] = 1.0 / rows.Length;
            double estimate = 0;
            foreach (var o in rows) estimate += w[o] * adj[o];
            return (estimate, ConservativeSe(panel, untreated, usable, eventTime, adj, w, cluster, clusterIndex.Count));
        }

        var (att, attSe) = Weighted(target);
        var events = new List<EventEffect>();
        foreach (var h in target.Select(o => eventTime[o]).Distinct().Order())
        {
            var (est, se) = Weighted(target.Where(o => eventTime[o] == h).ToArray());
            events.Add(new EventEffect(h, est, se));
        }
        var notes = panel.Notes.ToList();
        string inference = "BJS conservative SEs clustered by " + panel.ClusterName
            + string.Create(CultureInfo.InvariantCulture, $" (G = {clusterIndex.Count})");
        WaldTest? pretrendTest = null;
        if (pretrends)
        {
            var (pre, recipe, test) = PreTrends(panel, untreated, eventTime);
            events.InsertRange(0, pre);
            inference += "; pre-trend coefficients: " + recipe;
            pretrendTest = test;
        }
        string settings = string.Create(CultureInfo.InvariantCulture,
            $"BJS imputation (didimputation): Y(0) ~ unit + period FE on untreated observations (never treated or t < g - {delta}); att = equal weights over treated observations with e >= 0; horizons e >= 0");
        return new EventStudyResult("bjs", events, att, attSe, [], settings, inference, m - unimputable, drops, notes, pretrendTest);
    }

    private static double ConservativeSe(StaggeredPanel panel, bool[] untreated, bool[] usable, long[] eventTime, double[] adj, double[] w, int[] cluster, int clusters)
    {
        int m = w.Length;
        // v* = −Z₀(Z₀'Z₀)⁻Z₁'w₁ for untreated observations.
        var rhs = new double[m];
        var rhsMask = new bool[m];
        for (int o = 0; o < m; o++)
        {
            if (untreated[o] || w[o] == 0) continue;
            rhs[o] = w[o];
            rhsMask[o] = true;
        }
        var (a, b) = TwoWayLevels.Solve(panel.ObsUnit, panel.ObsPeriod, untreated, panel.UnitCount, panel.PeriodCount, rhs, rhsMask);
        var v = new double[m];
        for (int o = 0; o < m; o++)
        {
            if (!usable[o]) continue;
            v[o] = untreated[o] ? -(a[panel.ObsUnit[o]] + b[panel.ObsPeriod[o]]) : w[o];
        }

        // τ̄ within cohort × event-time cells of treated observations, weighted by v².
        var num = new Dictionary<(long, long), double>();
        var den = new Dictionary<(long, long), double>();
        for (int o = 0; o < m; o++)
        {
            if (untreated[o] || !usable[o]) continue;
            var key = (panel.UnitCohort[panel.ObsUnit[o]], eventTime[o]);
            num[key] = num.GetValueOrDefault(key) + v[o] * v[o] * adj[o];
            den[key] = den.GetValueOrDefault(key) + v[o] * v[o];
        }
        var score = new double[clusters];
        for (int o = 0; o < m; o++)
        {
            if (!usable[o]) continue;
            double eps = adj[o];
            if (!untreated[o])
            {
                var key = (panel.UnitCohort[panel.ObsUnit[o]], eventTime[o]);
                double d = den[key];
                eps -= d > 0 ? num[key] / d : 0;
            }
            score[cluster[o]] += v[o] * eps;
        }
        double variance = 0;
        foreach (var s in score) variance += s * s;
        return Math.Sqrt(variance);
    }

    private static (List<EventEffect> Effects, string Recipe, WaldTest? Test) PreTrends(StaggeredPanel panel, bool[] untreated, long[] eventTime)
    {
        int m = untreated.Length;
        var leads = Enumerable.Range(0, m).Where(o => untreated[o] && eventTime[o] != long.MinValue && eventTime[o] < -1)
            .Select(o => eventTime[o]).Distinct().Order().ToArray();
        if (leads.Length == 0) return ([], "none (no pre-period before e = -1)", null);
        var obsColumn = new int[m];
        for (int o = 0; o < m; o++) obsColumn[o] = untreated[o] ? Math.Max(Array.BinarySearch(leads, eventTime[o]), -1) : -1;
        var fit = StaggeredRegression.Fit(panel, [.. leads.Select(StaggeredRegression.EventTerm)], obsColumn, untreated);
        var effects = new List<EventEffect>();
        foreach (var e in leads)
        {
            int j = fit.IndexOf(StaggeredRegression.EventTerm(e));
            if (j >= 0) effects.Add(new EventEffect(e, fit.Coefficients[j], fit.Vcov.StandardError(j)));
        }
        var test = StaggeredRegression.JointZero(fit,
            [.. effects.Select(x => (IReadOnlyList<(string, double)>)[(StaggeredRegression.EventTerm(x.E), 1.0)])], "all pre-trend coefficients e <= -2 are 0 (BJS test 1)");
        return (effects, "regression on untreated observations, reference e = -1; " + fit.Vcov.Recipe.Describe(), test);
    }
}

/// <summary>
/// Exact solution of the unit + period fixed-effect normal equations on a subsample S: find α, λ with
/// Z_S'Z_S (α, λ) = Z_S'r, where r is given on the observations of <c>rhsMask</c> (for a least-squares fit, r = y on S).
/// Eliminating α_i = (b_i − Σ_{t∈S_i} λ_t)/n_i leaves the T×T system (M − C)λ = c − Σ b_i/n_i with
/// C_ts = Σ_{i: t,s ∈ S_i} 1/n_i, solved by Cholesky with λ of the first period fixed at 0. α_i + λ_t is invariant to
/// that normalisation. Units or periods with no observation in S get NaN. A disconnected unit–period graph makes the
/// reduced system singular: <see cref="RankDeficiencyException"/>. Checked through the imputation estimator against
/// didimputation (whose first stage is fixest's feols) and by the tests' comparison with the econ FE demeaning.
/// </summary>
internal static class TwoWayLevels
{
    /// <summary>Least-squares α, λ of y on unit and period dummies over the sample.</summary>
    public static (double[] Alpha, double[] Lambda) Fit(int[] unit, int[] period, bool[] sample, int units, int periods, double[] y) =>
        Solve(unit, period, sample, units, periods, y, sample);

    public static (double[] Alpha, double[] Lambda) Solve(int[] unit, int[] period, bool[] sample, int units, int periods, double[] r, bool[] rhsMask)
    {
        // Kept as one function: the alternating projections for α and λ and their convergence test work on the same sums.
        int m = unit.Length;
        var b = new double[units];
        var c = new double[periods];
        for (int o = 0; o < m; o++)
        {
            if (!rhsMask[o]) continue;
            b[unit[o]] += r[o];
            c[period[o]] += r[o];
        }
        var count = new int[units];
        var mt = new int[periods];
        var byUnit = new List<int>[units];
        for (int i = 0; i < units; i++) byUnit[i] = [];
        for (int o = 0; o < m; o++)
        {
            if (!sample[o]) continue;
            count[unit[o]]++;
            mt[period[o]]++;
            byUnit[unit[o]].Add(period[o]);
        }
        var present = Enumerable.Range(0, periods).Where(t => mt[t] > 0).ToArray();
        var pos = new int[periods];
        Array.Fill(pos, -1);
        for (int p = 1; p < present.Length; p++) pos[present[p]] = p - 1;
        int q = present.Length - 1;

        var a = Matrix<double>.Build.Dense(Math.Max(q, 1), Math.Max(q, 1));
        var rhs = Vector<double>.Build.Dense(Math.Max(q, 1));
        for (int t = 0; t < periods; t++)
        {
            if (pos[t] < 0) continue;
            a[pos[t], pos[t]] += mt[t];
            rhs[pos[t]] += c[t];
        }
        for (int i = 0; i < units; i++)
        {
            if (count[i] == 0) continue;
            double inv = 1.0 / count[i];
            foreach (var t in byUnit[i])
            {
                if (pos[t] < 0) continue;
                rhs[pos[t]] -= b[i] * inv;
                foreach (var s in byUnit[i])
                    if (pos[s] >= 0) a[pos[t], pos[s]] -= inv;
            }
        }

        var lambda = new double[periods];
        Array.Fill(lambda, double.NaN);
        if (present.Length > 0) lambda[present[0]] = 0;
        if (q > 0)
        {
            double cond = a.ConditionNumber();
            if (!(cond < 1e12))
                throw new RankDeficiencyException("Unit and period fixed effects are not identified: the units' untreated periods do not connect all periods.");
            var sol = a.Cholesky().Solve(rhs);
            for (int t = 0; t < periods; t++) if (pos[t] >= 0) lambda[t] = sol[pos[t]];
        }
        var alpha = new double[units];
        for (int i = 0; i < units; i++)
        {
            if (count[i] == 0) { alpha[i] = double.NaN; continue; }
            double s = b[i];
            foreach (var t in byUnit[i]) s -= lambda[t];
            alpha[i] = s / count[i];
        }
        return (alpha, lambda);
    }
}
