using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Simulation;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>simulate --out DIR [--seed S] [--years 2011-2021] [--truth DIR]</c>: writes simulated yearbook files (and a
/// growth-target file) with the planted truth outside the data folder. Same seed → byte-identical files.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext cli)
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write the yearbook files into.", Required = true };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the generator (default: the seed of the committed data-raw files).",
            DefaultValueFactory = _ => SimulateOptions.DefaultSeed,
        };
        var years = new Option<string>("--years") { Description = "First-last year.", DefaultValueFactory = _ => "2011-2021" };
        var layout = new Option<SimLayout>("--layout")
        {
            Description = "File layout: official (the yearbook's Excel edition tables; default), classic (one file per year, rotating formats and quirks) or database (per-variable long workbooks); every layout of a seed gives the same panel.",
            DefaultValueFactory = _ => SimLayout.Official,
        };
        var truth = new Option<string?>("--truth")
        {
            Description = "Folder for the planted truth (default: config/truth when --out is the repository's data-raw, else <out>-truth).",
        };
        var scale = new Option<int>("--scale")
        {
            Description = "Roster size in multiples of the study's 275 cities (10 → 2,750 units): the synthetic units' roster and pilot lists are written beside --out as <out>-config; run the pipeline on them with NQPF_CONFIG_DIR=<out>-config.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("simulate", "Generate simulated China City Statistical Yearbook files with a planted, documented truth.")
        {
            outDir, seed, years, truth, layout, scale,
        };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var (first, last) = Years(parse.GetValue(years) ?? "2011-2021");
            var config = services.GetRequiredService<HostLocation>().ConfigDir;
            var truthDir = parse.GetValue(truth);
            var result = SimulationRun.Run(new SimulateOptions(Path.GetFullPath(parse.GetValue(outDir)!), parse.GetValue(seed),
                first, last, config, truthDir is null ? null : Path.GetFullPath(truthDir), parse.GetValue(layout), parse.GetValue(scale)));
            token.ThrowIfCancellationRequested();
            foreach (var f in result.Files)
                await cli.Out.WriteLineAsync(f);
            await cli.Out.WriteLineAsync($"truth: {result.TruthDirectory}");
            if (result.ConfigDirectory != config)
                await cli.Out.WriteLineAsync($"config: {result.ConfigDirectory} (run with {ConfigLocator.EnvironmentVariable}={result.ConfigDirectory})");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The first and last year of a "--years 2011-2021" range.</summary>
    internal static (int First, int Last) Years(string range)
    {
        var parts = range.Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            throw new UsageException($"--years '{range}' is not of the form 2011-2021.");
        return (first, last);
    }
}
