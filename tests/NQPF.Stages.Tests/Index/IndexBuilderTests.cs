using NQPF.Econometrics.CompositeIndex;
using NQPF.Stages.Clean;
using NQPF.Stages.Index;

namespace NQPF.Stages.Tests.Index;

public sealed class IndexBuilderTests
{
    private static Frame Panel(int lastYear, int seed = 5)
    {
        var rows = TestSystems.Fields(12, 2011, lastYear, seed);
        var units = rows.Select(r => r.City).Distinct().Select(c => new SampleUnit(c, c, true, null)).ToList();
        return CleanPanelBuilder.Build(TestSystems.LongPanel(rows), units, TestSystems.Indicators(),
            new CleanOptions { FirstYear = 2011, LastYear = lastYear }).Panel;
    }

    [Fact]
    public void Build_Global_IndexEqualsLibraryFitAndSubIndicesAdd()
    {
        var panel = Panel(2015);
        var t = IndexBuilder.Build(panel, TestSystems.Indicators(), new IndexOptions(), baseModel: null);
        var system = TestSystems.Indicators();
        var columns = system.IndexIndicators.Select(i => panel.Doubles(i.Name)).ToArray();
        var expected = EntropyIndex.Fit(system.IndexIndicators, columns).Score(columns);
        Assert.Equal(expected.Entropy, t.Index.Doubles("nqpf"));
        Assert.Equal(["city_code", "year", "nqpf", "nqpf_people", "nqpf_tools", "nqpf_topsis", "nqpf_equal", "nqpf_pca", "nqpf_entropy_peryear"],
            t.Index.Columns.Select(c => c.Name));
        for (var i = 0; i < t.Index.RowCount; i++)
            Assert.Equal(t.Index.Doubles("nqpf")[i], t.Index.Doubles("nqpf_people")[i] + t.Index.Doubles("nqpf_tools")[i], 1e-12);
        Assert.Equal(1.0, t.Weights.Doubles("weight").Sum(), 1e-12);
        Assert.Equal(3 * 5, t.WeightsByYear.RowCount);
        Assert.Contains("shift constant A: 0.0001", t.Settings, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Descriptives_CoverPanelAndIndex()
    {
        var panel = Panel(2013);
        var t = IndexBuilder.Build(panel, TestSystems.Indicators(), new IndexOptions(), null);
        var names = t.Descriptives.Strings("variable");
        Assert.Contains("lnpop", names);
        Assert.Contains("nqpf_pca", names);
        var i = Array.IndexOf(names, "x_pc");
        var x = panel.Doubles("x_pc");
        Assert.Equal(x.Length, t.Descriptives.Longs("n")[i]);
        Assert.Equal(x.Average(), t.Descriptives.Doubles("mean")[i], 1e-12);
        Assert.Equal(x.Max(), t.Descriptives.Doubles("max")[i]);
        // sd with n − 1, as R's sd() and Stata's summarize.
        Assert.Equal(Math.Sqrt(x.Sum(v => (v - x.Average()) * (v - x.Average())) / (x.Length - 1)), t.Descriptives.Doubles("sd")[i], 1e-12);
    }

    [Fact]
    public void Build_NewYearGlobalVersusFixedBase_HistoryMovesOnlyInGlobalMode()
    {
        var system = TestSystems.Indicators();
        var panel2015 = Panel(2015);
        var panel2016 = Panel(2016);
        var first = IndexBuilder.Build(panel2015, system, new IndexOptions(), null);
        Assert.Equal(panel2015.Doubles("x_pc"), panel2016.Doubles("x_pc").Where((_, i) => panel2016.Longs("year")[i] <= 2015));

        var global = IndexBuilder.Build(panel2016, system, new IndexOptions(), null);
        var baseModel = WeightsFrame.ToModel(first.Weights, OutOfBaseRule.Extrapolate, "base.json");
        var fixedBase = IndexBuilder.Build(panel2016, system, new IndexOptions { BaseWeightsFile = "base.json" }, baseModel, "base.json");

        var movedGlobal = VintageComparison.Compare(first.Weights, global.Weights, first.Index, global.Index, 2011, 2015);
        var movedFixed = VintageComparison.Compare(first.Weights, fixedBase.Weights, first.Index, fixedBase.Index, 2011, 2015);
        var nqpfRow = Array.IndexOf(movedGlobal.Strings("name"), "nqpf");
        Assert.Equal(12 * 5, movedGlobal.Longs("n")[nqpfRow]);
        Assert.True(movedGlobal.Doubles("max_abs_diff")[nqpfRow] > 1e-4);
        Assert.True(movedGlobal.Longs("moved")[nqpfRow] > 50);
        Assert.Equal(0.0, movedFixed.Doubles("max_abs_diff")[nqpfRow]);
        Assert.Equal(0, movedFixed.Longs("moved")[nqpfRow]);
        Assert.Equal(0.0, movedFixed.Doubles("max_abs_diff")[Array.IndexOf(movedFixed.Strings("name"), "nqpf_pca")]);
        Assert.Equal(0, movedFixed.Longs("n")[Array.IndexOf(movedFixed.Strings("name"), "city_years_added")]);
        Assert.All(Enumerable.Range(0, movedFixed.RowCount).Where(r => movedFixed.Strings("kind")[r] == "weight"),
            r => Assert.Equal(0.0, movedFixed.Doubles("max_abs_diff")[r]));
        Assert.Contains("| index | nqpf | 60 |", VintageComparison.Summary(movedGlobal, 2011, 2015), StringComparison.Ordinal);
        Assert.StartsWith("base:base.json", fixedBase.Weights.Strings("source")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BaseForOtherSystem_Throws()
    {
        var first = IndexBuilder.Build(Panel(2013), TestSystems.Indicators(), new IndexOptions(), null);
        var model = WeightsFrame.ToModel(first.Weights, OutOfBaseRule.Clamp, "b");
        var reordered = model with { Indicators = model.Indicators.Reverse().ToArray() };
        Assert.Throws<ConfigValidationException>(() => IndexBuilder.Build(Panel(2013), TestSystems.Indicators(), new IndexOptions(), reordered));
    }

    [Fact]
    public void Build_PerYear_MainIndexIsPerYearEntropy()
    {
        var t = IndexBuilder.Build(Panel(2014), TestSystems.Indicators(), new IndexOptions { Normalisation = Normalisation.PerYear, Times100 = true }, null);
        Assert.Equal(t.Index.Doubles("nqpf_entropy_peryear"), t.Index.Doubles("nqpf"));
        Assert.True(t.Index.Doubles("nqpf").Max() > 1);
    }

    [Fact]
    public void Build_MissingIndicatorCell_ThrowsNamingCityAndYear()
    {
        var panel = Panel(2013);
        var x = (double[])panel.Doubles("y_share").Clone();
        x[4] = double.NaN;
        var broken = new Frame(panel.Columns.Select(c => c.Name == "y_share" ? new DoubleColumn("y_share", x) : c));
        var e = Assert.Throws<DataValidationException>(() => IndexBuilder.Build(broken, TestSystems.Indicators(), new IndexOptions(), null));
        Assert.Contains($"'y_share' is missing for city {panel.Strings("city_code")[4]} year {panel.Longs("year")[4]}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IndicatorMissingEverywhere_LeftOutAndListed()
    {
        var panel = Panel(2013);
        var absent = new Frame(panel.Columns.Select(c => c.Name == "y_share" ? new DoubleColumn("y_share", Enumerable.Repeat(double.NaN, panel.RowCount).ToArray()) : c));
        var t = IndexBuilder.Build(absent, TestSystems.Indicators(), new IndexOptions(), null);
        Assert.DoesNotContain("y_share", t.Weights.Strings("indicator"));
        Assert.Contains("## Indicators not available", t.Settings, StringComparison.Ordinal);
        Assert.Contains("y_share (0 %)", t.Settings, StringComparison.Ordinal);
        Assert.All(t.Index.Doubles("nqpf"), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WeightsFrame_RoundTrip_ScoresIdentically()
    {
        var panel = Panel(2013);
        var t = IndexBuilder.Build(panel, TestSystems.Indicators(), new IndexOptions { Shift = 0.01, ScoreBasis = ScoreBasis.Unshifted }, null);
        var model = WeightsFrame.ToModel(t.Weights, OutOfBaseRule.Extrapolate, "w");
        Assert.Equal(0.01, model.Options.Shift);
        var again = IndexBuilder.Build(panel, TestSystems.Indicators(), new IndexOptions(), model, "w");
        Assert.Equal(t.Index.Doubles("nqpf"), again.Index.Doubles("nqpf"));
        Assert.Equal(t.Index.Doubles("nqpf_topsis"), again.Index.Doubles("nqpf_topsis"));
    }
}
