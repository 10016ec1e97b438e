using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Runner;

namespace NQPF.Pipeline.Cli;

/// <summary><c>resume &lt;run-id&gt;</c>: continue a failed, cancelled or interrupted run from its first unfinished stage.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext cli)
    {
        var runId = new Argument<string>("run-id") { Description = "The run to continue (see `runs`)." };
        var command = new Command("resume", "Continue a failed, cancelled or interrupted run, keeping its finished stages.") { runId };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var outcome = await services.GetRequiredService<PipelineRunner>().ResumeAsync(parse.GetRequiredValue(runId), token);
            return await RunCommand.PrintOutcomeAsync(cli, services, outcome, token);
        }));
        return command;
    }
}
