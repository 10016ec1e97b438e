using System.Text;
using NQPF.Stages.Common;

namespace NQPF.Stages.Tests;

/// <summary>Small indicator systems and panels for stage tests.</summary>
internal static class TestSystems
{
    /// <summary>Two dimensions: "people" (x per capita "+", y share "−") and "tools" (z per area "+"); a control and a mediator.</summary>
    public const string Json = """
        {
          "Dimensions": [ { "Name": "people" }, { "Name": "tools" } ],
          "Indicators": [
            { "Name": "x_pc", "Dimension": "people", "Direction": "+", "Formula": "x / pop * 10000" },
            { "Name": "y_share", "Dimension": "people", "Direction": "-", "Formula": "y / (x + y)" },
            { "Name": "z_area", "Dimension": "tools", "Direction": "+", "Formula": "z / area" }
          ],
          "Controls": [ { "Name": "lnpop", "Formula": "ln(pop)" } ],
          "Mediators": [ { "Name": "dens", "Formula": "pop / area" } ]
        }
        """;

    public static IndicatorSystem Indicators() => IndicatorSystem.FromJson(Encoding.UTF8.GetBytes(Json), "indicators.json");

    /// <summary>A long panel (city_code, year, field, value) from (city, year, field, value) tuples.</summary>
    public static Frame LongPanel(IEnumerable<(string City, long Year, string Field, double Value)> rows)
    {
        var r = rows.ToArray();
        return new Frame(
            new StringColumn("city_code", r.Select(x => (string?)x.City).ToArray()),
            new LongColumn("year", r.Select(x => x.Year).ToArray()),
            new StringColumn("field", r.Select(x => (string?)x.Field).ToArray()),
            new DoubleColumn("value", r.Select(x => x.Value).ToArray()));
    }

    /// <summary>Deterministic fields x, y, z, pop, area for <paramref name="cities"/> from <paramref name="firstYear"/> to <paramref name="lastYear"/>; a city-year's values do not depend on the range.</summary>
    public static List<(string City, long Year, string Field, double Value)> Fields(int cities, int firstYear, int lastYear, int seed)
    {
        var rows = new List<(string, long, string, double)>();
        for (var c = 0; c < cities; c++)
        {
            var code = (110000 + 100 * c).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
            var size = 50 + 400 * new Random(seed * 7919 + c).NextDouble();
            for (var year = firstYear; year <= lastYear; year++)
            {
                // One generator per city-year, so a longer panel repeats the shorter one's values.
                var rng = new Random(seed * 100_003 + c * 1_009 + year);
                var trend = 1 + 0.05 * (year - firstYear);
                rows.Add((code, year, "pop", size * (1 + 0.01 * (year - firstYear))));
                rows.Add((code, year, "area", 1000 + 10 * c));
                rows.Add((code, year, "x", size * trend * (1 + rng.NextDouble())));
                rows.Add((code, year, "y", 10 + 5 * rng.NextDouble()));
                rows.Add((code, year, "z", 100 * trend + 50 * rng.NextDouble()));
            }
        }
        return rows;
    }
}
