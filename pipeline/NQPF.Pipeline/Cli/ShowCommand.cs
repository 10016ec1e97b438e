using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;

namespace NQPF.Pipeline.Cli;

/// <summary><c>show &lt;run-id&gt; [--json]</c>: a run's stages, statuses, timings, reuse and artifacts.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext cli)
    {
        var runId = new Argument<string>("run-id") { Description = "The run to show (see `runs`)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("show", "Show a run: its stages, their status, timings, reuse and artifacts.") { runId, json };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var id = PipelinePaths.CheckRunId(parse.GetRequiredValue(runId));
            var ledger = services.GetRequiredService<LedgerRepository>();
            var run = (ledger.Exists ? await ledger.FindRunAsync(id, token) : null)
                      ?? throw new UsageException($"There is no run '{id}' in {services.GetRequiredService<PipelinePaths>().LedgerPath}.");
            var view = await RunViews.LoadAsync(ledger, services.GetRequiredService<RunRecovery>(), run, token);
            await cli.Out.WriteAsync(parse.GetValue(json) ? JsonSerializer.Serialize(view, RunViews.Json) + "\n" : RunViews.Describe(view));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
