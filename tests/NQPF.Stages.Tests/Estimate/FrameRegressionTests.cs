using NQPF.Econometrics;
using NQPF.Stages.Estimate;

namespace NQPF.Stages.Tests.Estimate;

public sealed class FrameRegressionTests
{
    /// <summary>A seeded 30 × 6 city-year panel with a text city key, a long year, and a staggered dummy.</summary>
    private static Frame Panel(int seed = 4)
    {
        var rng = new Random(seed);
        var city = new List<string?>();
        var year = new List<long>();
        var d = new List<long>();
        var x = new List<double>();
        var y = new List<double>();
        for (var c = 0; c < 30; c++)
        {
            var alpha = rng.NextDouble();
            for (var t = 2011; t <= 2016; t++)
            {
                city.Add((110000 + c * 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
                year.Add(t);
                var treated = c % 3 == 0 && t >= 2013 + c % 4 ? 1L : 0L;
                d.Add(treated);
                var xi = rng.NextDouble();
                x.Add(xi);
                y.Add(0.3 * treated + 0.5 * xi + alpha + 0.01 * t + rng.NextDouble());
            }
        }
        return new Frame(new StringColumn("city_code", city.ToArray()), new LongColumn("year", year.ToArray()),
            new LongColumn("d", d.ToArray()), new DoubleColumn("x", x.ToArray()), new DoubleColumn("y", y.ToArray()));
    }

    [Fact]
    public void Estimate_TextCityAndLongYear_EqualsDirectLibraryCall()
    {
        var frame = Panel();
        var result = FrameRegression.Estimate(frame, new ModelSpec("y", ["d", "x"], ["city_code", "year"], ["city_code"]));
        var city = Factor.FromStrings("city_code", frame.Strings("city_code"));
        var fit = Regression.Fit(new RegressionInput("y", frame.Doubles("y"),
            [new("d", frame.Longs("d").Select(v => (double)v).ToArray()), new("x", frame.Doubles("x"))],
            [city, Factor.FromLongs("year", frame.Longs("year"))]));
        var direct = Inference.Summarise(fit, VcovSpec.Cluster(city));
        Assert.Equal(direct.Coefficients, result.Coefficients);
        Assert.Equal(8, result.Vcov.Recipe.K); // 2 slopes + 6 years + 1 (city FE nested in the cluster) − 1
    }

    [Fact]
    public void Estimate_MissingCityKey_DropsThatRowOnly()
    {
        var frame = Panel();
        var city = frame.Strings("city_code").ToArray();
        city[7] = null;
        var withMissing = new Frame(frame.Columns.Select(c => c.Name == "city_code" ? new StringColumn("city_code", city) : c));
        var result = FrameRegression.Estimate(withMissing, new ModelSpec("y", ["d", "x"], ["city_code", "year"], ["city_code"]));
        Assert.Equal(frame.RowCount - 1, result.Fit.N);
    }

    [Fact]
    public void Estimate_UnknownColumn_ThrowsNamingIt()
    {
        var ex = Assert.Throws<DataValidationException>(() =>
            FrameRegression.Estimate(Panel(), new ModelSpec("y", ["nope"], ["city_code"], ["city_code"])));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }
}
