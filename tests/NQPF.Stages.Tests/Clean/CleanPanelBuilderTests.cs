using NQPF.Stages.Clean;

namespace NQPF.Stages.Tests.Clean;

public sealed class CleanPanelBuilderTests
{
    private static readonly CleanOptions Options = new() { FirstYear = 2011, LastYear = 2015, MaxGap = 2 };

    private static List<SampleUnit> Units(int n) =>
        Enumerable.Range(0, n).Select(c => new SampleUnit((110000 + 100 * c).ToString(System.Globalization.CultureInfo.InvariantCulture), $"City{c}", true, null)).ToList();

    [Fact]
    public void Build_CompleteData_BalancedPanelOfDerivedVariables()
    {
        var rows = TestSystems.Fields(3, 2011, 2015, seed: 1);
        var t = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(3), TestSystems.Indicators(), Options);
        Assert.Equal(15, t.Panel.RowCount);
        Assert.Equal(["city_code", "year", "x_pc", "y_share", "z_area", "lnpop", "dens"], t.Panel.Columns.Select(c => c.Name));
        var x = rows.Single(r => r.City == "110100" && r.Year == 2013 && r.Field == "x").Value;
        var pop = rows.Single(r => r.City == "110100" && r.Year == 2013 && r.Field == "pop").Value;
        Assert.Equal("110100", t.Panel.Strings("city_code")[7]);
        Assert.Equal(2013, t.Panel.Longs("year")[7]);
        Assert.Equal(x / pop * 10000, t.Panel.Doubles("x_pc")[7], 1e-9);
        Assert.Equal(Math.Log(pop), t.Panel.Doubles("lnpop")[7], 1e-12);
        Assert.Equal(0, t.Imputations.RowCount);
        Assert.All(t.Sample.Bools("included"), Assert.True);
    }

    [Fact]
    public void Build_ShortGap_InterpolatedAndEveryCellRecorded()
    {
        var rows = TestSystems.Fields(2, 2011, 2015, seed: 2);
        rows.RemoveAll(r => r.City == "110000" && r.Field == "z" && r.Year is 2012 or 2013);
        var t = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(2), TestSystems.Indicators(), Options);
        var z11 = t.Panel.Doubles("z_area")[0];
        var z14 = t.Panel.Doubles("z_area")[3];
        Assert.Equal(z11 + (z14 - z11) / 3, t.Panel.Doubles("z_area")[1], 1e-12);
        Assert.Equal(2, t.Imputations.RowCount);
        Assert.Equal(new[] { "z_area", "z_area" }, t.Imputations.Strings("variable").Select(s => s!));
        Assert.Equal([2012L, 2013L], t.Imputations.Longs("year"));
        Assert.Equal(new[] { "linear", "linear" }, t.Imputations.Strings("method").Select(s => s!));
    }

    [Fact]
    public void Build_LongGap_CityDroppedWithReason()
    {
        var rows = TestSystems.Fields(3, 2011, 2015, seed: 3);
        rows.RemoveAll(r => r.City == "110200" && r.Field == "y" && r.Year >= 2012);
        var units = Units(3);
        units.Add(new SampleUnit("999900", "Outside", false, "province: excluded"));
        var t = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), units, TestSystems.Indicators(), Options);
        Assert.Equal(10, t.Panel.RowCount);
        Assert.DoesNotContain("110200", t.Panel.Strings("city_code"));
        var i = Array.IndexOf(t.Sample.Strings("city_code"), "110200");
        Assert.False(t.Sample.Bools("included")[i]);
        Assert.Contains("y_share missing 2012–2015 (4 years)", t.Sample.Strings("reason")[i], StringComparison.Ordinal);
        Assert.Equal("province: excluded", t.Sample.Strings("reason")[Array.IndexOf(t.Sample.Strings("city_code"), "999900")]);
        Assert.Equal(1, t.Gaps.RowCount);
        Assert.DoesNotContain("110200", t.Imputations.Strings("city_code"));
    }

    [Fact]
    public void Build_LongGapWithFailAction_ThrowsNamingCity()
    {
        var rows = TestSystems.Fields(2, 2011, 2015, seed: 3);
        rows.RemoveAll(r => r.City == "110100" && r.Field == "z");
        var e = Assert.Throws<DataValidationException>(() =>
            CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(2), TestSystems.Indicators(), Options with { OnLongGap = GapAction.Fail }));
        Assert.Contains("city 110100 (City1): z_area has no value in any year", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LogAndWinsorise_AppliedToFinalSample()
    {
        var rows = TestSystems.Fields(4, 2011, 2015, seed: 4);
        var plain = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(4), TestSystems.Indicators(), Options);
        var t = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(4), TestSystems.Indicators(),
            Options with { Log = ["dens"], Winsorise = ["x_pc"], WinsoriseLower = 0.1, WinsoriseUpper = 0.9 });
        Assert.Equal(Math.Log(plain.Panel.Doubles("dens")[5]), t.Panel.Doubles("dens")[5], 1e-12);
        var hi = NQPF.Stages.Clean.Transforms.Quantile(plain.Panel.Doubles("x_pc"), 0.9);
        Assert.Equal(hi, t.Panel.Doubles("x_pc").Max(), 1e-12);
    }

    [Fact]
    public void Build_UnknownTransformVariable_ThrowsConfigError()
    {
        var e = Assert.Throws<ConfigValidationException>(() => CleanPanelBuilder.Build(
            TestSystems.LongPanel(TestSystems.Fields(1, 2011, 2012, 1)), Units(1), TestSystems.Indicators(), Options with { Log = ["nope"] }));
        Assert.Contains("Clean:Log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DuplicateCell_Throws()
    {
        var rows = TestSystems.Fields(1, 2011, 2012, 1);
        rows.Add(rows[0]);
        Assert.Throws<DataValidationException>(() =>
            CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(1), TestSystems.Indicators(), Options with { LastYear = 2012 }));
    }

    [Fact]
    public void Build_LastYearZero_PanelEndsAtTheLastYearWithData()
    {
        var rows = TestSystems.Fields(2, 2011, 2016, seed: 5);
        // A 2017 row whose value is missing does not make 2017 a data year.
        rows.Add(("110000", 2017, "x", double.NaN));
        var auto = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(2), TestSystems.Indicators(), Options with { LastYear = 0 });
        var pinned = CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(2), TestSystems.Indicators(), Options with { LastYear = 2016 });
        Assert.Equal(2016, auto.LastYear);
        Assert.Equal(12, auto.Panel.RowCount);
        Assert.Equal(pinned.Panel.Doubles("x_pc"), auto.Panel.Doubles("x_pc"));
        // A fixed LastYear ignores the later year.
        Assert.Equal(2015, CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(2), TestSystems.Indicators(), Options).LastYear);
    }

    [Fact]
    public void Build_LastYearZeroAndNoDataFromFirstYear_ThrowsNamingFirstYear()
    {
        var rows = TestSystems.Fields(1, 2008, 2010, seed: 6);
        var e = Assert.Throws<DataValidationException>(() =>
            CleanPanelBuilder.Build(TestSystems.LongPanel(rows), Units(1), TestSystems.Indicators(), Options with { LastYear = 0 }));
        Assert.Contains("FirstYear 2011", e.Message, StringComparison.Ordinal);
    }
}
