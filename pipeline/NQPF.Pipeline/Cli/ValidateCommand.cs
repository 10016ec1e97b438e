using System.CommandLine;
using System.Text;
using NQPF.Econometrics.Validation;
using NQPF.Pipeline.Figures;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>validate [--reps 200] [--seed S] [--out DIR]</c>: the Monte Carlo check of every estimator and interval
/// (<see cref="MonteCarlo"/>); prints the Markdown report, and with --out writes validation.md and the coverage figure
/// (validation_coverage.png, .svg) into DIR.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext cli)
    {
        var reps = new Option<int>("--reps") { Description = "Replications per scenario.", DefaultValueFactory = _ => 200 };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulated panels and of the resampling tests.", DefaultValueFactory = _ => 20260101 };
        var outDir = new Option<string?>("--out") { Description = "Folder to write validation.md and the coverage figure into (e.g. docs)." };
        var command = new Command("validate", "Monte Carlo check: bias, RMSE and coverage of TWFE, event study, CS, SA, BJS; placebo and wild-bootstrap size under the null.")
        {
            reps, seed, outDir,
        };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (_, token) =>
        {
            var replications = parse.GetValue(reps);
            if (replications < 2) throw new UsageException("--reps needs at least 2 replications.");
            var result = MonteCarlo.Run(new MonteCarloSettings(replications, parse.GetValue(seed)), token);
            const string figureName = "validation_coverage";
            var markdown = ValidationReport.Markdown(result, figureName);
            if (parse.GetValue(outDir) is { } dir)
            {
                var folder = Path.GetFullPath(dir);
                Directory.CreateDirectory(folder);
                var figure = ValidationReport.CoverageFigure(result);
                var renderer = new ScottPlotFigureRenderer();
                await File.WriteAllTextAsync(Path.Combine(folder, "validation.md"), markdown, Encoding.UTF8, token);
                await File.WriteAllBytesAsync(Path.Combine(folder, figureName + ".png"), renderer.Png(figure), token);
                await File.WriteAllBytesAsync(Path.Combine(folder, figureName + ".svg"), renderer.Svg(figure), token);
            }
            await cli.Out.WriteAsync(markdown);
            await cli.Out.FlushAsync(token);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
