using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NQPF.Pipeline.Watch;

namespace NQPF.Pipeline.Cli;

/// <summary>
/// <c>watch</c>: the long-running worker (see <see cref="WatchWorker"/>). Runs as a hosted service, so SIGTERM and
/// Ctrl-C stop it cleanly (exit 0) and, under systemd (Type=notify), it reports readiness and stopping.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("watch", "Keep running: start a run when raw files change (once they are stable) and on the configured schedule.");
        command.SetAction((parse, ct) => cli.InvokeAsync(parse, ct,
            async (services, token) =>
            {
                var host = services.GetRequiredService<IHost>();
                await host.StartAsync(token);
                await host.WaitForShutdownAsync(token);
                return Environment.ExitCode;
            },
            services => services.AddHostedService<WatchWorker>(),
            handleSignals: false));
        return command;
    }
}
