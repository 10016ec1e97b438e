using MathNet.Numerics.Distributions;

namespace NQPF.Econometrics.Staggered;

/// <summary>did's aggte types.</summary>
internal enum CsAggregationType
{
    /// <summary>Average of post-treatment ATT(g,t) weighted by cohort size.</summary>
    Simple,

    /// <summary>Event-study: by event time e = t − g; overall = mean over e ≥ 0.</summary>
    Dynamic,

    /// <summary>By cohort (mean over its post periods); overall weighted by cohort size.</summary>
    Group,

    /// <summary>By calendar period; overall = mean over periods.</summary>
    Calendar,
}

/// <summary>Options of the dynamic aggregation (did's balance_e, min_e, max_e).</summary>
/// <param name="BalanceE">Keep only cohorts observed for at least this many post periods, and event times up to it.</param>
/// <param name="MinE">Smallest event time reported.</param>
/// <param name="MaxE">Largest event time reported (also caps post periods in simple and group).</param>
internal sealed record AggregationOptions(int? BalanceE = null, long MinE = long.MinValue, long MaxE = long.MaxValue);

/// <summary>One aggregated effect: the event time, cohort or period it is for, its ATT and SE.</summary>
internal sealed record CsEffect(long Value, double Att, double Se);

/// <summary>An aggregation of ATT(g,t): the overall ATT and, except for simple, the effects by value.</summary>
internal sealed record CsAggregate(
    CsAggregationType Type, double Att, double Se, IReadOnlyList<CsEffect> By, double CriticalValue, string Inference,
    AggregationOptions Options)
{
    /// <summary>Analytic covariance of the <see cref="By"/> effects, Σᵢ ψ_a,i ψ_b,i / n² (row-major; its diagonal is the analytic SE²).</summary>
    public double[] Covariance { get; init; } = [];
}

/// <summary>
/// Aggregations of ATT(g,t) exactly as R did 2.3.0 <c>aggte</c> computes them. With p_g = share of units in cohort g
/// and weights w_k = p_{g(k)} / Σ p over the cells aggregated, θ = Σ w_k ATT_k; its influence function is
/// Σ w_k ψ_k plus the estimated-weights term (did's <c>wif</c>): Σ_k ATT_k (1{G=g_k} − p_k)/S − Σ_k(1{G=g_k} − p_k)·Σ_k p_k ATT_k/S²,
/// S = Σ p_k. Simple, dynamic (per e) and calendar (per t) include that term; group effects do not (their weights are
/// fixed), the overall group ATT does (over cohorts). Overall dynamic and calendar ATTs are plain means of the
/// per-e / per-t effects with the averaged influence functions. SE = sqrt(Σψ²)/n, NaN when ≤ 10√ε.
/// Checked against R did 2.3.0 on mpdta (cs_mpdta.json: simple, dynamic, group, calendar, dynamic with balance_e = 1).
/// </summary>
internal static class CsAggregation
{
    public static CsAggregate Aggregate(CsResult result, CsAggregationType type, AggregationOptions? options = null, BootstrapSettings? bootstrap = null)
    {
        options ??= new AggregationOptions();
        var ctx = new Context(result);
        var (by, byIf, overallIf, overall) = type switch
        {
            CsAggregationType.Simple => Simple(ctx, options),
            CsAggregationType.Dynamic => Dynamic(ctx, options),
            CsAggregationType.Group => Group(ctx, options),
            _ => Calendar(ctx),
        };
        int n = ctx.N;
        var effects = new List<CsEffect>(by.Count);
        for (int j = 0; j < by.Count; j++)
            effects.Add(new CsEffect(by[j].Value, by[j].Att, CallawaySantAnna.AnalyticSe(byIf[j])));
        double se = CallawaySantAnna.AnalyticSe(overallIf);
        double crit = Normal.InvCDF(0, 1, 0.975);
        string inference = "analytic influence-function SEs";

        if (bootstrap is not null)
        {
            int cols = by.Count + 1;
            var matrix = new double[cols * n];
            for (int j = 0; j < by.Count; j++) byIf[j].CopyTo(matrix, j * n);
            overallIf.CopyTo(matrix, by.Count * n);
            var boot = MultiplierBootstrap.Run(matrix, n, cols, by.Count, bootstrap, result.Clusters);
            for (int j = 0; j < by.Count; j++) effects[j] = effects[j] with { Se = boot.Se[j] };
            se = boot.Se[by.Count];
            if (by.Count > 0) crit = boot.CriticalValue;
            inference = boot.Description;
        }
        var covariance = new double[by.Count * by.Count];
        for (int a = 0; a < by.Count; a++)
            for (int b = 0; b < by.Count; b++) covariance[a * by.Count + b] = VectorOps.Dot(byIf[a], byIf[b]) / ((double)n * n);
        return new CsAggregate(type, overall, se, effects, crit, inference, options) { Covariance = covariance };
    }

