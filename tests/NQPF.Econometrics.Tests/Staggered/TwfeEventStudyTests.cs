using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// TWFE event study. No R file holds this regression on mpdta, so it is checked (a) against Sun–Abraham, which equals
/// it when only one cohort is treated and which itself matches fixest sunab (sunab_mpdta.json), to 1e-10; and
/// (b) by the documented binning and ATT definitions on mpdta.
/// </summary>
public sealed class TwfeEventStudyTests
{
    private static StaggeredPanel SingleCohort()
    {
        var c = ReferenceData.ReadCsv("mpdta.csv");
        var keep = Enumerable.Range(0, c["year"].Length).Where(r => c["first.treat"][r] is "0" or "2004").ToArray();
        var year = ReferenceData.Longs(c["year"]);
        var cohort = ReferenceData.Longs(c["first.treat"]);
        var y = ReferenceData.Doubles(c["lemp"]);
        return StaggeredPanel.Create(
            keep.Select(r => c["countyreal"][r]).ToArray(), keep.Select(r => year[r]).ToArray(),
            keep.Select(r => cohort[r]).ToArray(), keep.Select(r => y[r]).ToArray());
    }

    [Fact]
    public void Estimate_SingleCohort_EqualsSunAbraham()
    {
        var panel = SingleCohort();
        var twfe = TwfeEventStudy.Estimate(panel);
        var sa = SunAbraham.Estimate(panel);
        Assert.Equal(sa.Event.Count, twfe.Event.Count);
        for (int j = 0; j < sa.Event.Count; j++)
        {
            Assert.Equal(sa.Event[j].E, twfe.Event[j].E);
            Assert.Equal(sa.Event[j].Estimate, twfe.Event[j].Estimate, 1e-10);
            Assert.Equal(sa.Event[j].Se, twfe.Event[j].Se, 1e-10);
        }
        // One cohort: SA's share-weighted ATT and the equal-weight mean coincide only if cells are equal-sized (they are: balanced).
        Assert.Equal(sa.Att, twfe.Att, 1e-10);
        Assert.Equal(sa.AttSe, twfe.AttSe, 1e-10);
    }

    [Fact]
    public void Estimate_BinnedWindow_PoolsEndpointsAndOmitsMinusOne()
    {
        var result = TwfeEventStudy.Estimate(ReferenceData.Mpdta(), leads: 2, lags: 1);
        Assert.Equal([-2L, 0L, 1L], result.Event.Select(e => e.E).ToArray());
        // e ≤ −2 pooled: cohort 2007 has e = −4, −3 (2 × 131 obs) and 2006 has e = −3 (40 obs) beyond −2; e ≥ 1 pooled: 2004 has e = 2, 3 (2 × 20).
        Assert.Contains(result.Notes, n => n.Contains("302 observations pooled into the e = -2 bin, 40 into the e = 1 bin", StringComparison.Ordinal));
        Assert.Equal((result.Event[1].Estimate + result.Event[2].Estimate) / 2, result.Att, 1e-12);
        Assert.InRange(result.AttSe, 0.5 * Math.Min(result.Event[1].Se, result.Event[2].Se), Math.Max(result.Event[1].Se, result.Event[2].Se));
    }

    [Fact]
    public void Estimate_LeadsZero_Throws()
    {
        Assert.Throws<ArgumentException>(() => TwfeEventStudy.Estimate(ReferenceData.Mpdta(), leads: 0, lags: 2));
    }
}
