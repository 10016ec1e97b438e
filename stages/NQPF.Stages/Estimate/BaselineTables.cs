using System.Globalization;
using NQPF.Econometrics;
using static NQPF.Stages.RecordColumns;

namespace NQPF.Stages.Estimate;

/// <summary>A Wald test attached to a table's model.</summary>
internal sealed record WaldRow(string Table, int Model, WaldTest Test, double OneSidedP);

/// <summary>
/// The baseline results: each treatment alone (with and without controls), single vs dual pilots in one model with
/// the Wald test of β_dual = β_single, and the order comparison among dual cities (cluster-first vs broadband-first).
/// </summary>
internal static class BaselineTables
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static RegressionTable Baseline(RegressionPanel data)
    {
        var o = data.Options;
        var columns = new List<TableColumn>();
        foreach (var t in o.TreatmentList)
        {
            foreach (var controls in new[] { false, true })
                columns.Add(new TableColumn(o.Outcome, data.Estimate(o.Outcome, [t], controls), [Controls(controls)]));
        }
        return new RegressionTable("baseline", $"Baseline: {o.Outcome} on each pilot (TWFE, city and year FE)", columns, o.TreatmentList,
            [TreatmentNote(o), o.DataNote]);
    }

    /// <summary>y ~ single + dual (+ controls); Wald test dual = single (F with the vcov's t df) and the one-sided p of dual &gt; single.</summary>
    public static (RegressionTable Table, IReadOnlyList<WaldRow> Tests) SingleVersusDual(RegressionPanel data)
    {
        var o = data.Options;
        var columns = new List<TableColumn>();
        var tests = new List<WaldRow>();
        foreach (var controls in new[] { false, true })
        {
            var result = data.Estimate(o.Outcome, ["single", "dual"], controls);
            var wald = Wald.Equal(result, "dual", "single");
            var oneSided = OneSidedP(wald, result.Vcov.Recipe.TDf);
            tests.Add(new WaldRow("single_dual", columns.Count + 1, wald, oneSided));
            columns.Add(new TableColumn(o.Outcome, result,
            [
                Controls(controls),
                new("dual − single", wald.Difference[0].ToString("F4", Inv)),
                new("Wald F (dual = single)", wald.F.ToString("F3", Inv)),
                new("p (two-sided)", wald.FP.ToString("G3", Inv)),
                new("p (dual > single)", oneSided.ToString("G3", Inv)),
            ]));
        }
        var table = new RegressionTable("single_dual", $"Single vs dual pilot: {o.Outcome}", columns, ["single", "dual"],
            ["single = exactly one of the two pilots in force; dual = both in force. The Wald test uses the model's clustered vcov; F on (1, G−1) df.", o.DataNote]);
        return (table, tests);
    }

    /// <summary>Among dual cities: dual × cluster-first, dual × broadband-first (and same-year) with single as a control; Wald cluster-first = broadband-first.</summary>
    public static (RegressionTable Table, IReadOnlyList<WaldRow> Tests) Order(RegressionPanel data)
    {
        var o = data.Options;
        var present = EstimatePanel.OrderTerms.Where(t => data.Column(t).Any(v => v != 0)).ToList();
        var columns = new List<TableColumn>();
        var tests = new List<WaldRow>();
        if (present.Count == 0) return (new RegressionTable("order", "Order of pilots", columns, EstimatePanel.OrderTerms, ["No dual-pilot city in the sample.", o.DataNote]), tests);
        foreach (var controls in new[] { false, true })
        {
            var result = data.Estimate(o.Outcome, [.. present, "single"], controls);
            var rows = new List<KeyValuePair<string, string>> { Controls(controls) };
            if (present.Contains("dual_cluster_first") && present.Contains("dual_broadband_first"))
            {
                var wald = Wald.Equal(result, "dual_cluster_first", "dual_broadband_first");
                var oneSided = OneSidedP(wald, result.Vcov.Recipe.TDf);
                tests.Add(new WaldRow("order", columns.Count + 1, wald, oneSided));
                rows.Add(new("cluster-first − broadband-first", wald.Difference[0].ToString("F4", Inv)));
                rows.Add(new("Wald F (equal)", wald.F.ToString("F3", Inv)));
                rows.Add(new("p (two-sided)", wald.FP.ToString("G3", Inv)));
            }
            columns.Add(new TableColumn(o.Outcome, result, rows));
        }
        var table = new RegressionTable("order", $"Order of pilots among dual cities: {o.Outcome}", columns, [.. EstimatePanel.OrderTerms, "single"],
            ["dual_cluster_first = dual pilot in force in a city that joined the cluster pilot first (likewise broadband_first, same_year); single-pilot city-years are controlled for.", o.DataNote]);
        return (table, tests);
    }

    /// <summary>wald frame: table, model, hypothesis, difference, f, df1, df2, p, chi2, chi2_p, p_one_sided.</summary>
    public static Frame WaldFrame(IReadOnlyList<WaldRow> rows) => new(
        Text("table", rows, r => r.Table),
        Long("model", rows, r => (long)r.Model),
        Text("hypothesis", rows, r => r.Test.Hypothesis),
        Double("difference", rows, r => r.Test.Difference[0]),
        Double("f", rows, r => r.Test.F),
        Long("df1", rows, r => (long)r.Test.Restrictions),
        Double("df2", rows, r => r.Test.FDf2),
        Double("p", rows, r => r.Test.FP),
        Double("chi2", rows, r => r.Test.Chi2),
        Double("chi2_p", rows, r => r.Test.ChiP),
        Double("p_one_sided", rows, r => r.OneSidedP));

    /// <summary>P(T ≥ t) for t = difference / se (a single restriction: F = t²), i.e. H₁: the first term is larger.</summary>
    internal static double OneSidedP(WaldTest wald, double df)
    {
        var t = Math.Sign(wald.Difference[0]) * Math.Sqrt(wald.F);
        return MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, -t);
    }

    internal static KeyValuePair<string, string> Controls(bool on) => new("Controls", on ? "Yes" : "No");

    internal static string TreatmentNote(EstimateOptions o) =>
        $"Treatments (in-force dummies): {string.Join(", ", o.TreatmentList)}. Controls: {string.Join(", ", o.ControlList)}.";
}
