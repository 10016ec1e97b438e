using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace NQPF.Econometrics.Staggered;

/// <summary>One group-time average treatment effect.</summary>
/// <param name="Group">Cohort g (first treated period).</param>
/// <param name="Time">Period t.</param>
/// <param name="Att">ATT(g,t); 0 for the universal base period's reference cell; NaN when not estimable.</param>
/// <param name="Se">Analytic (or bootstrap) standard error; NaN for the reference cell and non-estimable cells.</param>
/// <param name="BasePeriod">The period t is compared with.</param>
/// <param name="Problem">Why the cell is not estimable, or null.</param>
internal sealed record AttGt(long Group, long Time, double Att, double Se, long BasePeriod, string? Problem = null)
{
    /// <summary>t ≥ g: a post-treatment cell.</summary>
    public bool Post => Time >= Group;
}

/// <summary>Result of <see cref="CallawaySantAnna.Estimate"/>: the ATT(g,t) cells with everything needed to aggregate them.</summary>
internal sealed record CsResult
{
    public required CsSettings Settings { get; init; }

    public required IReadOnlyList<AttGt> Cells { get; init; }

    /// <summary>Number of units n (the influence functions have n entries).</summary>
    public required int UnitCount { get; init; }

    public required long[] Periods { get; init; }

