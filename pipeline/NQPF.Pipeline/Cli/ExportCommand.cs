using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Storage;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>export &lt;run-id&gt; &lt;NN-stage&gt;/&lt;name&gt; [--format csv|json] [--out FILE]</c>: a checkpoint as CSV or JSON.
/// The checkpoint is looked up in the ledger (never by joining command-line text to a path) and verified by SHA-256.
/// </summary>
internal static partial class ExportCommand
{
    public static Command Create(CliContext cli)
    {
        var runId = new Argument<string>("run-id") { Description = "The run (see `runs`)." };
        var dataset = new Argument<string>("checkpoint") { Description = "The checkpoint as NN-stage/name, e.g. 01-ingest/panel." };
        var format = new Option<string>("--format") { Description = "csv or json.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<string?>("--out") { Description = "File to write (default: standard output)." };
        var command = new Command("export", "Export a checkpoint of a run as CSV or JSON.") { runId, dataset, format, output };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var id = PipelinePaths.CheckRunId(parse.GetRequiredValue(runId));
            var match = CheckpointPattern().Match(parse.GetRequiredValue(dataset));
            if (!match.Success)
                throw new UsageException($"'{parse.GetValue(dataset)}' is not a checkpoint name (expected NN-stage/name, e.g. 01-ingest/panel).");
            var artifact = await FindAsync(services.GetRequiredService<LedgerRepository>(), id, match.Groups[1].Value, match.Groups[2].Value, token);
            var frame = await services.GetRequiredService<CheckpointStore>().LoadTableAsync(artifact, token);
            var bytes = parse.GetValue(format) == "json" ? FrameExport.ToJson(frame) : Encoding.UTF8.GetBytes(FrameExport.ToCsv(frame));
            if (parse.GetValue(output) is { } file)
            {
                await services.GetRequiredService<IFileStore>().WriteAtomicAsync(Path.GetFullPath(file), bytes, token);
            }
            else
            {
                await cli.Out.WriteAsync(Encoding.UTF8.GetString(bytes));
                await cli.Out.FlushAsync(token);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<ArtifactRecord> FindAsync(LedgerRepository ledger, string runId, string folder, string name, CancellationToken ct)
    {
        if (!ledger.Exists || await ledger.FindRunAsync(runId, ct) is null)
            throw new UsageException($"There is no run '{runId}'.");
        var stageRun = (await ledger.StageRunsOfRunAsync(runId, ct))
            .LastOrDefault(s => s.Folder == folder && s.Status is StageStatus.Succeeded or StageStatus.Reused)
            ?? throw new UsageException($"Run {runId} has no finished stage {folder}.");
        var artifacts = await ledger.ArtifactsOfAsync(stageRun.Id, ct);
        return artifacts.FirstOrDefault(a => a.Kind == ArtifactKind.Table && a.Name == name)
               ?? throw new UsageException($"Stage {folder} of run {runId} has no checkpoint '{name}' " +
                                           $"(it has: {string.Join(", ", artifacts.Where(a => a.Kind == ArtifactKind.Table).Select(a => a.Name))}).");
    }

    [GeneratedRegex("^([0-9]{2}-[a-z0-9_]+)/([a-z0-9_]+)(?:\\.parquet)?$")]
    private static partial Regex CheckpointPattern();
}
