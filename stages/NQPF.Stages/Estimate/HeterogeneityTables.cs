using System.Globalization;
using NQPF.Econometrics;
using NQPF.Econometrics.Placebo;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Estimate;

/// <summary>Heterogeneity of one treatment along one grouping.</summary>
internal sealed record HeterogeneityRow(
    string Treatment, string Grouping, double Beta1, double Se1, int N1, double Beta0, double Se0, int N0,
    double Difference, double Interaction, double InteractionSe, double InteractionP, double PermutationP, int Draws, int ValidDraws);

/// <summary>
/// Heterogeneity by city groupings (0/1 attributes): subgroup regressions y ~ T + X | city + year on G = 1 and G = 0;
/// the interaction model y ~ T + T×G + X | city + year (G itself is absorbed by the city FE); and a Fisher permutation
/// test of Δ = β₁ − β₀: the city-level labels G are permuted across cities (draw b from <see cref="DrawRandom"/>(seed', b)),
/// both subgroups re-estimated, p = (1 + #{|Δ_b| ≥ |Δ|}) / (1 + valid draws). Draws in which a permuted subgroup
/// cannot identify T (no treated city) are left out and counted.
/// </summary>
internal static class HeterogeneityTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static (IReadOnlyList<RegressionTable> Tables, IReadOnlyList<HeterogeneityRow> Rows) Build(RegressionPanel data, CancellationToken ct)
    {
        var o = data.Options;
        var tables = new List<RegressionTable>();
        var rows = new List<HeterogeneityRow>();
        var combo = 0;
        foreach (var grouping in o.GroupingList)
        {
            var cityGroups = data.CityGroups(grouping);
            if (cityGroups.Distinct().Count() < 2) continue;
            var columns = new List<TableColumn>();
            var shown = new List<string>();
            foreach (var t in o.TreatmentList)
            {
                ct.ThrowIfCancellationRequested();
                var r1 = TryEstimate(data, t, cityGroups, 1);
                var r0 = TryEstimate(data, t, cityGroups, 0);
                var interactionName = t + "_x_" + grouping;
                var g = data.Column(grouping);
                var tv = data.Column(t);
                data.Add(interactionName, tv.Select((v, i) => v * g[i]).ToArray());
                var inter = data.Estimate(o.Outcome, [t, interactionName], true, required: [t]);
                var difference = r1 is null || r0 is null ? double.NaN : r1[t].Estimate - r0[t].Estimate;
                var (p, valid) = double.IsNaN(difference) ? (double.NaN, 0)
                    : Permutation(data, t, cityGroups, difference, o.Seed + 104729L * ++combo, o.PermutationDraws, ct);
                var ix = inter.Coefficients.FirstOrDefault(c => c.Term == interactionName);
                rows.Add(new HeterogeneityRow(t, grouping,
                    r1?[t].Estimate ?? double.NaN, r1?[t].Se ?? double.NaN, r1?.Fit.N ?? 0,
                    r0?[t].Estimate ?? double.NaN, r0?[t].Se ?? double.NaN, r0?.Fit.N ?? 0,
                    difference, ix?.Estimate ?? double.NaN, ix?.Se ?? double.NaN, ix?.P ?? double.NaN, p, o.PermutationDraws, valid));
                if (r1 is not null) columns.Add(new TableColumn($"{t}: {grouping} = 1", r1, [BaselineTables.Controls(true)]));
                if (r0 is not null) columns.Add(new TableColumn($"{t}: {grouping} = 0", r0, [BaselineTables.Controls(true)]));
                columns.Add(new TableColumn($"{t}: interaction", inter,
                [
                    BaselineTables.Controls(true),
                    new("Permutation p (β₁ − β₀)", double.IsNaN(p) ? "" : p.ToString("G3", Inv)),
                ]));
                shown.Add(t);
                shown.Add(interactionName);
            }
            tables.Add(new RegressionTable("heterogeneity_" + grouping, $"Heterogeneity by {grouping}", columns, shown,
            [
                $"Subgroup regressions on {grouping} = 1 and = 0, and the pooled model with the pilot × {grouping} interaction; {grouping} itself is absorbed by the city FE.",
                $"Permutation p: Fisher test of the subgroup difference, {grouping} labels permuted across cities, {o.PermutationDraws.ToString(Inv)} draws, seed {o.Seed.ToString(Inv)}; p = (1 + #|Δ_b| ≥ |Δ|)/(1 + draws).",
                o.DataNote,
            ]));
        }
        return (tables, rows);
    }

    /// <summary>The subgroup fit, or null when the subgroup cannot identify T (fewer than two cities, or T collinear with the FE).</summary>
    private static RegressionResult? TryEstimate(RegressionPanel data, string t, long[] cityGroups, long value)
    {
        if (cityGroups.Count(g => g == value) < 2) return null;
        try
        {
            return data.Estimate(data.Options.Outcome, [t], true, Mask(data, cityGroups, value));
        }
        catch (RankDeficiencyException)
        {
            return null;
        }
    }

    private static bool[] Mask(RegressionPanel data, long[] cityGroups, long value)
    {
        var mask = new bool[data.Rows];
        for (var g = 0; g < cityGroups.Length; g++)
        {
            if (cityGroups[g] != value) continue;
            foreach (var r in data.CityRows[g]) mask[r] = true;
        }
        return mask;
    }

    private static (double P, int Valid) Permutation(RegressionPanel data, string t, long[] cityGroups, double observed, long seed, int draws, CancellationToken ct)
    {
        if (draws == 0) return (double.NaN, 0);
        var deltas = PermutationDeltas(data, t, cityGroups, seed, draws, direct: false, ct);
        var valid = 0;
        var extreme = 0;
        foreach (var d in deltas)
        {
            if (double.IsNaN(d)) continue;
            valid++;
            if (Math.Abs(d) >= Math.Abs(observed)) extreme++;
        }
        return ((1.0 + extreme) / (1.0 + valid), valid);
    }

    /// <summary>
    /// Δ_b = β₁ − β₀ of every draw (NaN when a permuted subgroup cannot identify T). Only the subgroup labels change
    /// between draws, so each subgroup fit comes from per-city sufficient statistics built once
    /// (<see cref="UnitBlockDesign"/>); a draw whose subgroup is not a complete city × year cross, or every draw with
    /// <paramref name="direct"/>, is fitted by <see cref="Regression.Fit"/> on the masked rows.
    /// </summary>
    internal static double[] PermutationDeltas(RegressionPanel data, string t, long[] cityGroups, long seed, int draws, bool direct, CancellationToken ct)
    {
        var one = data.Input(data.Options.Outcome, [t], true);
        var options = new FitOptions(RequiredTerms: [t]);
        var design = UnitBlockDesign.Create([one.Outcome, .. one.Regressors.Select(r => r.Values)], data.City, data.Year);
        var regressors = Enumerable.Range(1, one.Regressors.Count).ToArray();
        var deltas = new double[draws];
        Parallel.For(0, draws, new ParallelOptions { CancellationToken = ct }, design.CreateWorkspace, (b, _, ws) =>
        {
            var labels = (long[])cityGroups.Clone();
            new DrawRandom(seed, b).Shuffle(labels.AsSpan());
            var members = new int[labels.Length];
            double Subgroup(long value)
            {
                for (var g = 0; g < labels.Length; g++) members[g] = labels[g] == value ? 1 : 0;
                if (!direct)
                {
                    var status = design.TryCoefficient(members, 0, regressors, 0, 1, ws, out var beta);
                    if (status != BlockFitStatus.NotBalanced) return beta;
                }
                try
                {
                    return Regression.Fit(one with { Include = Mask(data, labels, value) }, options).Coefficient(t);
                }
                catch (RankDeficiencyException)
                {
                    return double.NaN;
                }
            }
            var b1 = Subgroup(1);
            deltas[b] = double.IsNaN(b1) ? double.NaN : b1 - Subgroup(0);
            return ws;
        }, _ => { });
        return deltas;
    }

    public static Frame TestsFrame(IReadOnlyList<HeterogeneityRow> rows) => new(
        Text("treatment", rows, r => r.Treatment),
        Text("grouping", rows, r => r.Grouping),
        Double("beta_1", rows, r => r.Beta1),
        Double("se_1", rows, r => r.Se1),
        Long("n_1", rows, r => (long)r.N1),
        Double("beta_0", rows, r => r.Beta0),
        Double("se_0", rows, r => r.Se0),
        Long("n_0", rows, r => (long)r.N0),
        Double("difference", rows, r => r.Difference),
        Double("interaction", rows, r => r.Interaction),
        Double("interaction_se", rows, r => r.InteractionSe),
        Double("interaction_p", rows, r => r.InteractionP),
        Double("permutation_p", rows, r => r.PermutationP),
        Long("draws", rows, r => (long)r.Draws),
        Long("valid_draws", rows, r => (long)r.ValidDraws));
}
