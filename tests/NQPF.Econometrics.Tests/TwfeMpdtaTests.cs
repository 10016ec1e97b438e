using System.Text.Json;

namespace NQPF.Econometrics.Tests;

/// <summary>
/// lemp ~ treat_post | countyreal + year on mpdta against R fixest 0.14.2
/// (tests/reference/expected/twfe_mpdta.json). Tolerances: coefficients 1e-8 relative, SEs 1e-6 relative, p 1e-6.
/// </summary>
public sealed class TwfeMpdtaTests
{
    private static readonly Dictionary<string, double[]> Data = ReferenceData.Mpdta();
    private static readonly JsonElement Expected = ReferenceData.Json("twfe_mpdta.json");
    private static readonly Factor County = Factor.FromDoubles("countyreal", Data["countyreal"]);
    private static readonly Factor Year = Factor.FromDoubles("year", Data["year"]);
    private static readonly OlsFit Fit = Regression.Fit(new RegressionInput(
        "lemp", Data["lemp"], [new NamedColumn("treat_post", Data["treat_post"])], [County, Year]));

    private static JsonElement Fixest(string key) => Expected.GetProperty("fixest").GetProperty(key);

    private static void AssertMatches(string key, VcovSpec spec, bool checkP = true)
    {
        var e = Fixest(key);
        var row = Inference.Summarise(Fit, spec)["treat_post"];
        ReferenceData.AssertRelative(e.GetProperty("estimate").GetDouble(), row.Estimate, 1e-8, key + " estimate");
        ReferenceData.AssertRelative(e.GetProperty("se").GetDouble(), row.Se, 1e-6, key + " se");
        ReferenceData.AssertRelative(e.GetProperty("t").GetDouble(), row.T, 1e-6, key + " t");
        if (checkP) ReferenceData.AssertRelative(e.GetProperty("p").GetDouble(), row.P, 1e-6, key + " p");
    }

    [Fact]
    public void Fit_Mpdta_MatchesFixestPointEstimateAndFitStatistics()
    {
        Assert.Equal(2500, Fit.N);
        Assert.Equal(DemeanMethod.BalancedTwoWay, Fit.FixedEffects.Method);
        ReferenceData.AssertRelative(Fixest("cluster_default").GetProperty("estimate").GetDouble(), Fit.Coefficient("treat_post"), 1e-8, "estimate");
        ReferenceData.AssertRelative(Expected.GetProperty("fixest_r2").GetDouble(), Fit.R2, 1e-8, "r2");
        ReferenceData.AssertRelative(Expected.GetProperty("fixest_within_r2").GetDouble(), Fit.R2Within, 1e-8, "within r2");
        ReferenceData.AssertRelative(Expected.GetProperty("fixest_ssr").GetDouble(), Fit.Ssr, 1e-8, "ssr");
    }

    [Fact]
    public void Vcov_ClusterDefault_MatchesFixestWithK6AndGMinus1Df()
    {
        AssertMatches("cluster_default", VcovSpec.Cluster(County));
        var recipe = Vcov.Compute(Fit, VcovSpec.Cluster(County)).Recipe;
        Assert.Equal(6, recipe.K);
        Assert.Equal(499, recipe.TDf);
        Assert.Equal([500], recipe.ClusterCounts);
    }

    [Fact]
    public void Vcov_ClusterFull_MatchesFixestKFixefFull()
    {
        AssertMatches("cluster_Kfixef_full", VcovSpec.Cluster(County, SmallSample.Full));
        Assert.Equal(505, Vcov.Compute(Fit, VcovSpec.Cluster(County, SmallSample.Full)).Recipe.K);
    }

    [Fact]
    public void Vcov_ClusterFixefNone_MatchesFixestKFixefNone()
    {
        AssertMatches("cluster_Kfixef_none", VcovSpec.Cluster(County, SmallSample.FixefNone));
        Assert.Equal(1, Vcov.Compute(Fit, VcovSpec.Cluster(County, SmallSample.FixefNone)).Recipe.K);
    }

    [Fact]
    public void Vcov_ClusterNoAdjustment_MatchesRawCr0() =>
        AssertMatches("cluster_no_adj", VcovSpec.Cluster(County, SmallSample.None));

    [Fact]
    public void Vcov_ClusterConventionalTDf_MatchesFixestPValueWithNMinusKDf() =>
        AssertMatches("cluster_t_df_conventional", VcovSpec.Cluster(County) with { TDf = TDegrees.Conventional });

    [Fact]
    public void Vcov_Iid_MatchesFixestWithK505()
    {
        AssertMatches("iid", VcovSpec.Iid());
        Assert.Equal(505, Vcov.Compute(Fit, VcovSpec.Iid()).Recipe.K);
    }

    [Fact]
    public void Vcov_Hetero_MatchesFixestHc1() => AssertMatches("hetero", VcovSpec.Hetero());

    [Fact]
    public void Vcov_TwoWayCluster_MatchesFixestWithGMinDf()
    {
        AssertMatches("twoway_cluster_county_year", VcovSpec.TwoWay(County, Year));
        Assert.Equal(4, Vcov.Compute(Fit, VcovSpec.TwoWay(County, Year)).Recipe.TDf);
    }

    [Fact]
    public void Fit_CollinearTimeInvariantControl_IsDroppedAndNamed()
    {
        // lpop is constant within county, so the county FE absorb it (fixest drops it too, see sunab_mpdta.json notes).
        var fit = Regression.Fit(new RegressionInput("lemp", Data["lemp"],
            [new NamedColumn("treat_post", Data["treat_post"]), new NamedColumn("lpop", Data["lpop"])], [County, Year]));
        Assert.Equal(["lpop"], fit.DroppedCollinear);
        Assert.Equal(["treat_post"], fit.Terms);
        ReferenceData.AssertRelative(Fit.Coefficient("treat_post"), fit.Coefficient("treat_post"), 1e-12, "estimate with lpop");
    }

    [Fact]
    public void Fit_RequiredTermCollinearWithFe_ThrowsRankDeficiencyNamingIt()
    {
        var ex = Assert.Throws<RankDeficiencyException>(() => Regression.Fit(
            new RegressionInput("lemp", Data["lemp"], [new NamedColumn("treat_post", Data["treat_post"]), new NamedColumn("lpop", Data["lpop"])], [County, Year]),
            new FitOptions(RequiredTerms: ["lpop"])));
        Assert.Contains("'lpop'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("countyreal", ex.Message, StringComparison.Ordinal);
    }
}
