using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Cli;

/// <summary><c>run [--from STAGE] [--to STAGE] [--force]</c>: one run of the pipeline.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext cli)
    {
        var from = new Option<string?>("--from") { Description = "Recompute this stage and every later one; earlier stages are reused when their checkpoints verify." };
        var to = new Option<string?>("--to") { Description = "Stop after this stage." };
        var force = new Option<bool>("--force") { Description = "Reuse nothing: recompute every stage." };
        var command = new Command("run", "Run the stages in order, reusing every stage whose inputs, settings and code are unchanged.")
        {
            from, to, force,
        };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var runner = services.GetRequiredService<PipelineRunner>();
            var outcome = await runner.RunAsync(
                new RunRequest("cli", parse.GetValue(from), parse.GetValue(to), parse.GetValue(force)), token);
            return await PrintOutcomeAsync(cli, services, outcome, token);
        }));
        return command;
    }

    /// <summary>Prints the finished run like <c>show</c> does and returns 0 when it succeeded, else 1.</summary>
    internal static async Task<int> PrintOutcomeAsync(CliContext cli, IServiceProvider services, RunOutcome outcome, CancellationToken ct)
    {
        var ledger = services.GetRequiredService<LedgerRepository>();
        var run = await ledger.FindRunAsync(outcome.RunId, ct);
        if (run is not null)
            await cli.Out.WriteAsync(RunViews.Describe(await RunViews.LoadAsync(ledger, services.GetRequiredService<RunRecovery>(), run, ct)));
        var report = Path.Combine(services.GetRequiredService<PipelinePaths>().RunDir(outcome.RunId), ReportPublisher.ReportStage, "index.html");
        if (outcome.Succeeded && File.Exists(report))
        {
            await cli.Out.WriteLineAsync("Report: " + report);
            // The same test as the report's banner: the run's raw folder held the marker that simulate writes.
            if ((await ledger.RawFilesOfAsync(outcome.RunId, ct)).Any(f => string.Equals(Path.GetFileName(f.Path), ReportBuilder.SimulatedMarker, StringComparison.OrdinalIgnoreCase)))
                await cli.Out.WriteLineAsync($"The raw folder holds {ReportBuilder.SimulatedMarker}: the data are simulated, so every number in the report describes synthetic cities, not China.");
        }
        if (outcome.Succeeded)
            return ExitCodes.Ok;
        await cli.Error.WriteLineAsync(
            $"error: run {outcome.RunId} {outcome.Status}: {outcome.Error}\nAfter fixing the cause, `resume {outcome.RunId}` continues it.");
        return ExitCodes.Failed;
    }
}
