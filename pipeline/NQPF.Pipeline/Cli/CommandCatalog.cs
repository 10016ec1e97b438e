using System.CommandLine;
using NQPF.Pipeline.Hosting;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// THE list of verbs. To add one, write <c>Cli/&lt;Verb&gt;Command.cs</c> with
/// <c>internal static Command Create(CliContext cli)</c> (see <see cref="RunsCommand"/> for the pattern: options,
/// then <c>command.SetAction((parse, ct) =&gt; cli.InvokeAsync(parse, ct, async (services, token) =&gt; { …; return ExitCodes.Ok; }))</c>)
/// and add <c>XCommand.Create</c> to <see cref="Verbs"/>.
/// </summary>
internal static class CommandCatalog
{
    public static readonly IReadOnlyList<Func<CliContext, Command>> Verbs =
    [
        RunCommand.Create,
        RunsCommand.Create,
        ShowCommand.Create,
        ResumeCommand.Create,
        WatchCommand.Create,
        ExportCommand.Create,
        DiffCommand.Create,
        EstimateCommand.Create,
        DidCommand.Create,
        EntropyCommand.Create,
        SimulateCommand.Create,
        InspectCommand.Create,
        PlaceboCommand.Create,
        ValidateCommand.Create,
        PowerCommand.Create,
    ];

    public static RootCommand BuildRoot(CliContext cli)
    {
        var root = new RootCommand(
            "NQPF pipeline: yearbook files → Parquet checkpoints → staggered DiD estimates, with a SQLite run ledger. " +
            "Configuration overrides: --Section:Key=value; environment: NQPF_Section__Key.")
        {
            cli.Raw,
            cli.Processed,
        };
        foreach (var create in Verbs)
            root.Subcommands.Add(create(cli));
        AllowConfigArguments(root);
        return root;
    }

    /// <summary>Parses and runs a command line; returns the exit code (parse errors are usage errors: 2).</summary>
    public static async Task<int> RunAsync(string[] args, HostSettings? settings = null, TextWriter? output = null, TextWriter? error = null)
    {
        var cli = new CliContext(settings ?? new HostSettings(), output ?? Console.Out, error ?? Console.Error);
        var parse = BuildRoot(cli).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
                await cli.Error.WriteLineAsync("error: " + e.Message);
            await cli.Error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = cli.Out,
            Error = cli.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    private static void AllowConfigArguments(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var sub in command.Subcommands)
            AllowConfigArguments(sub);
    }
}
