using NQPF.Stages.Common;

namespace NQPF.Stages.Tests.Common;

public sealed class CityYearJoinTests
{
    private static Frame Table(params (string? City, long Year)[] rows) => new(
        new StringColumn(Columns.CityCode, [.. rows.Select(r => r.City)]),
        new LongColumn(Columns.Year, [.. rows.Select(r => r.Year)]));

    [Fact]
    public void Rows_EveryBaseCityYearPresent_RowOfEachInTheJoinedTable()
    {
        var joined = Table(("110000", 2012), ("110000", 2011), ("120000", 2011), ("130100", 2011));

        var rows = CityYearJoin.Rows(joined, "clean/panel", ["120000", "110000", "110000"], [2011, 2011, 2012], "index/index");

        Assert.Equal([2, 1, 0], rows);
    }

    [Fact]
    public void Rows_BaseCityYearMissing_FailsNamingTableCityAndYear()
    {
        var joined = Table(("110000", 2011));

        var e = Assert.Throws<DataValidationException>(() =>
            CityYearJoin.Rows(joined, "clean/panel", ["110000", "110000"], [2011, 2012], "cohorts/treatment"));

        Assert.Equal("clean/panel has no row for city 110000 in 2012 (present in cohorts/treatment).", e.Message);
    }

    [Fact]
    public void Rows_TwoRowsForOneCityYear_Refused()
    {
        var joined = Table(("110000", 2011), ("110000", 2011));

        var e = Assert.Throws<DataValidationException>(() => CityYearJoin.Rows(joined, "index/index", ["110000"], [2011], "x"));

        Assert.Equal("index/index has two rows for city 110000, year 2011.", e.Message);
    }
}