    public required IReadOnlyList<SampleDrop> Drops { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Wald statistic that all pre-treatment ATT(g,t) are 0 (did's pre-test), NaN if not computable.</summary>
    public required double PretestWald { get; init; }

    public required int PretestDf { get; init; }

    public required double PretestPValue { get; init; }

    /// <summary>"analytic" or a description of the multiplier bootstrap used for <see cref="AttGt.Se"/>.</summary>
    public required string Inference { get; init; }

    /// <summary>Uniform (sup-t) critical value for the ATT(g,t) band; 1.96-style normal quantile when analytic.</summary>
    public required double CriticalValue { get; init; }

    /// <summary>Cohort of each unit (0 = never treated), aligned with the influence functions.</summary>
    public required long[] UnitCohort { get; init; }

    /// <summary>Influence functions, column-major n × cells: entry [c * n + i].</summary>
    public required double[] Influence { get; init; }

    /// <summary>Cluster of each unit for the multiplier bootstrap (null = the unit), and the cluster variable's name.</summary>
    public required BootstrapClusters Clusters { get; init; }
}

/// <summary>
/// Callaway &amp; Sant'Anna (2021) group-time ATTs for a balanced panel, as R did 2.3.0 <c>att_gt</c> computes them.
/// For each cohort g and period t: the base period is t−1 before treatment with a varying base (g−1−δ after), or
/// g−1−δ throughout with a universal base (that cell reported as 0 with no SE); the comparison units are the
/// never treated, or with not-yet-treated controls every unit with cohort 0 or cohort &gt; max(t, base) + δ other
/// than g; ATT(g,t) is the 2×2 estimator of <see cref="DrDidPanel"/> on ΔY = Y_t − Y_base with covariates from the
/// earlier of the two periods; its influence function is scaled by n/n₁ (n₁ units in the comparison) and set to 0
/// for units outside it. SE = sqrt(Σψ²)/n (did's sqrt(diag(Ψ'Ψ/n)/n)), set to NaN when ≤ 10√ε.
/// Degenerate cases: cells that cannot be estimated are NaN with a reason (their ψ is 0); the pre-test is NaN when
/// there are no pre-treatment cells or their covariance is singular.
/// Checked against R did 2.3.0 on mpdta: every spec in cs_mpdta.json, |ΔATT| &lt; 1e-6, SE within 1e-4 relative.
/// </summary>
internal static class CallawaySantAnna
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static CsResult Estimate(BalancedPanel panel, CsSettings settings, BootstrapSettings? bootstrap = null)
    {
        // Kept as one function: the (g, t) cells, their influence functions and the aggregations share one set of arrays, in
        // the order R did computes them.
        if (panel.Anticipation != settings.Anticipation)
            throw new ArgumentException(
                $"The panel was built with anticipation {panel.Anticipation} but the settings ask for {settings.Anticipation}; build the panel with the same anticipation.");
        foreach (var name in settings.Covariates)
        {
            if (!panel.Covariates.ContainsKey(name))
                throw new ArgumentException($"Covariate '{name}' is not in the panel (has: {string.Join(", ", panel.Covariates.Keys)}).");
        }

        int n = panel.N, delta = settings.Anticipation;
        var tlist = panel.Periods;
        var cohort = panel.Cohort;
        var glist = panel.Cohorts;
        if (glist.Length == 0) throw new ArgumentException("No treated cohort is left in the panel.");
        if (settings.Control == ControlGroup.NeverTreated && !cohort.Contains(0L))
            throw new ArgumentException("There is no never-treated unit: use not-yet-treated controls.");

        bool universal = settings.Base == BasePeriod.Universal;
        int tfac = universal ? 0 : 1;
        var covs = settings.Covariates.Select(c => panel.Covariates[c]).ToArray();

        var specs = CellSpecs(glist, tlist, universal, tfac, delta);
        var cells = new AttGt[specs.Count];
        var columns = new double[specs.Count][];
        var shared = new PropensityCache();
        // Cells are independent given the panel; each writes only its own slot, so the order of work is irrelevant.
        Parallel.For(0, specs.Count, c =>
            (cells[c], columns[c]) = EstimateCell(panel, settings, covs, specs[c], shared));

        var influence = new double[cells.Length * n];
        for (int c = 0; c < columns.Length; c++) columns[c].CopyTo(influence, c * n);

        var (wald, df, p) = Pretest(cells, influence, n);
        var clusters = new BootstrapClusters(panel.UnitCluster, panel.ClusterName);
        string inference = "analytic influence-function SEs";
        double crit = Normal.InvCDF(0, 1, 0.975);
        if (bootstrap is not null)
        {
            var boot = MultiplierBootstrap.Run(influence, n, cells.Length, cells.Length, bootstrap, clusters);
            for (int c = 0; c < cells.Length; c++)
                if (!double.IsNaN(cells[c].Att) && !double.IsNaN(cells[c].Se)) cells[c] = cells[c] with { Se = boot.Se[c] };
            crit = boot.CriticalValue;
            inference = boot.Description;
        }

        return new CsResult
        {
            Settings = settings,
            Cells = cells,
            UnitCount = n,
            Periods = tlist,
            Drops = panel.Drops,
            Notes = panel.Notes,
            PretestWald = wald,
            PretestDf = df,
            PretestPValue = p,
            Inference = inference,
            CriticalValue = crit,
            UnitCohort = cohort,
            Influence = influence,
            Clusters = clusters,
        };
    }

    /// <summary>One (g, t) cell: period index t, base period index, and whether it is the universal base's reference cell.</summary>
    private sealed record CellSpec(long Group, int TIdx, int Pret, bool Reference);

    private static List<CellSpec> CellSpecs(long[] glist, long[] tlist, bool universal, int tfac, int delta)
    {
        var specs = new List<CellSpec>();
        foreach (var g in glist)
        {
            int pretG = -1;
            for (int j = 0; j < tlist.Length; j++)
                if (tlist[j] + delta < g) pretG = j;
            if (pretG < 0)
                throw new ArgumentException($"Cohort {g} has no pre-treatment period; build the panel with anticipation {delta} so it is dropped.");
            for (int tIdx = tfac; tIdx < tlist.Length; tIdx++)
            {
                int pret = universal ? pretG : tIdx - 1;
                if (g <= tlist[tIdx]) pret = pretG;
                specs.Add(new CellSpec(g, tIdx, pret, universal && pret == tIdx));
            }
        }
        return specs;
    }

    /// <summary>ATT(g,t) by the 2×2 estimator on the cell's comparison, and its influence function over all n units.</summary>
    private static (AttGt Cell, double[] Column) EstimateCell(BalancedPanel panel, CsSettings settings, double[][] covs, CellSpec spec, PropensityCache shared)
    {
        int n = panel.N, T = panel.T, k = 1 + covs.Length, tIdx = spec.TIdx, pret = spec.Pret;
        long g = spec.Group, t = panel.Periods[tIdx], tBase = panel.Periods[pret];
        if (spec.Reference) return (new AttGt(g, t, 0.0, double.NaN, tBase), new double[n]);

        long cutoff = Math.Max(t, tBase) + settings.Anticipation;
        int early = Math.Min(tIdx, pret);
        var members = new int[n];
        var deltaY = new double[n];
        var d = new double[n];
        var x = new double[n * k];
        int n1 = 0;
        for (int i = 0; i < n; i++)
        {
            long gi = panel.Cohort[i];
            bool treated = gi == g;
            bool control = settings.Control == ControlGroup.NeverTreated ? gi == 0 : gi == 0 || (gi > cutoff && gi != g);
            if (!treated && !control) continue;
            members[n1] = i;
            deltaY[n1] = panel.Y[i * T + tIdx] - panel.Y[i * T + pret];
            d[n1] = treated ? 1.0 : 0.0;
            x[n1 * k] = 1.0;
            for (int c = 0; c < covs.Length; c++) x[n1 * k + 1 + c] = covs[c][i * T + early];
            n1++;
        }

        var two = DrDidPanel.Estimate(settings.Method, deltaY[..n1], d[..n1], x[..(n1 * k)], k, settings.TrimLevel, shared);
        var column = new double[n];
        if (!double.IsNaN(two.Att))
        {
            double scale = (double)n / n1;
            for (int j = 0; j < n1; j++) column[members[j]] = scale * two.InfluenceFunction[j];
        }
        return (new AttGt(g, t, two.Att, double.IsNaN(two.Att) ? double.NaN : AnalyticSe(column), tBase, two.Problem), column);
    }

    /// <summary>sqrt(mean(ψ²)/n); NaN when ≤ 10√ε (did treats such SEs as degenerate).</summary>
    internal static double AnalyticSe(ReadOnlySpan<double> psi)
    {
        double ss = 0;
        foreach (var v in psi) ss += v * v;
        double se = Math.Sqrt(ss / psi.Length / psi.Length);
        return se <= Math.Sqrt(MachineEpsilon) * 10 ? double.NaN : se;
    }

    /// <summary>did's pre-test: W = n · a' V⁻¹ a over pre-treatment cells with a finite SE, V = Ψ'Ψ/n; χ²(q) p-value.</summary>
    private static (double Wald, int Df, double P) Pretest(IReadOnlyList<AttGt> cells, double[] influence, int n)
    {
        var pre = Enumerable.Range(0, cells.Count)
            .Where(c => cells[c].Group > cells[c].Time && !double.IsNaN(cells[c].Se) && !double.IsNaN(cells[c].Att)).ToArray();
        if (pre.Length == 0) return (double.NaN, 0, double.NaN);
        int q = pre.Length;
        var v = Matrix<double>.Build.Dense(q, q);
        for (int a = 0; a < q; a++)
        {
            var ca = influence.AsSpan(pre[a] * n, n);
            for (int b = 0; b <= a; b++)
            {
                var cb = influence.AsSpan(pre[b] * n, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += ca[i] * cb[i];
                v[a, b] = v[b, a] = s / n;
            }
        }
        if (1.0 / v.ConditionNumber() <= MachineEpsilon) return (double.NaN, q, double.NaN);
        var att = Vector<double>.Build.Dense(pre.Select(c => cells[c].Att).ToArray());
        double w = n * att.DotProduct(v.Solve(att));
        return (w, q, 1 - ChiSquared.CDF(q, w));
    }
}
