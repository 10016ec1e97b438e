using MathNet.Numerics.Distributions;

namespace NQPF.Stages.Report;

/// <summary>One tested part of a claim: its estimate with 95% CI and p, the claimed sign, and the planted truth (NaN when none).</summary>
internal sealed record ClaimPart(string Label, double Estimate, double Low, double High, double P, int Sign, double Truth)
{
    public Verdict Verdict(double alpha) => Verdicts.Of(Estimate, P, Sign, alpha);

    public bool Recovers => double.IsFinite(Truth) && Truth >= Low && Truth <= High;
}

/// <summary>A claim as the run judges it: its parts, the verdicts of its robustness checks, and the table that shows it.</summary>
internal sealed record ClaimResult(int Number, IReadOnlyList<ClaimPart> Parts, IReadOnlyList<Verdict> Checks, string TableId,
    IReadOnlyList<string> Absent)
{
    public Verdict Verdict(double alpha) => Verdicts.Combine([.. Parts.Select(p => p.Verdict(alpha))]);

    /// <summary>The part a reader should see: the one with the largest p (the weakest link of the claim).</summary>
    public ClaimPart? Key => Parts.OrderByDescending(p => double.IsNaN(p.P) ? 2 : p.P).FirstOrDefault();

    public int Agreeing(double alpha) => Checks.Count(c => c == Verdict(alpha));

    public bool HasTruth => Parts.Count > 0 && Parts.All(p => double.IsFinite(p.Truth));

    public Verdict TruthVerdict => Verdicts.OfTruth(Parts.Select(p => (p.Truth, p.Sign)));
}

/// <summary>
/// The study's seven claims evaluated on the run's tables (see <see cref="Evaluate"/> and the methods it calls for which estimate and which
/// checks each claim uses). Datasets come through the report's declarations; a claim whose datasets are absent lists
/// them instead of a verdict.
/// </summary>
internal sealed class Claims(DeclaredInputs inputs, TruthSummary? truth, double alpha)
{
    public static readonly IReadOnlyList<(string Grouping, int Sign)> Heterogeneity =
        [("resource_based", -1), ("central", 1), ("large", 1), ("target_hard", -1), ("target_intensified", -1)];

    public static readonly IReadOnlyList<(string Mediator, string TruthColumn)> Mediators = [("agglomeration", "employment"), ("innovation", "patents")];

    public static readonly IReadOnlyList<string> Pilots = ["bb", "cl"];

    /// <summary>The treatment whose heterogeneity the study examines (its claim 7): the dual pilots.</summary>
    public const string HeterogeneityPilot = "dual";

    public IReadOnlyList<ClaimResult> Evaluate() =>
    [
        Pilot(1, "bb"), Pilot(2, "cl"), ClusterOverBroadband(),
        WaldClaim(4, "single_dual", "dual", "single", ReportDatasets.SingleDual, "table-single-dual"),
        WaldClaim(5, "order", "cluster_first", "broadband_first", ReportDatasets.Order, "table-order"),
        MechanismClaim(), HeterogeneityClaim(),
    ];

    private ClaimResult Pilot(int number, string t)
    {
        var (frames, absent) = inputs.GetAll([ReportDatasets.Baseline, ReportDatasets.Alternatives, ReportDatasets.PsmDid,
            ReportDatasets.StaggeredSummary, ReportDatasets.PlaceboSummary], "the scorecard");
        if (frames is null)
            return new ClaimResult(number, [], [], "table-baseline", absent);
        var main = MainCoefficient(frames[0], t);
        var part = main is null ? null : main with { Truth = truth?[t]?.AttIndex ?? double.NaN };
        var checks = new List<Verdict>();
        checks.AddRange(RowsOf(frames[1], t).Where(i => frames[1].Strings("specification")[i] != "baseline")
            .Select(i => Verdicts.Of(frames[1].Doubles("estimate")[i], frames[1].Doubles("p")[i], 1, alpha)));
        checks.AddRange(RowsOf(frames[2], t).Select(i => Verdicts.Of(frames[2].Doubles("estimate")[i], frames[2].Doubles("p")[i], 1, alpha)));
        checks.AddRange(Staggered(frames[3], t).Select(s => Verdicts.Of(s.Att, Verdicts.NormalP(s.Att, s.Se), 1, alpha)));
        var placebo = frames[4];
        checks.AddRange(Enumerable.Range(0, placebo.RowCount).Where(i => placebo.Strings("treatment")[i] == t)
            .Select(i => Verdicts.Of(placebo.Doubles("real_estimate")[i], placebo.Doubles("p_value")[i], 1, alpha)));
        return new ClaimResult(number, part is null ? [] : [part], checks, "table-baseline", []);
    }

