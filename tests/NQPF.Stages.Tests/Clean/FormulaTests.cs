using NQPF.Stages.Common;

namespace NQPF.Stages.Tests.Clean;

public sealed class FormulaTests
{
    private static double Eval(string text, params (string Name, double Value)[] fields) =>
        Formula.Parse(text, "test").Evaluate(f => fields.Single(x => x.Name == f).Value, "test");

    [Theory]
    [InlineData("a / b * 10000", 250.0)]
    [InlineData("(a + b) / b", 1.025)]
    [InlineData("a - b - 1", -391.0)]
    [InlineData("-a + 2 * b", 790.0)]
    [InlineData("ln(b / a)", 3.6888794541139363)]
    [InlineData("sqrt(a * 4) + abs(0 - 1)", 7.324555320336759)]
    [InlineData("1.5e2 + a", 160.0)]
    public void Evaluate_Arithmetic_FollowsPrecedence(string text, double expected) =>
        Assert.Equal(expected, Eval(text, ("a", 10), ("b", 400)), 1e-12);

    [Fact]
    public void Parse_Fields_ListedOnceInOrder() =>
        Assert.Equal(["gdp", "population", "area"], Formula.Parse("gdp / population + gdp / area", "x").Fields);

    [Fact]
    public void Evaluate_MissingField_GivesNaN() =>
        Assert.True(double.IsNaN(Eval("a / b", ("a", double.NaN), ("b", 2))));

    [Fact]
    public void Evaluate_DivisionByZero_ThrowsNamingPlace()
    {
        var e = Assert.Throws<DataValidationException>(() =>
            Formula.Parse("a / b", "v").Evaluate(f => f == "a" ? 1 : 0, "city 110000 year 2012"));
        Assert.Contains("city 110000 year 2012: division by zero in 'a / b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LogOfZero_Throws() =>
        Assert.Throws<DataValidationException>(() => Eval("ln(a)", ("a", 0)));

    [Theory]
    [InlineData("a / ")]
    [InlineData("(a + b")]
    [InlineData("exp(a)")]
    [InlineData("a $ b")]
    public void Parse_Malformed_ThrowsConfigError(string text)
    {
        var e = Assert.Throws<ConfigValidationException>(() => Formula.Parse(text, "indicators.json: indicator 'x'"));
        Assert.StartsWith("indicators.json: indicator 'x': formula", e.Message, StringComparison.Ordinal);
    }
}
