using System.Globalization;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Cohorts;

/// <summary>
/// <c>run --to cohorts</c> on the repository's default (simulated) data-raw and config, through the real host, runner
/// and Parquet checkpoints. The simulator (simulate verb, seed 20250101) planted each city's cohorts from
/// config/policies with the default coding and drew large/hard/intensified per city; config/truth/units.csv lists them.
/// </summary>
public sealed class CohortsPipelineTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Truth()
    {
        var path = RepoPaths.Config(Path.Combine("truth", "units.csv"));
        var sheet = new SheetReader().Read("units.csv", File.ReadAllBytes(path), new ReadLimits()).Sheets[0];
        return SheetTable.Records(sheet, "units.csv", "city_code", "in_sample", "bb_first", "cl_first")
            .Where(r => r["in_sample"] == "1").ToDictionary(r => r["city_code"], r => r, StringComparer.Ordinal);
    }

    [Fact]
    public async Task RunToCohorts_DefaultData_CohortsEqualPlantedTruth()
    {
        using var run = await DefaultDataRun.StartAsync("cohorts");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Errors}");
        var treatment = await run.TableAsync("04-cohorts", "treatment");
        var attributes = await run.TableAsync("04-cohorts", "attributes");
        var truth = Truth();
        Assert.Equal(275 * 11, treatment.RowCount);
        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), attributes.Strings("city_code").Order(StringComparer.Ordinal));
        var cities = treatment.Strings("city_code");
        for (var i = 0; i < treatment.RowCount; i++)
        {
            var t = truth[cities[i]!];
            Assert.Equal(long.Parse(t["bb_first"], CultureInfo.InvariantCulture), treatment.Longs("bb_first")[i]);
            Assert.Equal(long.Parse(t["cl_first"], CultureInfo.InvariantCulture), treatment.Longs("cl_first")[i]);
        }

        // Attributes recovered from the simulated yearbooks and growth-target file. resource_based and central come from
        // the roster; large from the printed 2011 registered population (≥ 500万, the simulator's definition);
        // intensified from city targets above the province's (the simulator adds ≥ 1 point for intensified cities, ≤ 0
        // otherwise; municipalities are their own province and cannot show it). Measured on the default data
        // (seed 20250101): 275/275 for all five, 271/271 non-municipal for intensified. hard comes from the wording,
        // which follows the planted type in 85% of years, so a city can lose its majority: allow 2%.
        double Agreement(string column, IEnumerable<string> codes)
        {
            var list = codes.ToList();
            var index = attributes.Strings("city_code").Select((c, i) => (c!, i)).ToDictionary(x => x.Item1, x => x.i);
            return list.Count(c => attributes.Longs(column)[index[c]].ToString(CultureInfo.InvariantCulture) == truth[c][column]) / (double)list.Count;
        }
        var all = truth.Keys.ToList();
        var nonMunicipal = all.Where(c => !c.EndsWith("0000", StringComparison.Ordinal)).ToList();
        Assert.Equal(1.0, Agreement("resource_based", all));
        Assert.Equal(1.0, Agreement("central", all));
        Assert.Equal(1.0, Agreement("large", all));
        Assert.True(Agreement("target_hard", all) >= 0.98, $"target_hard agreement {Agreement("target_hard", all)}");
        Assert.Equal(1.0, Agreement("target_intensified", nonMunicipal));
    }
}
