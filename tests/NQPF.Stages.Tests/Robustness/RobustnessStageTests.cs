using NQPF.Econometrics;
using NQPF.Stages.Robustness;

namespace NQPF.Stages.Tests.Robustness;

public class RobustnessStageTests
{
    private static Frame Table(StageResult r, string name) => r.Tables[name];

    private static int Row(Frame f, string spec, string treatment) =>
        Enumerable.Range(0, f.RowCount).Single(i => f.Strings("specification")[i] == spec && f.Strings("treatment")[i] == treatment);

    [Fact]
    public void Run_SimulatedPanel_WritesEveryTableAndNoDocument()
    {
        var stage = RobustnessFixture.Stage();
        var result = stage.Run(RobustnessFixture.Context(), CancellationToken.None);
        Assert.Equal(stage.Outputs.Order(), result.Tables.Keys.Order());
        var alt = Table(result, "alternatives");
        // 10 specifications × 2 treatments: baseline, 1 concurrent policy, 2 outcomes, winsorised, drop, province×year FE,
        // city trends, province cluster, lagged controls.
        Assert.Equal(20, alt.RowCount);
        Assert.InRange(alt.Doubles("estimate")[Row(alt, "baseline", "bb")], 0.3, 0.7);
        Assert.True(double.IsNaN(alt.Doubles("estimate")[Row(alt, "outcome_nqpf_pca", "bb")]));
        Assert.Contains("no column 'nqpf_pca'", alt.Strings("note")[Row(alt, "outcome_nqpf_pca", "bb")], StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, alt.RowCount).Where(i => alt.Strings("specification")[i] != "outcome_nqpf_pca"),
            i => Assert.True(double.IsFinite(alt.Doubles("se")[i]), alt.Strings("specification")[i]));
        Assert.Equal(2 * 3 * 30, Table(result, "placebo_draws").RowCount);
        Assert.Equal(6, Table(result, "placebo_summary").RowCount);
        Assert.Equal(6, Table(result, "psm_did").RowCount);
        Assert.Equal(2 * 3 * 3, Table(result, "psm_balance").RowCount);
        // No documents: the report draws the event study, placebo densities, Bacon scatter and sensitivity plot from these tables.
        Assert.Empty(result.Documents);
        Assert.Equal(2 * 7, Table(result, "event_study").RowCount);
        Assert.Equal(2, Table(result, "pretrend").RowCount);
        var staggered = Table(result, "staggered_summary");
        Assert.Equal(2 * 5, staggered.RowCount);
        Assert.Equal(["bb", "cl"], staggered.Strings("treatment").Distinct().Select(t => t!).ToArray());
        Assert.InRange(staggered.Doubles("att")[Array.IndexOf(staggered.Strings("estimator"), "cs")], 0.3, 0.7);
        // Every estimator but the Bacon row carries its joint pre-trend test, and the TWFE lead test's note lists them.
        for (var i = 0; i < staggered.RowCount; i++)
        {
            if (staggered.Strings("estimator")[i] == "twfe_bacon") Assert.True(double.IsNaN(staggered.Doubles("pretrend_p")[i]));
            else Assert.InRange(staggered.Doubles("pretrend_p")[i], 0, 1);
        }
        Assert.Contains("SE clustered by city_code (G = ", staggered.Strings("inference")[Array.IndexOf(staggered.Strings("estimator"), "sa")], StringComparison.Ordinal);
        Assert.Contains("BJS conservative SEs clustered by city_code (G = ", staggered.Strings("inference")[Array.IndexOf(staggered.Strings("estimator"), "bjs")], StringComparison.Ordinal);
        var note = Table(result, "pretrend").Strings("note")[0]!;
        Assert.Contains("Sun & Abraham", note, StringComparison.Ordinal);
        foreach (var estimator in new[] { "twfe_event", "cs", "sa", "bjs" })
            Assert.Contains(estimator + " chi2(", note, StringComparison.Ordinal);
        var bacon = Table(result, "bacon");
        Assert.Equal(2.0, bacon.Doubles("weight").Sum(), 1e-9);
    }

    // The baseline row is the econometrics core's TWFE on the joined panel (city + year FE, clustered by city).
    [Fact]
    public void Run_Baseline_EqualsDirectTwfe()
    {
        var result = RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None);
        var alt = Table(result, "alternatives");
        var inputs = RobustnessFixture.Inputs();
        var y = inputs["index/index"].Doubles("nqpf");
        var year = inputs["cohorts/treatment"].Longs("year");
        var first = inputs["cohorts/treatment"].Longs("bb_first");
        var d = first.Select((g, i) => g > 0 && year[i] >= g ? 1.0 : 0.0).ToArray();
        var unit = Factor.FromStrings("city_code", inputs["cohorts/treatment"].Strings("city_code"));
        var fit = Regression.Fit(new RegressionInput("nqpf", y,
            [new NamedColumn("bb", d), new NamedColumn("x1", inputs["clean/panel"].Doubles("x1")), new NamedColumn("x2", inputs["clean/panel"].Doubles("x2"))],
            [unit, Factor.FromLongs("year", year)]));
        var row = Inference.Summarise(fit, VcovSpec.Cluster(unit))["bb"];
        var i = Row(alt, "baseline", "bb");
        Assert.Equal(row.Estimate, alt.Doubles("estimate")[i], 1e-12);
        Assert.Equal(row.Se, alt.Doubles("se")[i], 1e-12);
    }

    // PSM-DID is weighted least squares with MatchIt's ATT weights: re-derived here from the public pieces (one pooled
    // logit, Epanechnikov kernel on the score, Regression.Fit with weights, itself checked against weighted LSDV).
    [Fact]
    public void Run_PsmKernel_IsTheTwfeWeightedByTheMatchingWeights()
    {
        var options = RobustnessFixture.Options() with { Psm = new PsmSettings { Scope = "pooled" } };
        var psm = Table(RobustnessFixture.Stage(options).Run(RobustnessFixture.Context(), CancellationToken.None), "psm_did");
        var inputs = RobustnessFixture.Inputs();
        var x1 = inputs["clean/panel"].Doubles("x1");
        var x2 = inputs["clean/panel"].Doubles("x2");
        var year = inputs["cohorts/treatment"].Longs("year");
        var first = inputs["cohorts/treatment"].Longs("bb_first");
        var logit = NQPF.Econometrics.Matching.Logit.Fit(first.Select(g => g > 0 ? 1.0 : 0.0).ToArray(), [x1, x2], ["x1", "x2"]);
        var match = NQPF.Econometrics.Matching.KernelMatching.Epanechnikov(logit.Fitted, first.Select(g => g > 0).ToArray(), 0.06,
            NQPF.Econometrics.Matching.CommonSupport.Both);
        var d = first.Select((g, i) => g > 0 && year[i] >= g ? 1.0 : 0.0).ToArray();
        var unit = Factor.FromStrings("city_code", inputs["cohorts/treatment"].Strings("city_code"));
        RegressionInput Input(double[]? weights, bool[]? include) => new("nqpf", inputs["index/index"].Doubles("nqpf"),
            [new NamedColumn("bb", d), new NamedColumn("x1", x1), new NamedColumn("x2", x2)], [unit, Factor.FromLongs("year", year)], include, weights);
        var weighted = Inference.Summarise(Regression.Fit(Input(match.Weights, null)), VcovSpec.Cluster(unit))["bb"];
        var unweighted = Regression.Fit(Input(null, match.Weights.Select(w => w > 0).ToArray())).Coefficient("bb");

        var i = Row(psm, "psm_kernel", "bb");
        Assert.Equal(weighted.Estimate, psm.Doubles("estimate")[i], 1e-12);
        Assert.Equal(weighted.Se, psm.Doubles("se")[i], 1e-12);
        Assert.True(Math.Abs(unweighted - weighted.Estimate) > 1e-4, $"weights should matter here: {unweighted} vs {weighted.Estimate}");
        Assert.Contains("weighted by the matching weights", psm.Strings("note")[i], StringComparison.Ordinal);
    }

    // Few clusters (4 provinces here): the row carries the wild cluster bootstrap p (all 2^4 sign vectors) beside the
    // analytic one, the same number WildClusterBootstrap gives on the same fit; the recipe says so.
    [Fact]
    public void Run_ProvinceCluster_AddsTheWildBootstrapPValue()
    {
        var alt = Table(RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None), "alternatives");
        var inputs = RobustnessFixture.Inputs();
        var year = inputs["cohorts/treatment"].Longs("year");
        var first = inputs["cohorts/treatment"].Longs("bb_first");
        var d = first.Select((g, i) => g > 0 && year[i] >= g ? 1.0 : 0.0).ToArray();
        var unit = Factor.FromStrings("city_code", inputs["cohorts/treatment"].Strings("city_code"));
        var province = Factor.FromStrings("province", inputs["cohorts/treatment"].Strings("city_code")
            .Select(c => (string?)("P" + ((int.Parse(c!, System.Globalization.CultureInfo.InvariantCulture) - 110000) / 100 % 4).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        var fit = Regression.Fit(new RegressionInput("nqpf", inputs["index/index"].Doubles("nqpf"),
            [new NamedColumn("bb", d), new NamedColumn("x1", inputs["clean/panel"].Doubles("x1")), new NamedColumn("x2", inputs["clean/panel"].Doubles("x2"))],
            [unit, Factor.FromLongs("year", year)]));
        var direct = NQPF.Econometrics.WildBootstrap.WildClusterBootstrap.Run(fit, "bb", province,
            new NQPF.Econometrics.WildBootstrap.WildBootstrapOptions(9999, Seed: 20250101, Interval: false));

        var i = Row(alt, "province_cluster", "bb");
        Assert.True(direct.Enumerated);
        Assert.Equal(direct.P, alt.Doubles("p_wild_bootstrap")[i]);
        Assert.NotEqual(alt.Doubles("p")[i], alt.Doubles("p_wild_bootstrap")[i]);
        Assert.Contains("Wild cluster bootstrap (WCR", alt.Strings("recipe")[i], StringComparison.Ordinal);
        Assert.Contains("rademacher weights", alt.Strings("recipe")[i], StringComparison.Ordinal);
        // R² and within R² of the same fit, as the estimate stage reports them (clustering changes only the vcov).
        Assert.Equal(fit.R2, alt.Doubles("r2")[i], 1e-12);
        Assert.Equal(fit.R2Within, alt.Doubles("r2_within")[i], 1e-12);
        Assert.InRange(alt.Doubles("r2_within")[i], 0, alt.Doubles("r2")[i]);
        // The p-value is a column (the report prints it as a row), not repeated in the note.
        Assert.DoesNotContain("wild cluster bootstrap p", alt.Strings("note")[i], StringComparison.OrdinalIgnoreCase);
        var names = alt.Columns.Select(c => c.Name).ToList();
        Assert.Equal(names.IndexOf("p") + 1, names.IndexOf("p_wild_bootstrap"));
    }

    // The sensitivity table is built on the stage's event study: its "Original" row for the first post period is that
    // event study's e = 0 coefficient ± z·SE; the robust sets contain it and grow with M̄; the breakdown table has one row
    // per treatment × restriction × target.
    [Fact]
    public void Run_Sensitivity_IsBuiltOnTheEventStudy()
    {
        var result = RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None);
        var table = Table(result, "sensitivity");
        var es = Table(result, "event_study");
        Assert.Equal(2 * (2 * (1 + 4) + 2 * 4), table.RowCount);
        Assert.Equal(2 * 2 * 2, Table(result, "sensitivity_breakdown").RowCount);
        int Find(string method, string target, double value) => Enumerable.Range(0, table.RowCount).Single(i =>
            table.Strings("treatment")[i] == "bb" && table.Strings("method")[i] == method && table.Strings("target")[i] == target
            && (double.IsNaN(value) ? double.IsNaN(table.Doubles("value")[i]) : table.Doubles("value")[i] == value));
        var e0 = Enumerable.Range(0, es.RowCount).Single(i => es.Strings("treatment")[i] == "bb" && es.Longs("rel_time")[i] == 0);
        var original = Find("Original", "first", double.NaN);
        var z = 1.959963984540054;
        Assert.Equal(es.Doubles("estimate")[e0] - z * es.Doubles("se")[e0], table.Doubles("lb")[original], 1e-10);
        Assert.Equal(es.Doubles("estimate")[e0] + z * es.Doubles("se")[e0], table.Doubles("ub")[original], 1e-10);
        var narrow = Find("C-LF", "first", 0.5);
        var wide = Find("C-LF", "first", 2);
        Assert.True(table.Doubles("lb")[wide] <= table.Doubles("lb")[narrow] && table.Doubles("ub")[narrow] <= table.Doubles("ub")[wide]);
    }

    [Fact]
    public void Run_DropMunicipalitiesCapitals_DropsFiveCities()
    {
        var alt = Table(RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None), "alternatives");
        var i = Row(alt, "drop_municipalities_capitals", "cl");
        Assert.Equal(35 * 8, alt.Longs("n")[i]);
        // The fixture's 40 city clusters are few enough for the wild-bootstrap p-value, which its own column carries.
        Assert.Equal("5 cities dropped", alt.Strings("note")[i]);
        Assert.InRange(alt.Doubles("p_wild_bootstrap")[i], 0, 1);
        var p = Row(alt, "province_cluster", "bb");
        Assert.Equal(4, alt.Longs("clusters")[p]);
    }

    // Interrupted-run resumption: a second run with the same memo recomputes nothing and gives identical draws; losing
    // one chunk recomputes exactly that chunk.
    [Fact]
    public void Run_WithMemo_ResumesWithoutRedoingFinishedChunks()
    {
        var memo = new InMemoryMemo();
        var first = RobustnessFixture.Stage().Run(RobustnessFixture.Context(memo), CancellationToken.None);
        Assert.Equal(2 * 3 * 3, memo.Saves);
        var second = RobustnessFixture.Stage().Run(RobustnessFixture.Context(memo), CancellationToken.None);
        Assert.Equal(2 * 3 * 3, memo.Saves);
        memo.Forget(memo.Keys[4]);
        var third = RobustnessFixture.Stage().Run(RobustnessFixture.Context(memo), CancellationToken.None);
        Assert.Equal(2 * 3 * 3 + 1, memo.Saves);
        foreach (var r in new[] { second, third })
        {
            Assert.Equal(first.Tables["placebo_draws"].Doubles("estimate"), r.Tables["placebo_draws"].Doubles("estimate"));
            Assert.Equal(first.Tables["placebo_summary"].Doubles("p_value"), r.Tables["placebo_summary"].Doubles("p_value"));
        }
    }

    // With a true effect of 0.5 (≈ 1 residual SD) the real bb estimate is beyond every unit placebo: p = 1/31.
    [Fact]
    public void Run_EffectInData_RealEstimateInPlaceboTail()
    {
        var s = Table(RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None), "placebo_summary");
        var i = Enumerable.Range(0, s.RowCount).Single(k => s.Strings("treatment")[k] == "bb" && s.Strings("kind")[k] == "unit");
        Assert.Equal(1.0 / 31, s.Doubles("p_value")[i], 1e-12);
    }

    // The event-study rows are the relative-time TWFE the estimate verb's FrameRegression runs on the same dummies.
    [Fact]
    public void Run_EventStudy_EqualsRelativeTimeRegressionOfFrameRegression()
    {
        var result = RobustnessFixture.Stage().Run(RobustnessFixture.Context(), CancellationToken.None);
        var es = Table(result, "event_study");
        var inputs = RobustnessFixture.Inputs();
        var t = inputs["cohorts/treatment"];
        var year = t.Longs("year");
        var g = t.Longs("bb_first");
        var ks = new long[] { -3, -2, 0, 1, 2, 3 };
        var columns = new List<Column> { t["city_code"], t["year"], inputs["index/index"]["nqpf"], inputs["clean/panel"]["x1"], inputs["clean/panel"]["x2"] };
        foreach (var k in ks)
            columns.Add(new DoubleColumn(EventStudy.Term(k), year.Select((y, i) => g[i] > 0 && Math.Clamp(y - g[i], -3, 3) == k ? 1.0 : 0.0).ToArray()));
        var spec = new NQPF.Stages.Estimate.ModelSpec("nqpf", [.. ks.Select(EventStudy.Term), "x1", "x2"], ["city_code", "year"], ["city_code"]);
        var direct = NQPF.Stages.Estimate.FrameRegression.Estimate(new Frame(columns), spec);
        foreach (var k in ks)
        {
            var i = Enumerable.Range(0, es.RowCount).Single(r => es.Strings("treatment")[r] == "bb" && es.Longs("rel_time")[r] == k);
            Assert.Equal(direct[EventStudy.Term(k)].Estimate, es.Doubles("estimate")[i], 1e-12);
            Assert.Equal(direct[EventStudy.Term(k)].Se, es.Doubles("se")[i], 1e-12);
        }
        var pre = Table(result, "pretrend");
        Assert.Equal(2, pre.Longs("leads")[0]);
        Assert.InRange(pre.Doubles("f_p")[0], 0, 1);
    }
}
