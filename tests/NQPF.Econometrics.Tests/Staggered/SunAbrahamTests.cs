using System.Globalization;
using NQPF.Econometrics.Staggered;
using Xunit.Abstractions;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Sun–Abraham against fixest 0.14.2 <c>feols(lemp ~ sunab(cohort, year) | countyreal + year, cluster = ~countyreal)</c>
/// on mpdta (sunab_mpdta.json). Tolerance 1e-6 on estimates (acceptance) and on SEs (same vcov conventions).
/// </summary>
public sealed class SunAbrahamTests(ITestOutputHelper output)
{
    [Fact]
    public void Estimate_Mpdta_MatchesFixestSunab()
    {
        var reference = ReferenceData.Expected("sunab_mpdta.json").GetProperty("mpdta");
        var result = SunAbraham.Estimate(ReferenceData.Mpdta());
        var dev = new MaxDeviation(1e-6, "fixest");

        var cxp = reference.GetProperty("cohort_x_period").EnumerateArray().ToArray();
        Assert.Equal(cxp.Length, result.CohortEffects.Count);
        foreach (var row in cxp)
        {
            // "year::-4:cohort::2007"
            var parts = row.GetProperty("term").GetString()!.Split(':', StringSplitOptions.RemoveEmptyEntries);
            long e = long.Parse(parts[1], CultureInfo.InvariantCulture), g = long.Parse(parts[3], CultureInfo.InvariantCulture);
            var actual = Assert.Single(result.CohortEffects, c => c.Cohort == g && c.E == e);
            dev.Check(row.GetProperty("estimate").GetDouble(), row.GetProperty("se").GetDouble(), actual.Estimate, actual.Se, $"β({g},{e})");
        }
        var events = reference.GetProperty("event_time").EnumerateArray().ToArray();
        Assert.Equal(events.Length, result.Event.Count);
        foreach (var row in events)
        {
            long e = long.Parse(row.GetProperty("term").GetString()!["year::".Length..], CultureInfo.InvariantCulture);
            var actual = Assert.Single(result.Event, x => x.E == e);
            dev.Check(row.GetProperty("estimate").GetDouble(), row.GetProperty("se").GetDouble(), actual.Estimate, actual.Se, $"e = {e}");
        }
        var att = reference.GetProperty("att")[0];
        dev.Check(att.GetProperty("estimate").GetDouble(), att.GetProperty("se").GetDouble(), result.Att, result.AttSe, "ATT");
        Assert.Equal(reference.GetProperty("nobs").GetInt32(), result.Observations);
        output.WriteLine(dev.ToString());
    }

    [Fact]
    public void Estimate_LastTreatedControl_DropsLaterPeriodsAndUsesNoInteractionsForLastCohort()
    {
        var result = SunAbraham.Estimate(ReferenceData.Mpdta(), SaControl.LastTreated);
        Assert.DoesNotContain(result.CohortEffects, c => c.Cohort == 2007);
        Assert.All(result.CohortEffects, c => Assert.True(c.Cohort + c.E < 2007));
        var drop = Assert.Single(result.Drops, d => d.Reason.Contains("2007", StringComparison.Ordinal));
        Assert.Equal(500, drop.Rows);
        Assert.Equal(2000, result.Observations);
    }
}