    private ClaimResult ClusterOverBroadband()
    {
        var (frames, absent) = inputs.GetAll([ReportDatasets.Baseline, ReportDatasets.Alternatives, ReportDatasets.StaggeredSummary], "the scorecard");
        if (frames is null)
            return new ClaimResult(3, [], [], "table-baseline", absent);
        var (cl, bb) = (MainCoefficient(frames[0], "cl"), MainCoefficient(frames[0], "bb"));
        var parts = new List<ClaimPart>();
        if (cl is not null && bb is not null)
        {
            var truthDiff = (truth?["cl"]?.AttIndex ?? double.NaN) - (truth?["bb"]?.AttIndex ?? double.NaN);
            parts.Add(Difference("cl − bb", cl.Estimate, cl.Estimate - cl.Low, bb.Estimate, bb.Estimate - bb.Low, truthDiff));
        }
        var alternatives = frames[1];
        var checks = alternatives.Strings("specification").Distinct().Where(s => s != "baseline").Select(s =>
        {
            var (c, b) = (StudyGrids.Row(alternatives, s!, ["cl"]), StudyGrids.Row(alternatives, s!, ["bb"]));
            if (c is null || b is null || alternatives.Strings("treatment")[c.Value] != "cl" || alternatives.Strings("treatment")[b.Value] != "bb")
                return Verdict.NotSupported;
            var d = alternatives.Doubles("estimate")[c.Value] - alternatives.Doubles("estimate")[b.Value];
            var se = Math.Sqrt(Math.Pow(alternatives.Doubles("se")[c.Value], 2) + Math.Pow(alternatives.Doubles("se")[b.Value], 2));
            return Verdicts.Of(d, Verdicts.NormalP(d, se), 1, alpha);
        }).ToList();
        var sc = Staggered(frames[2], "cl").ToDictionary(s => s.Estimator, StringComparer.Ordinal);
        foreach (var s in Staggered(frames[2], "bb").Where(s => sc.ContainsKey(s.Estimator)))
        {
            var d = sc[s.Estimator].Att - s.Att;
            checks.Add(Verdicts.Of(d, Verdicts.NormalP(d, Math.Sqrt(sc[s.Estimator].Se * sc[s.Estimator].Se + s.Se * s.Se)), 1, alpha));
        }
        return new ClaimResult(3, parts, checks, "table-baseline", []);
    }

    /// <summary>The coefficient of <paramref name="t"/> in the last model that estimates it alone with controls.</summary>
    internal static ClaimPart? MainCoefficient(Frame frame, string t)
    {
        var withControls = Enumerable.Range(0, frame.RowCount).Where(i => !frame.Bools("key_term")[i]).Select(i => frame.Longs("model")[i]).ToHashSet();
        var rows = Enumerable.Range(0, frame.RowCount)
            .Where(i => frame.Strings("term")[i] == t && frame.Bools("key_term")[i]).ToList();
        if (rows.Count == 0)
            return null;
        var i = rows.Where(r => withControls.Contains(frame.Longs("model")[r])).DefaultIfEmpty(rows[^1]).Last();
        return new ClaimPart(t, frame.Doubles("estimate")[i], frame.Doubles("ci_low")[i], frame.Doubles("ci_high")[i], frame.Doubles("p")[i], 1, double.NaN);
    }

    /// <summary>a − b with SE √(se_a² + se_b²) (the two models' estimates treated as independent) and a normal 95% CI and p.</summary>
    private static ClaimPart Difference(string label, double a, double halfA, double b, double halfB, double truthDiff)
    {
        const double z = 1.959963984540054;
        var se = Math.Sqrt(Math.Pow(halfA / z, 2) + Math.Pow(halfB / z, 2));
        var d = a - b;
        return new ClaimPart(label, d, d - z * se, d + z * se, Verdicts.NormalP(d, se), 1, truthDiff);
    }

    private ClaimResult WaldClaim(int number, string table, string larger, string smaller, DatasetNeed model, string tableId)
    {
        var (frames, absent) = inputs.GetAll([ReportDatasets.Wald, model], "the scorecard");
        if (frames is null)
            return new ClaimResult(number, [], [], tableId, absent);
        var wald = frames[0];
        var rows = Enumerable.Range(0, wald.RowCount).Where(i => wald.Strings("table")[i] == table).OrderBy(i => wald.Longs("model")[i]).ToList();
        if (rows.Count == 0)
            return new ClaimResult(number, [], [], tableId, [ReportDatasets.Wald.Key + " (" + table + ")"]);
        var main = rows[^1];
        var truthDiff = (truth?[larger]?.AttIndex ?? double.NaN) - (truth?[smaller]?.AttIndex ?? double.NaN);
        var d = wald.Doubles("difference")[main];
        var se = Math.Abs(d) / Math.Sqrt(wald.Doubles("f")[main]);
        var crit = StudentT.InvCDF(0, 1, wald.Doubles("df2")[main], 0.975);
        var part = new ClaimPart(larger + " − " + smaller, d, d - crit * se, d + crit * se, wald.Doubles("p")[main], 1, truthDiff);
        var checks = rows.SkipLast(1).Select(i => Verdicts.Of(wald.Doubles("difference")[i], wald.Doubles("p")[i], 1, alpha)).ToList();
        return new ClaimResult(number, [part], checks, tableId, []);
    }

