using NQPF.Econometrics.Placebo;

namespace NQPF.Econometrics.Tests.Placebo;

public class PlaceboDesignTests
{
    // 6 units × years 2010–2015; units 0–2 treated in 2012, 2013, 2013.
    private static PlaceboDesign Design()
    {
        var units = new List<int>();
        var years = new List<long>();
        for (var u = 0; u < 6; u++)
        {
            for (var y = 2010L; y <= 2015; y++) { units.Add(u); years.Add(y); }
        }
        return new PlaceboDesign([.. units], [.. years], [2012, 2013, 2013, 0, 0, 0]);
    }

    [Fact]
    public void DrawRandom_SameSeedAndDraw_SameStreamWhateverElseRan()
    {
        var a = new DrawRandom(42, 7);
        _ = new DrawRandom(42, 6).NextUInt64();
        var b = new DrawRandom(42, 7);
        for (var i = 0; i < 5; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(new DrawRandom(42, 7).NextUInt64(), new DrawRandom(42, 8).NextUInt64());
        Assert.NotEqual(new DrawRandom(42, 7).NextUInt64(), new DrawRandom(43, 7).NextUInt64());
    }

    // Chi-square goodness of fit of 60,000 NextInt(6) values: df = 5, 0.999 quantile 20.52 (fails by chance 1 in 1000,
    // but the stream is fixed, so the outcome is deterministic).
    [Fact]
    public void NextInt_ManyValues_UniformByChiSquare()
    {
        var rng = new DrawRandom(2024, 0);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++) counts[rng.NextInt(6)]++;
        var chi2 = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi2 < 20.52, $"chi2 = {chi2}");
    }

    [Fact]
    public void DrawCohorts_Unit_PermutesRealCohorts()
    {
        var d = Design();
        for (var b = 0; b < 20; b++)
        {
            var c = d.DrawCohorts(PlaceboKind.Unit, 1, b);
            Assert.Equal(d.RealCohort.OrderBy(v => v), c.OrderBy(v => v));
        }
        Assert.Equal(d.DrawCohorts(PlaceboKind.Unit, 1, 3), d.DrawCohorts(PlaceboKind.Unit, 1, 3));
    }

    [Fact]
    public void DrawCohorts_Timing_ShiftsTreatedOneToThreeYearsEarlier()
    {
        var d = Design();
        var seen = new HashSet<long>();
        for (var b = 0; b < 50; b++)
        {
            var c = d.DrawCohorts(PlaceboKind.Timing, 9, b);
            for (var u = 0; u < 6; u++)
            {
                if (d.RealCohort[u] == 0) { Assert.Equal(0, c[u]); continue; }
                var shift = d.RealCohort[u] - c[u];
                Assert.InRange(shift, 1, 3);
                seen.Add(shift);
            }
        }
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void DrawCohorts_Mixed_SameTreatedCountYearsAfterFirst()
    {
        var d = Design();
        for (var b = 0; b < 50; b++)
        {
            var c = d.DrawCohorts(PlaceboKind.Mixed, 5, b);
            Assert.Equal(3, c.Count(v => v > 0));
            Assert.All(c.Where(v => v > 0), v => Assert.InRange(v, 2011, 2015));
        }
    }

    [Fact]
    public void Sample_Timing_DropsTreatedUnitsFromTheirRealCohortOn()
    {
        var d = Design();
        var s = d.Sample(PlaceboKind.Timing);
        for (var i = 0; i < d.Rows; i++)
        {
            var c = d.RealCohort[d.UnitOfRow[i]];
            Assert.Equal(c == 0 || d.YearOfRow[i] < c, s[i]);
        }
        Assert.All(d.Sample(PlaceboKind.Unit), Assert.True);
    }

    [Fact]
    public void FillTreatment_Cohorts_SwitchesOnFromCohortYear()
    {
        var d = Design();
        var t = new double[d.Rows];
        d.FillTreatment(d.RealCohort, t);
        Assert.Equal([0, 0, 1, 1, 1, 1], t[..6]);
        Assert.Equal(3 * 6 - 2 - 3 - 3, (int)t.Sum());
    }
}
