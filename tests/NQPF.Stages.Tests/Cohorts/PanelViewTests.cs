using NQPF.Stages.Cohorts;

namespace NQPF.Stages.Tests.Cohorts;

public class PanelViewTests
{
    private static Frame Wide(params (string City, long Year)[] rows) => new(
        new StringColumn("city_code", rows.Select(r => (string?)r.City).ToArray()),
        new LongColumn("year", rows.Select(r => r.Year).ToArray()));

    private static Frame Long(params (string City, long Year, string Field, double Value)[] rows) =>
        TestSystems.LongPanel(rows);

    [Fact]
    public void From_LongPopulationPanel_SampleFromSamplePanelOnly()
    {
        var view = PanelView.From("clean/panel", Wide(("130100", 2012), ("130100", 2011), ("130600", 2011)),
            "ingest/panel", Long(("130100", 2011, "pop_registered_district", 300), ("130100", 2011, "pop_registered", 1000),
                ("999999", 2011, "pop_registered_district", 5)),
            "pop_registered_district");

        Assert.Equal(["130100", "130600"], view.Sample.Order(StringComparer.Ordinal));
        Assert.Equal([2011, 2012], view.Years);
        Assert.Equal(300, view.Population[("130100", 2011)]);
        Assert.Single(view.Population);
    }

    [Fact]
    public void From_WideWithoutPopulationColumn_ThrowsNamingColumns()
    {
        var ex = Assert.Throws<ConfigValidationException>(() =>
            PanelView.From("clean/panel", Wide(("130100", 2011)), "clean/panel", Wide(("130100", 2011)), "pop"));

        Assert.Contains("clean/panel has no column 'pop' (columns: city_code, year)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PopulationNear_MissingYear_NearestEarlierOnTie()
    {
        var view = PanelView.From("clean/panel", Wide(("130100", 2011), ("130100", 2015)), "ingest/panel",
            Long(("130100", 2012, "pop", 10), ("130100", 2014, "pop", 20), ("130100", 2013, "pop", double.NaN)), "pop");

        Assert.Equal(10, view.PopulationNear("130100", 2013, out var from));
        Assert.Equal(2012, from);
        Assert.Equal(20, view.PopulationNear("130100", 2015, out from));
        Assert.Equal(2014, from);
        Assert.True(double.IsNaN(view.PopulationNear("130600", 2013, out from)));
        Assert.Equal(0, from);
    }
}
