using System.Globalization;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Index;

/// <summary>`run --to index` on the committed simulated data, checked against config/truth.</summary>
public sealed class DefaultDataIndexTests
{
    [Fact]
    public async Task RunToIndex_DefaultData_IndexFollowsPlantedTruth()
    {
        using var run = await DefaultDataRun.StartAsync("index");
        Assert.True(run.ExitCode == 0, run.Errors);

        var index = await run.TableAsync("03-index", "index");
        Assert.Equal(3025, index.RowCount);
        Assert.Equal(3025, (await run.TableAsync("02-clean", "panel")).RowCount);

        // The truth's weights come from the same indicator system on the complete simulated values (before missing
        // cells were planted); the pipeline's come from the ingested, interpolated panel. Tolerance 1e-3 per weight.
        var truth = File.ReadAllLines(RepoPaths.Config(Path.Combine("truth", "index_weights.csv"))).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(f => f[0], f => double.Parse(f[6], CultureInfo.InvariantCulture));
        var weights = await run.TableAsync("03-index", "weights");
        for (var j = 0; j < weights.RowCount; j++)
            Assert.Equal(truth[weights.Strings("indicator")[j]!], weights.Doubles("weight")[j], 1e-3);

        // Planted effect: cities with any pilot gain more index from 2011 to 2021 than never-treated cities.
        var units = File.ReadAllLines(RepoPaths.Config(Path.Combine("truth", "units.csv"))).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[3] != "0" || f[4] != "0");
        double Gain(bool treated)
        {
            var codes = index.Strings("city_code");
            var years = index.Longs("year");
            var nqpf = index.Doubles("nqpf");
            double Mean(long year) => Enumerable.Range(0, index.RowCount)
                .Where(i => years[i] == year && units[codes[i]!] == treated).Average(i => nqpf[i]);
            return Mean(2021) - Mean(2011);
        }
        Assert.True(Gain(true) > Gain(false), $"treated gain {Gain(true)} vs never-treated {Gain(false)}");
    }
}
