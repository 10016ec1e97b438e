using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;

namespace NQPF.Pipeline.Cli;

/// <summary><c>runs [--json] [--limit N]</c>: the run history, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext cli)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var limit = new Option<int>("--limit") { Description = "How many runs to list.", DefaultValueFactory = _ => 50 };
        var command = new Command("runs", "List earlier runs, newest first.") { json, limit };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var ledger = services.GetRequiredService<LedgerRepository>();
            var recovery = services.GetRequiredService<RunRecovery>();
            var rows = new List<(RunRecord Run, bool Stale, int Ran, int Reused)>();
            if (ledger.Exists)
            {
                foreach (var run in await ledger.ListRunsAsync(Math.Max(1, parse.GetValue(limit)), token))
                {
                    var stages = await ledger.StageRunsOfRunAsync(run.Id, token);
                    rows.Add((run, RunViews.IsStale(recovery, run),
                        stages.Count(s => s.Status == StageStatus.Succeeded), stages.Count(s => s.Status == StageStatus.Reused)));
                }
            }
            if (parse.GetValue(json))
            {
                await cli.Out.WriteLineAsync(JsonSerializer.Serialize(
                    rows.Select(r => new { r.Run, r.Stale, StagesRun = r.Ran, StagesReused = r.Reused }), RunViews.Json));
            }
            else
            {
                await cli.Out.WriteAsync(RunViews.RunsTable(rows));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