    private sealed class Context
    {
        public Context(CsResult r)
        {
            N = r.UnitCount;
            Cells = r.Cells;
            Influence = r.Influence;
            UnitCohort = r.UnitCohort;
            Groups = r.Cells.Select(c => c.Group).Distinct().Order().ToArray();
            CohortShare = new Dictionary<long, double>();
            foreach (var g in Groups) CohortShare[g] = UnitCohort.Count(c => c == g) / (double)N;
        }

        public int N { get; }
        public IReadOnlyList<AttGt> Cells { get; }
        public double[] Influence { get; }
        public long[] UnitCohort { get; }
        public long[] Groups { get; }
        public Dictionary<long, double> CohortShare { get; }

        public ReadOnlySpan<double> Column(int cell) => Influence.AsSpan(cell * N, N);
    }

    private readonly record struct Point(long Value, double Att);

    private static double[] WeightedInfluence(Context ctx, int[] cells, double[] weights)
    {
        var psi = new double[ctx.N];
        for (int j = 0; j < cells.Length; j++)
        {
            var col = ctx.Column(cells[j]);
            double w = weights[j];
            for (int i = 0; i < ctx.N; i++) psi[i] += w * col[i];
        }
        return psi;
    }

    /// <summary>Adds did's wif(keepers) %*% att[keepers] to <paramref name="psi"/>.</summary>
    private static void AddWeightInfluence(Context ctx, long[] groups, double[] shares, double[] att, double[] psi)
    {
        double s = shares.Sum();
        double a = 0;
        for (int j = 0; j < att.Length; j++) a += shares[j] * att[j];
        for (int i = 0; i < ctx.N; i++)
        {
            long gi = ctx.UnitCohort[i];
            double matchAtt = 0, matchCount = 0;
            for (int j = 0; j < groups.Length; j++)
            {
                if (groups[j] != gi) continue;
                matchAtt += att[j];
                matchCount += 1;
            }
            psi[i] += (matchAtt - a) / s - (matchCount - s) * a / (s * s);
        }
    }

    /// <summary>Share-weighted average of the given cells with the estimated-weights term.</summary>
    private static (double Att, double[] Psi) ShareWeighted(Context ctx, int[] keep)
    {
        var groups = keep.Select(k => ctx.Cells[k].Group).ToArray();
        var shares = groups.Select(g => ctx.CohortShare[g]).ToArray();
        var att = keep.Select(k => ctx.Cells[k].Att).ToArray();
        double s = shares.Sum();
        var w = shares.Select(p => p / s).ToArray();
        double theta = 0;
        for (int j = 0; j < keep.Length; j++) theta += w[j] * att[j];
        var psi = WeightedInfluence(ctx, keep, w);
        AddWeightInfluence(ctx, groups, shares, att, psi);
        return (theta, psi);
    }

    private static (double Att, double[] Psi) Mean(Context ctx, IReadOnlyList<double> att, IReadOnlyList<double[]> psis)
    {
        int m = att.Count;
        var psi = new double[ctx.N];
        foreach (var p in psis)
            for (int i = 0; i < ctx.N; i++) psi[i] += p[i] / m;
        return (att.Average(), psi);
    }

