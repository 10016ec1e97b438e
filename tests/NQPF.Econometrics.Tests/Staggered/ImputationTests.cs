using System.Globalization;
using NQPF.Econometrics.Staggered;
using Xunit.Abstractions;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Borusyak–Jaravel–Spiess imputation against didimputation 0.5.0 on mpdta (didimputation_mpdta.json:
/// did_imputation(yname = "lemp", gname = "first.treat", tname = "year", idname = "countyreal"), static, horizon = TRUE
/// and pretrends = TRUE). Tolerance 1e-6 on estimates (acceptance) and on SEs.
/// </summary>
public sealed class ImputationTests(ITestOutputHelper output)
{
    [Fact]
    public void Estimate_Mpdta_MatchesDidimputation()
    {
        var reference = ReferenceData.Expected("didimputation_mpdta.json").GetProperty("mpdta");
        var result = Imputation.Estimate(ReferenceData.Mpdta());
        var dev = new MaxDeviation(1e-6, "didimputation");
        var stat = reference.GetProperty("static")[0];
        dev.Check(stat.GetProperty("estimate").GetDouble(), stat.GetProperty("std.error").GetDouble(), result.Att, result.AttSe, "static");
        var rows = reference.GetProperty("horizon_with_pretrends").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, result.Event.Count);
        foreach (var row in rows)
        {
            long e = long.Parse(row.GetProperty("term").GetString()!, CultureInfo.InvariantCulture);
            var actual = Assert.Single(result.Event, x => x.E == e);
            dev.Check(row.GetProperty("estimate").GetDouble(), row.GetProperty("std.error").GetDouble(), actual.Estimate, actual.Se, $"e = {e}");
        }
        output.WriteLine(dev.ToString());
    }

    [Fact]
    public void TwoWayLevels_UnbalancedSubsample_FittedValuesEqualEconFixedEffectProjection()
    {
        // α_i + λ_t from the normal equations must equal y − M_D y computed by the econ FE demeaning on the same rows.
        var panel = ReferenceData.Mpdta();
        var untreated = Enumerable.Range(0, panel.ObservationCount)
            .Select(o => panel.UnitCohort[panel.ObsUnit[o]] is var g && (g == 0 || panel.Periods[panel.ObsPeriod[o]] < g)).ToArray();
        var (alpha, lambda) = TwoWayLevels.Fit(panel.ObsUnit, panel.ObsPeriod, untreated, panel.UnitCount, panel.PeriodCount, panel.Y);
        var fe = FixedEffects.Absorb(
            [Factor.FromCodes("unit", panel.ObsUnit, panel.UnitCount), Factor.FromCodes("period", panel.ObsPeriod, panel.PeriodCount)],
            new AbsorbOptions(DropSingletons: false), untreated);
        var y = fe.Gather(panel.Y);
        var resid = new double[y.Length];
        fe.Demean(y, resid, fe.CreateWorkspace());
        for (int k = 0; k < fe.N; k++)
        {
            int o = fe.Rows[k];
            Assert.Equal(y[k] - resid[k], alpha[panel.ObsUnit[o]] + lambda[panel.ObsPeriod[o]], 1e-8);
        }
    }
}
