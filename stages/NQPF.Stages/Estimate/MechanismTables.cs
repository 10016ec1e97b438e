using MathNet.Numerics.Distributions;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Estimate;

/// <summary>One three-step mediation: a (T → M), b (M → Y given T), direct c', total c, indirect a·b with Sobel and bootstrap.</summary>
internal sealed record MediationRow(
    string Treatment, string Mediator, double A, double SeA, double B, double SeB, double Direct, double SeDirect, double Total,
    double Indirect, double SobelSe, double SobelZ, double SobelP, double BootLow, double BootHigh, int BootDraws, int BootFailed);

/// <summary>
/// Mechanisms. Two-step (the design identifies it): M = α + a·T + Xγ + FE, one column per mediator × treatment.
/// Three-step (option): also Y = c'·T + b·M + Xγ + FE and Y = c·T + Xγ + FE; indirect a·b with the Sobel (1982)
/// first-order SE √(b²se_a² + a²se_b²) and normal p, and a percentile cluster-bootstrap CI: cities drawn with
/// replacement (each copy its own city FE), draw b from <see cref="DrawRandom"/>(seed', b) so the CI does not depend on
/// thread count; draws whose resample cannot identify a or b (e.g. no treated city) are counted and skipped.
/// </summary>
internal static class MechanismTables
{
    public static RegressionTable TwoStep(RegressionPanel data)
    {
        var o = data.Options;
        var columns = new List<TableColumn>();
        foreach (var m in o.MediatorList)
            foreach (var t in o.TreatmentList)
                columns.Add(new TableColumn(m, data.Estimate(m, [t], controls: true), [BaselineTables.Controls(true)]));
        return new RegressionTable("mechanisms", "Mechanisms (two-step): mediators on each pilot", columns, o.TreatmentList,
            ["Each column regresses the mediator named in its header on one pilot dummy with controls and city and year FE.", o.DataNote]);
    }

    public static IReadOnlyList<MediationRow> ThreeStep(RegressionPanel data, CancellationToken ct)
    {
        var o = data.Options;
        var rows = new List<MediationRow>();
        var combo = 0;
        foreach (var m in o.MediatorList)
        {
            foreach (var t in o.TreatmentList)
            {
                ct.ThrowIfCancellationRequested();
                var a = data.Estimate(m, [t], true)[t];
                var full = data.Estimate(o.Outcome, [t, m], true);
                var b = full[m];
                var direct = full[t];
                var total = data.Estimate(o.Outcome, [t], true)[t];
                var indirect = a.Estimate * b.Estimate;
                var sobelSe = Math.Sqrt(b.Estimate * b.Estimate * a.Se * a.Se + a.Estimate * a.Estimate * b.Se * b.Se);
                var z = indirect / sobelSe;
                var (low, high, failed) = Bootstrap(data, t, m, o.Seed + 7919L * ++combo, o.BootstrapDraws, o.Level, ct);
                rows.Add(new MediationRow(t, m, a.Estimate, a.Se, b.Estimate, b.Se, direct.Estimate, direct.Se, total.Estimate,
                    indirect, sobelSe, z, 2 * Normal.CDF(0, 1, -Math.Abs(z)), low, high, o.BootstrapDraws, failed));
            }
        }
        return rows;
    }

    private static (double Low, double High, int Failed) Bootstrap(RegressionPanel data, string t, string m, long seed, int draws, double level, CancellationToken ct)
    {
        if (draws == 0) return (double.NaN, double.NaN, 0);
        var values = BootstrapIndirect(data, t, m, seed, draws, direct: false, ct);
        var ok = values.Where(double.IsFinite).OrderBy(v => v).ToArray();
        if (ok.Length == 0) return (double.NaN, double.NaN, draws);
        var alpha = (1 - level) / 2;
        return (Quantile(ok, alpha), Quantile(ok, 1 - alpha), draws - ok.Length);
    }

