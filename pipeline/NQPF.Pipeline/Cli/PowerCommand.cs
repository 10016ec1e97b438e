using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Simulation;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>power [--seeds 40] [--first-seed 1] [--years 2011-2021] [--out DIR]</c>: the power of the simulated default data
/// (<see cref="PowerStudy"/>): simulates the default data under seeds first-seed … first-seed + seeds − 1, runs ingest →
/// estimate in process with the configured options, and tabulates per claim the share of seeds whose scorecard
/// verdict agrees with the planted truth, and per part the mean estimate, its SD across seeds, the mean SE and the
/// truth. Prints the Markdown; with --out writes power.md into DIR.
/// </summary>
internal static class PowerCommand
{
    public static Command Create(CliContext cli)
    {
        var seeds = new Option<int>("--seeds") { Description = "Number of simulated data sets.", DefaultValueFactory = _ => 40 };
        var firstSeed = new Option<int>("--first-seed")
        {
            Description = "First seed; the others follow it. The default data's seed (20250101) is far from the default range, so the default data stay an out-of-sample draw.",
            DefaultValueFactory = _ => 1,
        };
        var years = new Option<string>("--years") { Description = "First-last year.", DefaultValueFactory = _ => "2011-2021" };
        var outDir = new Option<string?>("--out") { Description = "Folder to write power.md into (e.g. docs)." };
        var command = new Command("power", "Power of the simulated default data: the share of seeds whose scorecard verdicts agree with the planted truth, claim by claim.")
        {
            seeds, firstSeed, years, outDir,
        };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var count = parse.GetValue(seeds);
            if (count < 1) throw new UsageException("--seeds needs at least 1 seed.");
            var (first, last) = SimulateCommand.Years(parse.GetValue(years) ?? "2011-2021");
            var alpha = services.GetRequiredService<ReportOptions>().SignificanceLevel;
            var study = new PowerStudy(services.GetServices<IStage>(), services.GetRequiredService<SourceScanner>(),
                services.GetRequiredService<ISheetReader>());
            var config = services.GetRequiredService<HostLocation>().ConfigDir;
            var draws = new List<PowerDraw>();
            foreach (var seed in Enumerable.Range(parse.GetValue(firstSeed), count))
            {
                var draw = await study.RunAsync(new SimulateOptions("", seed, first, last, config), alpha, token);
                draws.Add(draw);
                await cli.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"seed {seed}: {string.Join(" ", draw.Claims.Select(c => c.Number + (c.Verdict(alpha) == c.TruthVerdict ? "✓" : "✗")))}"));
            }
            var markdown = Markdown(draws, alpha, string.Create(CultureInfo.InvariantCulture,
                $"power --seeds {count} --first-seed {parse.GetValue(firstSeed)} --years {first}-{last} --out docs"));
            if (parse.GetValue(outDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                await File.WriteAllTextAsync(Path.Combine(dir, "power.md"), markdown, new UTF8Encoding(false), token);
            }
            await cli.Out.WriteAsync(markdown);
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The power table under a title that says how to rerun it (<paramref name="arguments"/>: the verb's).</summary>
    private static string Markdown(IReadOnlyList<PowerDraw> draws, double alpha, string arguments)
    {
        var labels = new ReportLabels(new ReportOptions());
        return "# Power of the simulated default data\n\nRerun with `dotnet run -c Release --project pipeline/NQPF.Pipeline -- "
               + arguments + "` (design and rationale: power-design.md).\n\n"
               + PowerTable.Of(draws, alpha).Markdown(draws[0].Claims.ToDictionary(c => c.Number,
                   c => labels["claim." + c.Number.ToString(CultureInfo.InvariantCulture)]));
    }
}