    private static (List<Point>, List<double[]>, double[], double) Simple(Context ctx, AggregationOptions o)
    {
        var keep = Enumerable.Range(0, ctx.Cells.Count)
            .Where(k => ctx.Cells[k].Group <= ctx.Cells[k].Time && ctx.Cells[k].Time - ctx.Cells[k].Group <= o.MaxE).ToArray();
        var (att, psi) = ShareWeighted(ctx, keep);
        return ([], [], psi, att);
    }

    private static (List<Point>, List<double[]>, double[], double) Dynamic(Context ctx, AggregationOptions o)
    {
        var cells = ctx.Cells;
        var include = new bool[cells.Count];
        long lastT = cells.Max(c => c.Time);
        long firstT = Math.Min(cells.Min(c => c.Time), ctx.Groups.Min());
        for (int k = 0; k < cells.Count; k++)
            include[k] = o.BalanceE is not int be || lastT - cells[k].Group >= be;
        var eseq = Enumerable.Range(0, cells.Count).Where(k => include[k])
            .Select(k => cells[k].Time - cells[k].Group).Distinct().Order().ToList();
        if (o.BalanceE is int b)
            eseq = eseq.Where(e => e <= b && e >= b - lastT + firstT).ToList();
        eseq = eseq.Where(e => e >= o.MinE && e <= o.MaxE).ToList();

        var by = new List<Point>();
        var psis = new List<double[]>();
        foreach (var e in eseq)
        {
            var keep = Enumerable.Range(0, cells.Count).Where(k => include[k] && cells[k].Time - cells[k].Group == e).ToArray();
            var (att, psi) = ShareWeighted(ctx, keep);
            by.Add(new Point(e, att));
            psis.Add(psi);
        }
        var post = Enumerable.Range(0, by.Count).Where(j => by[j].Value >= 0).ToArray();
        var (overall, overallPsi) = Mean(ctx, post.Select(j => by[j].Att).ToList(), post.Select(j => psis[j]).ToList());
        return (by, psis, overallPsi, overall);
    }

    private static (List<Point>, List<double[]>, double[], double) Group(Context ctx, AggregationOptions o)
    {
        var cells = ctx.Cells;
        var by = new List<Point>();
        var psis = new List<double[]>();
        foreach (var g in ctx.Groups)
        {
            var keep = Enumerable.Range(0, cells.Count)
                .Where(k => cells[k].Group == g && g <= cells[k].Time && cells[k].Time - g <= o.MaxE).ToArray();
            var w = Enumerable.Repeat(1.0 / keep.Length, keep.Length).ToArray();
            by.Add(new Point(g, keep.Average(k => cells[k].Att)));
            psis.Add(WeightedInfluence(ctx, keep, w));
        }
        var shares = ctx.Groups.Select(g => ctx.CohortShare[g]).ToArray();
        double s = shares.Sum();
        var att = by.Select(p => p.Att).ToArray();
        double overall = 0;
        var psi = new double[ctx.N];
        for (int j = 0; j < by.Count; j++)
        {
            overall += shares[j] / s * att[j];
            for (int i = 0; i < ctx.N; i++) psi[i] += shares[j] / s * psis[j][i];
        }
        AddWeightInfluence(ctx, ctx.Groups, shares, att, psi);
        return (by, psis, psi, overall);
    }

    private static (List<Point>, List<double[]>, double[], double) Calendar(Context ctx)
    {
        var cells = ctx.Cells;
        long minG = ctx.Groups.Min();
        var times = cells.Select(c => c.Time).Where(t => t >= minG).Distinct().Order().ToArray();
        var by = new List<Point>();
        var psis = new List<double[]>();
        foreach (var t in times)
        {
            var keep = Enumerable.Range(0, cells.Count).Where(k => cells[k].Time == t && cells[k].Group <= t).ToArray();
            var (att, psi) = ShareWeighted(ctx, keep);
            by.Add(new Point(t, att));
            psis.Add(psi);
        }
        var (overall, overallPsi) = Mean(ctx, by.Select(p => p.Att).ToList(), psis);
        return (by, psis, overallPsi, overall);
    }
}
