using NQPF.Econometrics.Staggered;
using Xunit.Abstractions;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Goodman-Bacon decomposition. The acceptance identity (weights sum to 1, Σ weight·2×2 = TWFE within 1e-10) is
/// checked on mpdta, castle (bacondecomp's example), math_reform and fixest's base_stagg; the TWFE estimate on mpdta
/// is fixest's (twfe_mpdta.json: feols(lemp ~ treat_post | countyreal + year), estimate −0.03654893667406656).
/// </summary>
public sealed class BaconDecompositionTests(ITestOutputHelper output)
{
    private static BalancedPanel Load(string file, string unit, string time, string cohort, string y)
    {
        var c = ReferenceData.ReadCsv(file);
        return StaggeredPanel.Create(c[unit], ReferenceData.Longs(c[time]), ReferenceData.Longs(c[cohort]), ReferenceData.Doubles(c[y])).Balance();
    }

    public static TheoryData<string, string, string, string, string> Datasets() => new()
    {
        { "mpdta.csv", "countyreal", "year", "first.treat", "lemp" },
        { "castle.csv", "sid", "year", "effyear", "l_homicide" },
        { "math_reform.csv", "state", "class", "reformyr_math", "incearn_ln" },
        { "base_stagg.csv", "id", "year", "year_treated", "y" },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Decompose_BalancedPanel_WeightsSumToOneAndReproduceTwfe(string file, string unit, string time, string cohort, string y)
    {
        var result = BaconDecomposition.Decompose(Load(file, unit, time, cohort, y));
        output.WriteLine($"{file}: {result.Comparisons.Count} comparisons, Σw−1 = {result.WeightSum - 1:E2}, Σwβ − TWFE = {result.WeightedSum - result.TwfeEstimate:E2}");
        Assert.Equal(1.0, result.WeightSum, 1e-10);
        Assert.Equal(result.TwfeEstimate, result.WeightedSum, 1e-10);
        Assert.All(result.Comparisons, c => Assert.True(c.Weight > 0));
    }

    [Fact]
    public void Decompose_Mpdta_TwfeEqualsFixestAndComparisonsEnumerated()
    {
        var expected = ReferenceData.Expected("twfe_mpdta.json").GetProperty("fixest").GetProperty("cluster_default").GetProperty("estimate").GetDouble();
        var result = BaconDecomposition.Decompose(ReferenceData.Mpdta().Balance());
        Assert.Equal(expected, result.TwfeEstimate, 1e-12);
        // 3 cohorts: 3 treated-vs-never, 3 earlier-vs-later, 3 later-vs-earlier
        Assert.Equal(3, result.Comparisons.Count(c => c.Type == BaconComparisonType.TreatedVsNever));
        Assert.Equal(3, result.Comparisons.Count(c => c.Type == BaconComparisonType.EarlierVsLater));
        Assert.Equal(3, result.Comparisons.Count(c => c.Type == BaconComparisonType.LaterVsEarlier));
        Assert.All(result.Comparisons.Where(c => c.Type == BaconComparisonType.TreatedVsNever), c => Assert.Equal(0, c.Control));
    }

    [Fact]
    public void Decompose_TreatedVsNeverTwoByTwo_EqualsHandComputedDid()
    {
        // 2 units, 3 periods: cohort 2 treated from period 2, never-treated unit. DiD = (mean(5,7) − 1) − (mean(2,2) − 1) = 5 − 1 = 4.
        var panel = StaggeredPanel.Create(["a", "a", "a", "b", "b", "b"], [1, 2, 3, 1, 2, 3], [2, 2, 2, 0, 0, 0], [1, 5, 7, 1, 2, 2]).Balance();
        var result = BaconDecomposition.Decompose(panel);
        var only = Assert.Single(result.Comparisons);
        Assert.Equal(4.0, only.Estimate, 1e-12);
        Assert.Equal(1.0, only.Weight, 1e-12);
        Assert.Equal(4.0, result.TwfeEstimate, 1e-12);
    }
}
