using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Storage;

namespace NQPF.Pipeline.Tests.TestStages;

/// <summary>
/// Entry point of the test assembly started as a process (<c>dotnet NQPF.Pipeline.Tests.dll &lt;verb&gt; …</c>): the real
/// CLI with the test stages and the <see cref="PausingWriteHook"/>, so crash, concurrency and watch tests drive a real
/// process without any test hook in the production executable. The test runner never calls it.
/// </summary>
internal static class TestStageHost
{
    public static async Task<int> Main(string[] args)
    {
        var settings = new HostSettings
        {
            RegisterStages = TestStageCatalog.RegisterAll,
            ConfigureServices = services => services.AddSingleton<IFileWriteHook>(
                provider => PausingWriteHook.FromConfiguration(provider.GetRequiredService<IConfiguration>())),
        };
        Environment.ExitCode = await CommandCatalog.RunAsync(args, settings);
        return Environment.ExitCode;
    }
}
