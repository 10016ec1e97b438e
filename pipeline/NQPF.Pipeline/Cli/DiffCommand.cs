using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Stages;
using NQPF.Stages.Report;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>diff &lt;run-a&gt; &lt;run-b&gt; [--json]</c>: what changed from run A to run B — raw files added, removed or
/// changed, cities and years added or removed, index weights, and every key estimate with its change in units of A's
/// SE and a flag (threshold Report:DiffThresholdSe, significance Report:SignificanceLevel). The same comparison as the
/// report's "What changed" section (<see cref="RunDiff"/>), for any two finished runs.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliContext cli)
    {
        var runA = new Argument<string>("run-a") { Description = "The older run (see `runs`)." };
        var runB = new Argument<string>("run-b") { Description = "The newer run." };
        var json = new Option<bool>("--json") { Description = "Print the four tables as JSON." };
        var command = new Command("diff", "Compare two runs: raw files, cities and years, index weights, key estimates.") { runA, runB, json };
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct, async (services, token) =>
        {
            var a = await TablesAsync(services, PipelinePaths.CheckRunId(parse.GetRequiredValue(runA)), token);
            var b = await TablesAsync(services, PipelinePaths.CheckRunId(parse.GetRequiredValue(runB)), token);
            var options = services.GetService<ReportOptions>() ?? new ReportOptions();
            var diff = RunDiff.Compute(a, b, options);
            await cli.Out.WriteAsync(parse.GetValue(json) ? Json(diff) : Describe(diff, parse.GetRequiredValue(runA), parse.GetRequiredValue(runB)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<IReadOnlyDictionary<string, Frame>> TablesAsync(IServiceProvider services, string runId, CancellationToken ct)
    {
        var ledger = services.GetRequiredService<LedgerRepository>();
        var run = (ledger.Exists ? await ledger.FindRunAsync(runId, ct) : null)
                  ?? throw new UsageException($"There is no run '{runId}' in {services.GetRequiredService<PipelinePaths>().LedgerPath}.");
        var datasets = services.GetRequiredService<RunDatasets>();
        var inputs = await datasets.ResolveAsync(ReportStage.ComparedDatasets, await datasets.TablesOfRunAsync(run.Id, ct), run.Id, current: false, ct);
        var frames = new Dictionary<string, Frame>(StringComparer.Ordinal);
        foreach (var (key, input) in inputs)
            frames[key] = await input.Load(ct);
        return frames;
    }

    internal static string Describe(RunDiffResult diff, string runA, string runB)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"From {runA} to {runB}\n\n");
        Section(text, "Raw files added, removed or changed", diff.Files);
        Section(text, "Cities and years added or removed", diff.Coverage);
        Section(text, "Index weights", diff.Weights);
        Section(text, $"Key estimates ({diff.FlaggedEstimates} flagged)", diff.Estimates);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, Frame frame)
    {
        text.Append(title).Append(":\n");
        if (frame.RowCount == 0)
        {
            text.Append("  none\n\n");
            return;
        }
        var rows = Enumerable.Range(0, frame.RowCount).Select(i => frame.Columns.Select(c => c switch
        {
            DoubleColumn d => double.IsNaN(d.Values[i]) ? "-" : d.Values[i].ToString("G5", CultureInfo.InvariantCulture),
            LongColumn l => l.Values[i].ToString(CultureInfo.InvariantCulture),
            StringColumn s => s.Values[i] ?? "-",
            BoolColumn b => b.Values[i] ? "true" : "false",
            _ => "",
        }).ToArray());
        text.Append(RunViews.Table([.. frame.Columns.Select(c => c.Name)], rows)).Append('\n');
    }

    private static string Json(RunDiffResult diff) =>
        "{\"files\":" + Encoding.UTF8.GetString(FrameExport.ToJson(diff.Files)) +
        ",\"coverage\":" + Encoding.UTF8.GetString(FrameExport.ToJson(diff.Coverage)) +
        ",\"weights\":" + Encoding.UTF8.GetString(FrameExport.ToJson(diff.Weights)) +
        ",\"estimates\":" + Encoding.UTF8.GetString(FrameExport.ToJson(diff.Estimates)) + "}\n";
}