    private ClaimResult MechanismClaim()
    {
        var (frames, absent) = inputs.GetAll([ReportDatasets.Mechanisms, ReportDatasets.Mediation], "the scorecard");
        if (frames is null)
            return new ClaimResult(6, [], [], "table-mechanisms", absent);
        var (mech, mediation) = (frames[0], frames[1]);
        var parts = new List<ClaimPart>();
        foreach (var (mediator, truthColumn) in Mediators)
        {
            foreach (var t in Pilots)
            {
                var i = Enumerable.Range(0, mech.RowCount).FirstOrDefault(r =>
                    mech.Strings("outcome")[r] == mediator && mech.Strings("term")[r] == t && mech.Bools("key_term")[r], -1);
                if (i < 0)
                    continue;
                var truthRow = truth?[t];
                var truthValue = truthRow is null ? double.NaN : truthColumn == "patents" ? truthRow.AttPatents : truthRow.AttEmploymentDensity;
                parts.Add(new ClaimPart(mediator + " ← " + t, mech.Doubles("estimate")[i], mech.Doubles("ci_low")[i], mech.Doubles("ci_high")[i],
                    mech.Doubles("p")[i], 1, truthValue));
            }
        }
        var checks = new List<Verdict>();
        foreach (var i in Enumerable.Range(0, mediation.RowCount).Where(i => Pilots.Contains(mediation.Strings("treatment")[i])))
        {
            checks.Add(Verdicts.Of(mediation.Doubles("indirect")[i], mediation.Doubles("sobel_p")[i], 1, alpha));
            var (low, high) = (mediation.Doubles("boot_low")[i], mediation.Doubles("boot_high")[i]);
            checks.Add(low > 0 ? Verdict.Supported : high < 0 ? Verdict.Opposite : Verdict.NotSupported);
        }
        return new ClaimResult(6, parts, checks, "table-mechanisms", []);
    }

    /// <summary>
    /// The study examines the heterogeneity of the dual pilots' effect, so the parts are dual × grouping interactions
    /// (pooled model, clustered SE); the checks are the dual subgroup permutation tests and each single pilot's interactions.
    /// </summary>
    private ClaimResult HeterogeneityClaim()
    {
        var tests = inputs.Get(ReportDatasets.HeterogeneityTests, "the scorecard");
        if (tests is null)
            return new ClaimResult(7, [], [], "table-heterogeneity-tests", [ReportDatasets.HeterogeneityTests.Key]);
        const double z = 1.959963984540054;
        var parts = new List<ClaimPart>();
        var checks = new List<Verdict>();
        foreach (var (grouping, sign) in Heterogeneity)
        {
            foreach (var i in Enumerable.Range(0, tests.RowCount).Where(r => tests.Strings("grouping")[r] == grouping))
            {
                var t = tests.Strings("treatment")[i] ?? "";
                var (b, se, p) = (tests.Doubles("interaction")[i], tests.Doubles("interaction_se")[i], tests.Doubles("interaction_p")[i]);
                if (t == HeterogeneityPilot)
                {
                    var truthDiff = (truth?[t, grouping + "=1"]?.AttIndex ?? double.NaN) - (truth?[t, grouping + "=0"]?.AttIndex ?? double.NaN);
                    parts.Add(new ClaimPart(t + " × " + grouping, b, b - z * se, b + z * se, p, sign, truthDiff));
                    checks.Add(Verdicts.Of(tests.Doubles("difference")[i], tests.Doubles("permutation_p")[i], sign, alpha));
                }
                else if (Pilots.Contains(t))
                {
                    checks.Add(Verdicts.Of(b, p, sign, alpha));
                }
            }
        }
        return new ClaimResult(7, parts, checks, "table-heterogeneity-tests", []);
    }

    private static IEnumerable<int> RowsOf(Frame frame, string t) =>
        Enumerable.Range(0, frame.RowCount).Where(i => frame.Strings("treatment")[i] == t);

    /// <summary>The heterogeneity-robust estimators' ATTs of <paramref name="t"/> (not the TWFE rows).</summary>
    private static IEnumerable<(string Estimator, double Att, double Se)> Staggered(Frame frame, string t) =>
        RowsOf(frame, t).Select(i => (Estimator: frame.Strings("estimator")[i] ?? "", Att: frame.Doubles("att")[i], Se: frame.Doubles("se")[i]))
            .Where(s => s.Estimator is "cs" or "sa" or "bjs");
}
