using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>
/// <c>run --to STAGE</c> on the repository's default (simulated) data-raw and config, through the real CLI, host,
/// runner and Parquet checkpoints, into a throw-away processed folder (data-raw is only read). The acceptance tests
/// against config/truth share it.
/// </summary>
internal sealed class DefaultDataRun : IDisposable
{
    private DefaultDataRun(string processedDir, int exitCode, string output, string errors)
    {
        ProcessedDir = processedDir;
        ExitCode = exitCode;
        Output = output;
        Errors = errors;
    }

    public string ProcessedDir { get; }

    public int ExitCode { get; }

    /// <summary>What the CLI wrote to standard output (the run's summary).</summary>
    public string Output { get; }

    /// <summary>What the CLI wrote to standard error (for assertion messages).</summary>
    public string Errors { get; }

    /// <param name="toStage">Last stage to run.</param>
    /// <param name="overrides">Configuration keys ("Section:Key") applied after config/appsettings.json.</param>
    public static async Task<DefaultDataRun> StartAsync(string toStage, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var processed = Path.Combine(Path.GetTempPath(), "nqpf-default-" + Guid.NewGuid().ToString("N")[..10]);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["run", "--to", toStage], Settings(processed, overrides), output, error);
        return new DefaultDataRun(processed, code, output.ToString(), error.ToString());
    }

    /// <summary>Host settings for the repository's config and data-raw with <paramref name="processed"/> as the data folder.</summary>
    public static HostSettings Settings(string processed, IReadOnlyDictionary<string, string?>? overrides = null) => new()
    {
        ConfigDir = Path.Combine(RepoPaths.Root, "config"),
        RawDir = Path.Combine(RepoPaths.Root, "data-raw"),
        ProcessedDir = processed,
        Overrides = overrides ?? new Dictionary<string, string?>(),
    };

    /// <summary>The checkpoint <paramref name="name"/> written by the stage whose run folder is <paramref name="stageFolder"/> (e.g. "04-cohorts").</summary>
    public async Task<Frame> TableAsync(string stageFolder, string name)
    {
        var run = Directory.GetDirectories(Path.Combine(ProcessedDir, "runs")).Single();
        var file = Path.Combine(run, stageFolder, name + ".parquet");
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(file), file, CancellationToken.None);
    }

    public void Dispose()
    {
        if (Directory.Exists(ProcessedDir)) Directory.Delete(ProcessedDir, recursive: true);
    }
}
