using System.Globalization;
using System.Text.Json;
using NQPF.Econometrics.Staggered;
using Xunit.Abstractions;

namespace NQPF.Econometrics.Tests.Staggered;

/// <summary>
/// Callaway–Sant'Anna against R did 2.3.0 / DRDID 1.2.3 on mpdta (reference: tests/reference/expected/cs_mpdta.json,
/// computed with att_gt(..., bstrap = FALSE) and aggte(..., bstrap = FALSE)). Tolerances from the acceptance criteria:
/// 1e-6 absolute on point estimates, 1e-4 relative on analytic SEs.
/// </summary>
public sealed class CallawaySantAnnaTests(ITestOutputHelper output)
{
    private const double PointTolerance = 1e-6;
    private const double SeRelativeTolerance = 1e-4;

    public static TheoryData<string> Specs()
    {
        var data = new TheoryData<string>();
        foreach (var spec in ReferenceData.Expected("cs_mpdta.json").GetProperty("specs").EnumerateObject())
            data.Add(spec.Name);
        return data;
    }

    private static CsSettings SettingsOf(JsonElement spec) => new()
    {
        Control = spec.GetProperty("control_group").GetString() == "notyettreated" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated,
        Base = spec.GetProperty("base_period").GetString() == "universal" ? BasePeriod.Universal : BasePeriod.Varying,
        Method = spec.GetProperty("est_method").GetString() switch { "reg" => CsMethod.Reg, "ipw" => CsMethod.Ipw, _ => CsMethod.Dr },
        Covariates = spec.GetProperty("xformla").GetString() == "~lpop" ? ["lpop"] : [],
    };

    private static double Se(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    private sealed class Deviation
    {
        public double Point;
        public double SeRelative;

        public void Compare(double expected, double actual, double expectedSe, double actualSe, string what)
        {
            double dp = Math.Abs(expected - actual);
            Assert.True(dp <= PointTolerance, $"{what}: estimate {actual.ToString("R", CultureInfo.InvariantCulture)} vs R {expected.ToString("R", CultureInfo.InvariantCulture)}");
            Point = Math.Max(Point, dp);
            if (double.IsNaN(expectedSe))
            {
                Assert.True(double.IsNaN(actualSe), $"{what}: SE {actualSe} but R reports none");
                return;
            }
            double rel = Math.Abs(expectedSe - actualSe) / expectedSe;
            Assert.True(rel <= SeRelativeTolerance, $"{what}: SE {actualSe.ToString("R", CultureInfo.InvariantCulture)} vs R {expectedSe.ToString("R", CultureInfo.InvariantCulture)}");
            SeRelative = Math.Max(SeRelative, rel);
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Estimate_MpdtaSpec_MatchesRDid(string label)
    {
        var spec = ReferenceData.Expected("cs_mpdta.json").GetProperty("specs").GetProperty(label);
        var panel = ReferenceData.Mpdta().Balance();
        var result = CallawaySantAnna.Estimate(panel, SettingsOf(spec));
        var dev = new Deviation();

        Assert.Equal(spec.GetProperty("n_units").GetInt32(), result.UnitCount);
        var expectedCells = spec.GetProperty("att_gt").EnumerateArray().ToArray();
        Assert.Equal(expectedCells.Length, result.Cells.Count);
        for (int c = 0; c < expectedCells.Length; c++)
        {
            var e = expectedCells[c];
            var a = result.Cells[c];
            Assert.Equal(e.GetProperty("group").GetInt64(), a.Group);
            Assert.Equal(e.GetProperty("t").GetInt64(), a.Time);
            dev.Compare(e.GetProperty("att").GetDouble(), a.Att, Se(e.GetProperty("se")), a.Se, $"ATT({a.Group},{a.Time})");
        }
        Assert.Equal(spec.GetProperty("pretest_wald").GetDouble(), result.PretestWald, 1e-6);

        var aggte = spec.GetProperty("aggte");
        foreach (var (key, type, options) in new (string, CsAggregationType, AggregationOptions?)[]
        {
            ("simple", CsAggregationType.Simple, null),
            ("dynamic", CsAggregationType.Dynamic, null),
            ("group", CsAggregationType.Group, null),
            ("calendar", CsAggregationType.Calendar, null),
            ("dynamic_balance_e1", CsAggregationType.Dynamic, new AggregationOptions(BalanceE: 1)),
        })
        {
            var expected = aggte.GetProperty(key);
            var agg = CsAggregation.Aggregate(result, type, options);
            dev.Compare(expected.GetProperty("overall_att").GetDouble(), agg.Att, Se(expected.GetProperty("overall_se")), agg.Se, $"{key} overall");
            if (!expected.TryGetProperty("by", out var by)) continue;
            var rows = by.EnumerateArray().ToArray();
            Assert.Equal(rows.Length, agg.By.Count);
            for (int j = 0; j < rows.Length; j++)
            {
                Assert.Equal(rows[j].GetProperty("value").GetInt64(), agg.By[j].Value);
                dev.Compare(rows[j].GetProperty("att").GetDouble(), agg.By[j].Att, Se(rows[j].GetProperty("se")), agg.By[j].Se, $"{key} {agg.By[j].Value}");
            }
        }
        output.WriteLine(FormattableString.Invariant($"{label}: max |Δatt| = {dev.Point:E2}, max relative ΔSE = {dev.SeRelative:E2}"));
    }
}
