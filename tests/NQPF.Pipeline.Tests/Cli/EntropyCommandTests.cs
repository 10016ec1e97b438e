using System.Text.Json;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Cli;

public sealed class EntropyCommandTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private string Data(string name, string csv)
    {
        var path = Path.Combine(_ws.Root, name);
        File.WriteAllText(path, csv);
        return path;
    }

    [Fact]
    public async Task Entropy_HandMatrixJson_WeightsAndScoresInRowOrder()
    {
        // The 3×2 matrix of EntropyIndexTests (a "+", b "−"), with A = 0: w = [0.5371499, 0.4628501],
        // scores [0, 0.6419001, 0.7685749] (hand arithmetic in NQPF.Econometrics.Tests/CompositeIndex/EntropyIndexTests).
        var file = Data("m.csv", "id,a,b\nx,1,30\ny,2,10\nz,4,20\n");
        var (code, output, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b", "--directions", "+,-", "--shift", "0", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var weights = doc.RootElement.GetProperty("weights").EnumerateArray().ToArray();
        Assert.Equal(["a", "b"], weights.Select(w => w.GetProperty("column").GetString()));
        Assert.Equal(0.5371499, weights[0].GetProperty("weight").GetDouble(), 1e-7);
        Assert.Equal(0.4628501, weights[1].GetProperty("weight").GetDouble(), 1e-7);
        var scores = doc.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        Assert.Equal([0, 0.6419001, 0.7685749], scores, (p, q) => Math.Abs(p - q) < 1e-7);
        Assert.Equal("global", doc.RootElement.GetProperty("settings").GetProperty("normalisation").GetString());
    }

    [Fact]
    public async Task Entropy_DefaultShiftText_PrintsWeightsAndScores()
    {
        // Default A = 0.0001: w_a = 0.5371515, scores [0.0001, 0.6419990, 0.7686758] (EntropyIndexTests).
        var file = Data("m.csv", "a,b\n1,30\n2,10\n4,20\n");
        var (code, output, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b", "--directions", "+,-");
        Assert.True(code == 0, error);
        Assert.Contains("shift 0.0001", output, StringComparison.Ordinal);
        Assert.Contains("0.537152", output, StringComparison.Ordinal);
        Assert.Contains("3,0.76867577", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entropy_PerYear_WeightsPerYearAndScoresWithinYear()
    {
        // Year 2011 holds the hand matrix; year 2012 the same rows reversed, so each year's weights are equal.
        var file = Data("p.csv", "year,a,b\n2011,1,30\n2012,4,20\n2011,2,10\n2012,2,10\n2011,4,20\n2012,1,30\n");
        var (code, output, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b", "--directions", "+,-",
            "--shift", "0", "--per-year", "--time", "year", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var weights = doc.RootElement.GetProperty("weights").EnumerateArray().ToArray();
        Assert.Equal(4, weights.Length);
        Assert.Equal([2011L, 2011L, 2012L, 2012L], weights.Select(w => w.GetProperty("year").GetInt64()));
        Assert.Equal(weights[0].GetProperty("weight").GetDouble(), weights[2].GetProperty("weight").GetDouble(), 1e-15);
        var scores = doc.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        Assert.Equal([0, 0.7685749, 0.6419001, 0.6419001, 0.7685749, 0], scores, (p, q) => Math.Abs(p - q) < 1e-7);
    }

    [Fact]
    public async Task Entropy_MissingCell_FailsNamingRowAndColumn()
    {
        var file = Data("bad.csv", "a,b\n1,30\n2,\n4,20\n");
        var (code, _, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b", "--directions", "+,-");
        Assert.Equal(1, code);
        Assert.Contains("row 3, column 'b': '' is missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entropy_ConstantColumn_WeightZeroNotNaN()
    {
        var file = Data("c.csv", "a,b,c\n1,30,5\n2,10,5\n4,20,5\n");
        var (code, output, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b,c", "--directions", "+,-,+", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(0.0, doc.RootElement.GetProperty("weights")[2].GetProperty("weight").GetDouble());
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b", "+")]
    [InlineData("a", "up")]
    [InlineData("a,zz", "+,+")]
    public async Task Entropy_BadArguments_UsageError(string columns, string directions)
    {
        var file = Data("m.csv", "a,b\n1,30\n2,10\n4,20\n");
        var (code, _, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", columns, "--directions", directions);
        Assert.Equal(2, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entropy_SingleRow_FailsWithClearMessage()
    {
        var file = Data("one.csv", "a,b\n1,30\n");
        var (code, _, error) = await _ws.CliAsync("entropy", "--data", file, "--columns", "a,b", "--directions", "+,-");
        Assert.Equal(1, code);
        Assert.Contains("at least 2 rows", error, StringComparison.Ordinal);
    }
}