    /// <summary>
    /// a·b of every bootstrap draw (NaN when the resample cannot identify a or b). A resample is a multiset of whole
    /// cities, so both fits come from per-city sufficient statistics built once (<see cref="UnitBlockDesign"/>, each copy
    /// its own city effect); a resample that is not a complete city × year cross, or every draw with
    /// <paramref name="direct"/>, is fitted by <see cref="Regression.Fit"/> on the stacked rows.
    /// </summary>
    internal static double[] BootstrapIndirect(RegressionPanel data, string t, string m, long seed, int draws, bool direct, CancellationToken ct)
    {
        var o = data.Options;
        // Columns: 0 = y, 1 = m, 2 = t, 3.. = controls; a: m ~ t + X (t required), b: y ~ t + m + X (t, m required).
        var design = UnitBlockDesign.Create([data.Column(o.Outcome), data.Column(m), data.Column(t), .. o.ControlList.Select(data.Column)], data.City, data.Year);
        int[] aTerms = [2, .. Enumerable.Range(3, o.ControlList.Count)];
        int[] bTerms = [2, 1, .. Enumerable.Range(3, o.ControlList.Count)];
        var values = new double[draws];
        var po = new ParallelOptions { CancellationToken = ct };
        Parallel.For(0, draws, po, design.CreateWorkspace, (d, _, ws) =>
        {
            var rng = new DrawRandom(seed, d);
            var g = data.CityRows.Length;
            var drawn = new int[g];
            for (var j = 0; j < g; j++) drawn[j] = rng.NextInt(g);
            if (!direct && design.TryGram(Multiplicity(drawn), ws))
            {
                var aStatus = design.Solve(ws, 1, aTerms, 0, 1, 1e-10, out var a);
                var bStatus = design.Solve(ws, 0, bTerms, 1, 2, 1e-10, out var b);
                values[d] = aStatus == BlockFitStatus.Estimated && bStatus == BlockFitStatus.Estimated ? a * b : double.NaN;
            }
            else
            {
                values[d] = StackedIndirect(data, t, m, drawn);
            }
            return ws;
        }, _ => { });
        return values;
    }

    private static int[] Multiplicity(int[] drawn)
    {
        var counts = new int[drawn.Length];
        foreach (var c in drawn) counts[c]++;
        return counts;
    }

    /// <summary>a·b on the stacked rows of the drawn cities, copy j of a city being city j of the resample.</summary>
    private static double StackedIndirect(RegressionPanel data, string t, string m, int[] drawn)
    {
        var o = data.Options;
        var rows = new List<int>(data.Rows);
        var cityCodes = new List<int>(data.Rows);
        for (var j = 0; j < drawn.Length; j++)
        {
            foreach (var r in data.CityRows[drawn[j]])
            {
                rows.Add(r);
                cityCodes.Add(j);
            }
        }
        var idx = rows.ToArray();
        var city = Factor.FromCodes(Columns.CityCode, cityCodes.ToArray(), drawn.Length);
        var year = data.Year.Subset(idx);
        double[] Take(string name)
        {
            var src = data.Column(name);
            var dst = new double[idx.Length];
            for (var i = 0; i < idx.Length; i++) dst[i] = src[idx[i]];
            return dst;
        }
        var controls = o.ControlList.Select(c => new NamedColumn(c, Take(c))).ToArray();
        var tCol = new NamedColumn(t, Take(t));
        var mCol = new NamedColumn(m, Take(m));
        try
        {
            var a = Regression.Fit(new RegressionInput(m, mCol.Values, [tCol, .. controls], [city, year]), new FitOptions(RequiredTerms: [t])).Coefficient(t);
            var b = Regression.Fit(new RegressionInput(o.Outcome, Take(o.Outcome), [tCol, mCol, .. controls], [city, year]), new FitOptions(RequiredTerms: [t, m])).Coefficient(m);
            return a * b;
        }
        catch (RankDeficiencyException)
        {
            return double.NaN;
        }
    }

    /// <summary>Type-7 (R default) quantile of sorted values.</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static Frame MediationFrame(IReadOnlyList<MediationRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Text("mediator", rows, r => r.Mediator),
        Double("a", rows, r => r.A),
        Double("se_a", rows, r => r.SeA),
        Double("b", rows, r => r.B),
        Double("se_b", rows, r => r.SeB),
        Double("direct", rows, r => r.Direct),
        Double("se_direct", rows, r => r.SeDirect),
        Double("total", rows, r => r.Total),
        Double("indirect", rows, r => r.Indirect),
        Double("sobel_se", rows, r => r.SobelSe),
        Double("sobel_z", rows, r => r.SobelZ),
        Double("sobel_p", rows, r => r.SobelP),
        Double("boot_low", rows, r => r.BootLow),
        Double("boot_high", rows, r => r.BootHigh),
        Long("boot_draws", rows, r => (long)r.BootDraws),
        Long("boot_failed", rows, r => (long)r.BootFailed));
}
