using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Stages.Estimate;

namespace NQPF.Stages.Tests.Estimate;

/// <summary>
/// The estimate stage on a seeded synthetic study with a planted pattern (cluster pilot effect 0.04 > broadband 0.02,
/// dual 0.08 > either single pilot; innovation mediates part of the effect): the baseline must recover the ordering
/// and significance, the Wald test must reject dual = single, and every table must be rendered in all formats.
/// </summary>
public sealed class EstimateStageTests
{
    private static readonly EstimateOptions FastOptions = new() { PermutationDraws = 30, BootstrapDraws = 20, Groupings = ["central", "large"] };

    /// <summary>One run shared by the read-only tests (the stage is deterministic for a seed).</summary>
    private static readonly Lazy<StageResult> Shared = new(() => Run(FastOptions));

    internal static Dictionary<string, Frame> Inputs(int seed = 12, int cities = 150)
    {
        var rng = new Random(seed);
        var years = Enumerable.Range(2011, 11).ToArray();
        var n = cities * years.Length;
        var code = new string?[n];
        var year = new long[n];
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "bb", "cl", "dual", "single", "any_pilot", "bb_only", "cl_only", "bb_first", "cl_first" }) t[name] = new long[n];
        var order = new string?[n];
        var y = new double[n];
        var clean = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "lnpgdp", "industry", "gov", "open", "fin", "lndensity", "agglomeration", "innovation" }) clean[name] = new double[n];
        var attributes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var name in new[] { "resource_based", "central", "large", "target_hard", "target_intensified" }) attributes[name] = new long[cities];
        var i = 0;
        for (var c = 0; c < cities; c++)
        {
            long[] bbChoices = [0, 0, 2014, 2015, 2016];
            long[] clChoices = [0, 0, 0, 2013, 2014, 2017];
            var bbFirst = bbChoices[rng.Next(bbChoices.Length)];
            var clFirst = clChoices[rng.Next(clChoices.Length)];
            var alpha = rng.NextDouble() * 0.2;
            foreach (var name in attributes.Keys) attributes[name][c] = rng.Next(2);
            var ord = bbFirst > 0 && clFirst > 0 ? clFirst < bbFirst ? "cluster_first" : bbFirst < clFirst ? "broadband_first" : "same_year" : "none";
            foreach (var yr in years)
            {
                code[i] = (100000 + c * 100).ToString(CultureInfo.InvariantCulture);
                year[i] = yr;
                var bb = bbFirst > 0 && yr >= bbFirst;
                var cl = clFirst > 0 && yr >= clFirst;
                t["bb"][i] = bb ? 1 : 0;
                t["cl"][i] = cl ? 1 : 0;
                t["dual"][i] = bb && cl ? 1 : 0;
                t["single"][i] = bb ^ cl ? 1 : 0;
                t["any_pilot"][i] = bb || cl ? 1 : 0;
                t["bb_only"][i] = bb && !cl ? 1 : 0;
                t["cl_only"][i] = cl && !bb ? 1 : 0;
                t["bb_first"][i] = bbFirst;
                t["cl_first"][i] = clFirst;
                order[i] = ord;
                foreach (var name in new[] { "lnpgdp", "industry", "gov", "open", "fin", "lndensity" }) clean[name][i] = rng.NextDouble();
                var effect = bb && cl ? 0.08 : cl ? 0.04 : bb ? 0.02 : 0.0;
                clean["agglomeration"][i] = alpha + 0.3 * effect + 0.02 * rng.NextDouble();
                clean["innovation"][i] = alpha + 0.5 * effect + 0.02 * rng.NextDouble();
                // Half the effect runs through innovation (a = 0.5·effect, b = 1), half is direct.
                y[i] = 0.004 * (yr - 2011) + 0.75 * effect + clean["innovation"][i] + 0.01 * clean["lnpgdp"][i] + 0.02 * rng.NextDouble();
                i++;
            }
        }
        var treatment = new List<Column> { new StringColumn("city_code", code), new LongColumn("year", year) };
        treatment.AddRange(t.Select(kv => (Column)new LongColumn(kv.Key, kv.Value)));
        treatment.Add(new StringColumn("order", order));
        var cleanColumns = new List<Column> { new StringColumn("city_code", code), new LongColumn("year", year) };
        cleanColumns.AddRange(clean.Select(kv => (Column)new DoubleColumn(kv.Key, kv.Value)));
        var cityCodes = Enumerable.Range(0, cities).Select(c => (string?)(100000 + c * 100).ToString(CultureInfo.InvariantCulture)).ToArray();
        var attributeColumns = new List<Column> { new StringColumn("city_code", cityCodes) };
        attributeColumns.AddRange(attributes.Select(kv => (Column)new LongColumn(kv.Key, kv.Value)));
        return new Dictionary<string, Frame>(StringComparer.Ordinal)
        {
            ["index/index"] = new Frame(new StringColumn("city_code", code), new LongColumn("year", year), new DoubleColumn("nqpf", y)),
            ["cohorts/treatment"] = new Frame(treatment),
            ["clean/panel"] = new Frame(cleanColumns),
            ["cohorts/attributes"] = new Frame(attributeColumns),
        };
    }

    private static StageResult Run(EstimateOptions options, Dictionary<string, Frame>? inputs = null) =>
        new EstimateStage(options).Run(new StageContext(inputs ?? Inputs(), [], new Progress<StageProgress>(), NullLogger.Instance), CancellationToken.None);

    private static (double Estimate, double P) Coefficient(Frame table, long model, string term)
    {
        for (var r = 0; r < table.RowCount; r++)
            if (table.Longs("model")[r] == model && table.Strings("term")[r] == term)
                return (table.Doubles("estimate")[r], table.Doubles("p")[r]);
        throw new KeyNotFoundException($"model {model} term {term}");
    }

    [Fact]
    public void Run_PlantedPattern_BaselineRecoversOrderingAndSignificance()
    {
        var result = Shared.Value;
        var baseline = result.Tables["baseline"];
        var bb = Coefficient(baseline, 2, "bb");
        var cl = Coefficient(baseline, 4, "cl");
        var dual = Coefficient(baseline, 6, "dual");
        Assert.All(new[] { bb, cl, dual }, c => Assert.True(c.Estimate > 0 && c.P < 0.01, $"{c}"));
        Assert.True(cl.Estimate > bb.Estimate);

        var wald = result.Tables["wald"];
        var row = Enumerable.Range(0, wald.RowCount).First(r => wald.Strings("table")[r] == "single_dual" && wald.Longs("model")[r] == 2);
        Assert.True(wald.Doubles("difference")[row] > 0);
        Assert.True(wald.Doubles("p_one_sided")[row] < 0.01);
        Assert.Equal("dual = single", wald.Strings("hypothesis")[row]);
    }

    [Fact]
    public void Run_Default_WritesEveryTableAsMarkdownLatexAndCsvWithRecipeAndDataNote()
    {
        var result = Shared.Value;
        var names = result.Documents.Select(d => d.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var table in new[] { "baseline", "single_dual", "order", "mechanisms", "mediation", "heterogeneity_tests", "heterogeneity_central" })
            foreach (var ext in new[] { ".md", ".tex", ".csv" })
                Assert.Contains(table + ext, names);
        var md = Encoding.UTF8.GetString(result.Documents.First(d => d.RelativePath == "baseline.md").Content);
        Assert.Contains("SE clustered by city_code (G = 150)", md, StringComparison.Ordinal);
        Assert.Contains("simulated", md, StringComparison.Ordinal);
        Assert.Contains("| City FE | Yes |", md, StringComparison.Ordinal);
        Assert.Contains("***", md, StringComparison.Ordinal);
        var tex = Encoding.UTF8.GetString(result.Documents.First(d => d.RelativePath == "baseline.tex").Content);
        Assert.Contains("\\begin{tabular}", tex, StringComparison.Ordinal);
        Assert.DoesNotContain("city_code (G", tex, StringComparison.Ordinal); // underscores are escaped in LaTeX
    }

    [Fact]
    public void Run_MechanismsAndMediation_IndirectEffectOfInnovationIsPositiveWithBootstrapCi()
    {
        var result = Shared.Value;
        var mediation = result.Tables["mediation"];
        var row = Enumerable.Range(0, mediation.RowCount).First(r => mediation.Strings("treatment")[r] == "dual" && mediation.Strings("mediator")[r] == "innovation");
        Assert.True(mediation.Doubles("a")[row] > 0);
        Assert.True(mediation.Doubles("b")[row] > 0.5);
        Assert.True(mediation.Doubles("boot_low")[row] < mediation.Doubles("boot_high")[row]);
        Assert.True(mediation.Doubles("indirect")[row] > 0);
        Assert.Equal(20, mediation.Longs("boot_draws")[row]);
        var a = mediation.Doubles("a")[row];
        var se = mediation.Doubles("se_a")[row];
        var b = mediation.Doubles("b")[row];
        var seb = mediation.Doubles("se_b")[row];
        Assert.Equal(Math.Sqrt(b * b * se * se + a * a * seb * seb), mediation.Doubles("sobel_se")[row], 12);
    }

    [Fact]
    public void Run_SameSeed_GivesIdenticalPermutationAndBootstrapResults()
    {
        var small = FastOptions with { Treatments = ["dual"], Mediators = ["innovation"], Groupings = ["central"] };
        var first = Run(small);
        var second = Run(small);
        Assert.Equal(first.Tables["heterogeneity_tests"].Doubles("permutation_p"), second.Tables["heterogeneity_tests"].Doubles("permutation_p"));
        Assert.Equal(first.Tables["mediation"].Doubles("boot_low"), second.Tables["mediation"].Doubles("boot_low"));
        var other = Run(small with { Seed = 99 });
        Assert.NotEqual(first.Tables["mediation"].Doubles("boot_low"), other.Tables["mediation"].Doubles("boot_low"));
    }

    [Fact]
    public void Run_MissingControlColumn_ThrowsNamingItAndTheInput()
    {
        var ex = Assert.Throws<DataValidationException>(() => Run(FastOptions with { Controls = ["lnpgdp", "no_such_control"] }, Inputs(cities: 10)));
        Assert.Contains("'no_such_control'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("clean/panel", ex.Message, StringComparison.Ordinal);
    }
}
