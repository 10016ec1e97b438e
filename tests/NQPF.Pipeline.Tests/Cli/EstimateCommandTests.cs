using System.Globalization;
using System.Text.Json;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>
/// The estimate verb end to end on mpdta (lemp ~ treat_post | countyreal + year) against R fixest 0.14.2
/// (tests/reference/expected/twfe_mpdta.json): estimate 1e-8 relative, SE 1e-6 relative.
/// </summary>
public sealed class EstimateCommandTests : IDisposable
{
    private readonly Workspace _ws = new();
    private readonly string _csv;
    private readonly JsonElement _expected;

    public EstimateCommandTests()
    {
        var reference = ReferenceFiles.Root;
        _expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(reference, "expected", "twfe_mpdta.json"))).RootElement.GetProperty("fixest");
        // mpdta plus the treated-now dummy treat_post = first.treat > 0 & year >= first.treat, as in the reference.
        var lines = File.ReadAllLines(Path.Combine(reference, "datasets", "mpdta.csv"));
        var output = new List<string> { lines[0] + ",\"treat_post\"" };
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var year = double.Parse(f[0], CultureInfo.InvariantCulture);
            var first = double.Parse(f[4], CultureInfo.InvariantCulture);
            output.Add(line + (first > 0 && year >= first ? ",1" : ",0"));
        }
        _csv = Path.Combine(_ws.Root, "mpdta.csv");
        File.WriteAllLines(_csv, output);
    }

    public void Dispose() => _ws.Dispose();

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R}"));

    private async Task<JsonElement> EstimateJson(string data, params string[] extra)
    {
        var (code, output, error) = await _ws.CliAsync(["estimate", "--data", data, "--y", "lemp", "--x", "treat_post", "--fe", "countyreal,year", "--json", .. extra]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Theory]
    [InlineData("default", "cluster_default", 6)]
    [InlineData("full", "cluster_Kfixef_full", 505)]
    [InlineData("none", "cluster_no_adj", 1)]
    public async Task Estimate_MpdtaClustered_MatchesFixestUnderEachConvention(string ssc, string key, int k)
    {
        var json = await EstimateJson(_csv, "--cluster", "countyreal", "--ssc", ssc);
        var row = json.GetProperty("coefficients")[0];
        Assert.Equal("treat_post", row.GetProperty("term").GetString());
        Close(_expected.GetProperty(key).GetProperty("estimate").GetDouble(), row.GetProperty("estimate").GetDouble(), 1e-8, "estimate");
        Close(_expected.GetProperty(key).GetProperty("se").GetDouble(), row.GetProperty("se").GetDouble(), 1e-6, "se");
        Close(_expected.GetProperty(key).GetProperty("p").GetDouble(), row.GetProperty("p").GetDouble(), 1e-6, "p");
        Assert.Equal(2500, json.GetProperty("n").GetInt32());
        var vcov = json.GetProperty("vcov");
        Assert.Equal("cluster", vcov.GetProperty("type").GetString());
        Assert.Equal(500, vcov.GetProperty("clusters")[0].GetInt32());
        Assert.Equal(k, vcov.GetProperty("K").GetInt32());
        Assert.Equal(499, vcov.GetProperty("t_df").GetDouble());
        Assert.True(row.GetProperty("ci_low").GetDouble() < row.GetProperty("estimate").GetDouble());
    }

    [Fact]
    public async Task Estimate_MpdtaIidAndTwoWay_MatchFixest()
    {
        var iid = (await EstimateJson(_csv, "--vcov", "iid")).GetProperty("coefficients")[0];
        Close(_expected.GetProperty("iid").GetProperty("se").GetDouble(), iid.GetProperty("se").GetDouble(), 1e-6, "iid se");
        var hetero = (await EstimateJson(_csv, "--vcov", "hetero")).GetProperty("coefficients")[0];
        Close(_expected.GetProperty("hetero").GetProperty("se").GetDouble(), hetero.GetProperty("se").GetDouble(), 1e-6, "hetero se");
        var twoWay = await EstimateJson(_csv, "--cluster", "countyreal,year");
        Close(_expected.GetProperty("twoway_cluster_county_year").GetProperty("se").GetDouble(),
            twoWay.GetProperty("coefficients")[0].GetProperty("se").GetDouble(), 1e-6, "two-way se");
        Assert.Equal(4, twoWay.GetProperty("vcov").GetProperty("t_df").GetDouble());
    }

    [Fact]
    public async Task Estimate_ParquetInput_GivesTheSameNumbersAsCsv()
    {
        var frame = await TableFiles.ReadAsync(_csv, CancellationToken.None);
        var parquet = Path.Combine(_ws.Root, "mpdta.parquet");
        await File.WriteAllBytesAsync(parquet, await ParquetFrames.ToBytesAsync(frame, CancellationToken.None));
        var fromCsv = await EstimateJson(_csv, "--cluster", "countyreal");
        var fromParquet = await EstimateJson(parquet, "--cluster", "countyreal");
        Assert.Equal(fromCsv.GetProperty("coefficients").GetRawText(), fromParquet.GetProperty("coefficients").GetRawText());
    }

    [Fact]
    public async Task Estimate_TableOutput_PrintsCoefficientAndRecipe()
    {
        var (code, output, _) = await _ws.CliAsync("estimate", "--data", _csv, "--y", "lemp", "--x", "treat_post,lpop", "--fe", "countyreal,year", "--cluster", "countyreal");
        Assert.Equal(0, code);
        Assert.Contains("treat_post", output, StringComparison.Ordinal);
        Assert.Contains("Dropped as collinear: lpop", output, StringComparison.Ordinal);
        Assert.Contains("SE clustered by countyreal (G = 500)", output, StringComparison.Ordinal);
        Assert.Contains("K = 6", output, StringComparison.Ordinal);
        Assert.Contains("t df = 499", output, StringComparison.Ordinal);
    }

    // Weighted least squares through the verb: constant weights leave every number unchanged (β, and the sandwich is
    // invariant to scaling w), population weights move the estimate; the estimator itself is checked against weighted
    // dummy-variable OLS in NQPF.Econometrics.Tests/WeightedRegressionTests.
    [Fact]
    public async Task Estimate_Weights_ConstantWeightsChangeNothingAndPopulationWeightsApply()
    {
        var lines = File.ReadAllLines(_csv);
        var weighted = Path.Combine(_ws.Root, "mpdta_w.csv");
        File.WriteAllLines(weighted, [lines[0] + ",\"three\",\"pop\"", .. lines.Skip(1).Select(l =>
            l + ",3," + Math.Exp(double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture))]);
        var plain = await EstimateJson(weighted, "--cluster", "countyreal");
        var three = await EstimateJson(weighted, "--cluster", "countyreal", "--weights", "three");
        var pop = await EstimateJson(weighted, "--cluster", "countyreal", "--weights", "pop");

        double Coef(JsonElement e, string field) => e.GetProperty("coefficients")[0].GetProperty(field).GetDouble();
        Close(Coef(plain, "estimate"), Coef(three, "estimate"), 1e-10, "estimate under constant weights");
        Close(Coef(plain, "se"), Coef(three, "se"), 1e-10, "se under constant weights");
        Assert.Equal("three", three.GetProperty("weights").GetString());
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("weights").ValueKind);
        Assert.True(Math.Abs(Coef(pop, "estimate") - Coef(plain, "estimate")) > 1e-4, "population weights should move the estimate");
        var (code, table, _) = await _ws.CliAsync("estimate", "--data", weighted, "--y", "lemp", "--x", "treat_post", "--fe", "countyreal,year", "--weights", "pop");
        Assert.Equal(0, code);
        Assert.Contains("WLS of lemp, weighted by pop", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_UnknownColumn_ExitsNonZeroNamingIt()
    {
        var (code, _, error) = await _ws.CliAsync("estimate", "--data", _csv, "--y", "lemp", "--x", "nonexistent", "--fe", "countyreal");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.StartsWith("error: mpdta.csv: no column 'nonexistent' (columns: year, countyreal, lpop, lemp, first.treat, treat, treat_post)", error, StringComparison.Ordinal);
    }

    /// <summary>A regressor the fixed effects absorb is an error in the user's model: one line naming the file, exit 1, no stack trace.</summary>
    [Fact]
    public async Task Estimate_RegressorAbsorbedByFixedEffects_ExitsWithOneLineNamingFileAndRegressor()
    {
        var (code, _, error) = await _ws.CliAsync("estimate", "--data", _csv, "--y", "lemp", "--x", "treat", "--fe", "countyreal,year");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.StartsWith($"error: {_csv}: estimate: Regressor 'treat' is collinear with the fixed effects (countyreal + year)", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Estimate_OutcomeMissingAsNA_DropsTheRow()
    {
        var full = await EstimateJson(_csv);
        var withNa = WithOutcomeCell(3, "NA");
        var json = await EstimateJson(withNa);
        Assert.Equal(full.GetProperty("n").GetInt32() - 1, json.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Estimate_OutcomeCellNotANumber_ExitsNamingFileColumnRowAndCell()
    {
        var (code, _, error) = await _ws.CliAsync("estimate", "--data", WithOutcomeCell(3, "n.a."), "--y", "lemp", "--x", "treat_post", "--fe", "countyreal,year");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("bad.csv: column 'lemp' must be numeric, but data row 3 has 'n.a.'", error, StringComparison.Ordinal);
    }

    /// <summary>A copy of the data with the outcome (lemp) of data row <paramref name="row"/> replaced by <paramref name="cell"/>.</summary>
    private string WithOutcomeCell(int row, string cell)
    {
        var lines = File.ReadAllLines(_csv);
        var lemp = Array.IndexOf(lines[0].Split(','), "\"lemp\"");
        var fields = lines[row].Split(',');
        fields[lemp] = cell;
        lines[row] = string.Join(',', fields);
        var path = Path.Combine(_ws.Root, "bad.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    // castle, l_homicide ~ post | sid + year, 10 region clusters (region = (sid − 1) mod 10 + 1), every sign vector
    // enumerated: fwildclusterboot 0.13.0 (tests/reference/expected/wcb_castle.json, case twfe_absorbed_G10); t 1e-8
    // relative, p exact, CI refined to the p-value jump 1e-8 absolute.
    [Fact]
    public async Task Estimate_WildBootstrapOnCastle_MatchesBoottest()
    {
        var lines = File.ReadAllLines(ReferenceFiles.Dataset("castle.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var sid = header.IndexOf("sid");
        var castle = Path.Combine(_ws.Root, "castle.csv");
        File.WriteAllLines(castle, lines.Take(1).Select(l => l + ",\"region\"").Concat(lines.Skip(1).Select(l =>
            l + "," + ((int.Parse(l.Split(',')[sid], CultureInfo.InvariantCulture) - 1) % 10 + 1).ToString(CultureInfo.InvariantCulture))));
        var (code, output, error) = await _ws.CliAsync(["estimate", "--data", castle, "--y", "l_homicide", "--x", "post", "--fe", "sid,year",
            "--cluster", "region", "--wild-bootstrap", "9999", "--json"]);
        Assert.True(code == 0, error);
        var wild = JsonDocument.Parse(output).RootElement.GetProperty("wild_bootstrap");
        var expected = JsonDocument.Parse(File.ReadAllText(ReferenceFiles.Expected("wcb_castle.json"))).RootElement.GetProperty("cases")[0];
        Assert.Equal("post", wild.GetProperty("term").GetString());
        Assert.True(wild.GetProperty("enumerated").GetBoolean());
        Assert.Equal(1024, wild.GetProperty("draws").GetInt32());
        Close(expected.GetProperty("t_stat").GetDouble(), wild.GetProperty("t").GetDouble(), 1e-8, "t");
        Assert.Equal(expected.GetProperty("p_value").GetDouble(), wild.GetProperty("p").GetDouble());
        Assert.InRange(wild.GetProperty("ci_low").GetDouble() - expected.GetProperty("conf_int_refined")[0].GetDouble(), -1e-8, 1e-8);
        Assert.InRange(wild.GetProperty("ci_high").GetDouble() - expected.GetProperty("conf_int_refined")[1].GetDouble(), -1e-8, 1e-8);
    }

    [Fact]
    public async Task Estimate_WildBootstrapWithoutCluster_FailsWithUsage()
    {
        var (code, _, error) = await _ws.CliAsync(["estimate", "--data", _csv, "--y", "lemp", "--x", "treat_post", "--fe", "countyreal,year",
            "--vcov", "iid", "--wild-bootstrap", "999"]);
        Assert.NotEqual(0, code);
        Assert.Contains("exactly one cluster variable", error, StringComparison.Ordinal);
    }
}
