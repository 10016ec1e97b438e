using MathNet.Numerics.Distributions;
using NQPF.Econometrics.Staggered;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// The joint pre-trend tests of the event-time estimators (leads e ≤ −2 jointly 0, Wald with the estimator's own
/// vcov). No R file holds them on mpdta, so they are checked through quantities that are: a single restriction is the
/// squared t of the coefficient (whose estimate and SE match fixest / didimputation in the estimators' own tests), and
/// with one treated cohort Sun–Abraham's aggregated-lead test is the TWFE event study's dummy test, to 1e-10.
/// </summary>
public sealed class PretrendTests
{
    private static StaggeredPanel Cohorts(params string[] keepCohorts)
    {
        var c = ReferenceData.ReadCsv("mpdta.csv");
        var keep = Enumerable.Range(0, c["year"].Length).Where(r => c["first.treat"][r] == "0" || keepCohorts.Contains(c["first.treat"][r])).ToArray();
        var year = ReferenceData.Longs(c["year"]);
        var cohort = ReferenceData.Longs(c["first.treat"]);
        var y = ReferenceData.Doubles(c["lemp"]);
        return StaggeredPanel.Create(keep.Select(r => c["countyreal"][r]).ToArray(), keep.Select(r => year[r]).ToArray(),
            keep.Select(r => cohort[r]).ToArray(), keep.Select(r => y[r]).ToArray());
    }

    private static double SquaredT(EventEffect e) => e.Estimate / e.Se * (e.Estimate / e.Se);

    [Fact]
    public void Pretrend_SingleCohort_SunAbrahamEqualsTwfeEventStudy()
    {
        var panel = Cohorts("2007");
        var twfe = TwfeEventStudy.Estimate(panel).Pretrend!;
        var sa = SunAbraham.Estimate(panel).Pretrend!;
        Assert.Equal(3, twfe.Restrictions); // cohort 2007 in 2003–2005: e = −4, −3, −2
        Assert.Equal(twfe.Restrictions, sa.Restrictions);
        Assert.Equal(twfe.Chi2, sa.Chi2, 1e-10);
        Assert.Equal(twfe.ChiP, sa.ChiP, 1e-10);
        Assert.Equal(twfe.FP, sa.FP, 1e-10);
    }

    [Fact]
    public void Pretrend_OneBinnedLead_IsSquaredT()
    {
        var result = TwfeEventStudy.Estimate(ReferenceData.Mpdta(), leads: 2, lags: 2);
        var lead = result.Event.Single(e => e.E == -2);
        Assert.Equal(1, result.Pretrend!.Restrictions);
        Assert.Equal(SquaredT(lead), result.Pretrend.Chi2, 1e-10);
        Assert.Equal(2 * Normal.CDF(0, 1, -Math.Abs(lead.Estimate / lead.Se)), result.Pretrend.ChiP, 1e-10);
    }

    [Fact]
    public void Pretrend_Imputation_TestsEveryPreTrendCoefficient()
    {
        // Cohort 2006 is untreated in 2003–2005: pre-trend coefficients e = −3, −2 (−1 the reference).
        var two = Imputation.Estimate(Cohorts("2006"));
        Assert.Equal(2, two.Pretrend!.Restrictions);
        Assert.True(two.Pretrend.Chi2 >= two.Event.Where(e => e.E <= -2).Max(SquaredT) - 1e-10, "a joint Wald statistic is at least each single t²");
        // Full mpdta: e = −4, −3, −2 (the coefficients of didimputation_mpdta.json), jointly.
        var all = Imputation.Estimate(ReferenceData.Mpdta());
        Assert.Equal(3, all.Pretrend!.Restrictions);
        Assert.InRange(all.Pretrend.ChiP, 0, 1);
        Assert.True(all.Pretrend.Chi2 >= all.Event.Where(e => e.E <= -2).Max(SquaredT) - 1e-10, "a joint Wald statistic is at least each single t²");
    }

    [Fact]
    public void Pretrend_OutcomeFittedExactly_IsNaNNotAnError()
    {
        // y = unit effect + period effect with no noise: the clustered vcov is 0 and R V R' singular.
        var units = new List<string>();
        var periods = new List<long>();
        var cohorts = new List<long>();
        var y = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            for (long t = 2001; t <= 2006; t++)
            {
                units.Add("u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                periods.Add(t);
                cohorts.Add(i < 4 ? 0 : i < 8 ? 2004 : 2005);
                y.Add(0.5 * i + 0.25 * (t - 2001));
            }
        }
        var panel = StaggeredPanel.Create(units, periods.ToArray(), cohorts.ToArray(), y.ToArray());
        var result = TwfeEventStudy.Estimate(panel);
        Assert.True(double.IsNaN(result.Pretrend!.Chi2));
        Assert.Contains("not testable", result.Pretrend.Hypothesis, StringComparison.Ordinal);
    }
}
