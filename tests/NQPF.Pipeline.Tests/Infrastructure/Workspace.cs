using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Tests.TestStages;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>
/// A throw-away data folder in /tmp: config/appsettings.json, raw/ and processed/, with the test stages registered.
/// Runs the pipeline in-process (host + runner, or the CLI) on a real SQLite ledger and real Parquet files.
/// </summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "nqpf-test-" + Guid.NewGuid().ToString("N")[..10]);
        ConfigDir = Path.Combine(Root, "config");
        RawDir = Path.Combine(Root, "raw");
        ProcessedDir = Path.Combine(Root, "processed");
        Directory.CreateDirectory(ConfigDir);
        Directory.CreateDirectory(RawDir);
        Settings = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning" } },
            ["Pipeline"] = new JsonObject { ["LockTimeoutSeconds"] = 60, ["HeartbeatSeconds"] = 0.5, ["ProgressLogSeconds"] = 0 },
            ["Watch"] = new JsonObject { ["Schedule"] = "", ["DebounceSeconds"] = 0.5, ["StableSeconds"] = 0.5, ["PollSeconds"] = 2 },
            ["Alpha"] = new JsonObject { ["RunLog"] = RunLogPath },
            ["Beta"] = new JsonObject { ["Factor"] = 2.0, ["RunLog"] = RunLogPath },
            ["Gamma"] = new JsonObject { ["RunLog"] = RunLogPath },
        };
        SaveSettings();
        WriteRaw("2011.csv", "110000,2011,1.5\n120000,2011,\n");
        WriteRaw("2012.csv", "110000,2012,2.5\n,2012,-3\n");
    }

    public string Root { get; }
    public string ConfigDir { get; }
    public string RawDir { get; }
    public string ProcessedDir { get; }
    public string RunLogPath => Path.Combine(Root, "stage-runs.log");
    public string LedgerPath => Path.Combine(ProcessedDir, "ledger.db");
    public JsonObject Settings { get; }

    public void SaveSettings() => File.WriteAllText(Path.Combine(ConfigDir, "appsettings.json"), Settings.ToJsonString());

    public void Set(string section, string key, JsonNode? value)
    {
        ((JsonObject)Settings[section]!)[key] = value;
        SaveSettings();
    }

    public string Marker(string name) => Path.Combine(Root, name);

    /// <summary>
    /// Makes the stage of <paramref name="section"/> write a "started" marker and then wait until the returned
    /// hang file is deleted — a known point in the middle of a stage for kill and concurrency tests.
    /// </summary>
    public (string Started, string Hang) HoldStage(string section)
    {
        var started = Marker(section + "-started");
        var hang = Marker(section + "-hang");
        File.WriteAllText(hang, "");
        Set(section, "StartedMarker", started);
        Set(section, "HangWhileFileExists", hang);
        return (started, hang);
    }

    public void WriteRaw(string name, string content) => File.WriteAllText(Path.Combine(RawDir, name), content);

    /// <summary>Stage names in the order they really executed (from the stages' run log).</summary>
    public IReadOnlyList<string> StageExecutions() =>
        File.Exists(RunLogPath) ? File.ReadAllLines(RunLogPath) : [];

    /// <summary>Whether <see cref="PipelineProcess"/> runs the test stages (the test assembly's own CLI, <see cref="TestStages.TestStageHost"/>); false runs the real executable.</summary>
    public bool UseTestStages { get; set; } = true;

    /// <summary>Replaces the test stages registered by default (alpha, beta, gamma).</summary>
    public Action<StageRegistry> RegisterStages { get; set; } = TestStageCatalog.RegisterAll;

    /// <summary>Extra services for every in-process host built from now on (fault-injecting or recording file stores).</summary>
    public Action<IServiceCollection>? Configure { get; set; }

    public HostSettings HostSettings() => new()
    {
        ConfigDir = ConfigDir,
        RawDir = RawDir,
        ProcessedDir = ProcessedDir,
        RegisterStages = RegisterStages,
        ConfigureServices = Configure,
    };

    public IHost BuildHost(Action<IServiceCollection>? configure = null)
    {
        var always = Configure;
        var host = PipelineHost.Build(HostSettings() with
        {
            ConfigureServices = services => { always?.Invoke(services); configure?.Invoke(services); },
        });
        PipelineHost.Validate(host.Services);
        return host;
    }

    public async Task<RunOutcome> RunAsync(RunRequest? request = null, Action<IServiceCollection>? configure = null)
    {
        using var host = BuildHost(configure);
        return await host.Services.GetRequiredService<PipelineRunner>().RunAsync(request ?? new RunRequest("test"), CancellationToken.None);
    }

    public async Task<RunOutcome> ResumeAsync(string runId)
    {
        using var host = BuildHost();
        return await host.Services.GetRequiredService<PipelineRunner>().ResumeAsync(runId, CancellationToken.None);
    }

    /// <summary>Runs the CLI in-process with the test stages; returns exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Out, string Error)> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(args, HostSettings(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    public async Task<IReadOnlyList<StageRunRecord>> StageRunsAsync(string runId)
    {
        using var host = BuildHost();
        return await host.Services.GetRequiredService<LedgerRepository>().StageRunsOfRunAsync(runId, CancellationToken.None);
    }

    public async Task<IReadOnlyList<RunRecord>> RunsAsync()
    {
        using var host = BuildHost();
        var ledger = host.Services.GetRequiredService<LedgerRepository>();
        return ledger.Exists ? await ledger.ListRunsAsync(1000, CancellationToken.None) : [];
    }

    /// <summary>
    /// The artifacts a run ended with ("NN-stage/name" → record): those of each stage's last succeeded or reused stage run.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ArtifactRecord>> FinalArtifactsAsync(string runId)
    {
        using var host = BuildHost();
        var ledger = host.Services.GetRequiredService<LedgerRepository>();
        var result = new SortedDictionary<string, ArtifactRecord>(StringComparer.Ordinal);
        var finished = (await ledger.StageRunsOfRunAsync(runId, CancellationToken.None))
            .Where(s => s.Status is StageStatus.Succeeded or StageStatus.Reused)
            .GroupBy(s => s.Folder).Select(g => g.MaxBy(s => s.Attempt)!);
        foreach (var stageRun in finished)
        {
            foreach (var artifact in await ledger.ArtifactsOfAsync(stageRun.Id, CancellationToken.None))
                result[stageRun.Folder + "/" + artifact.Name] = artifact;
        }
        return result;
    }

    /// <summary>Every Parquet file under the processed folder with its last write time.</summary>
    public IReadOnlyDictionary<string, DateTime> ParquetFiles() =>
        Directory.Exists(ProcessedDir)
            ? Directory.EnumerateFiles(ProcessedDir, "*.parquet", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc)
            : new Dictionary<string, DateTime>();

    /// <summary>Files under the processed folder whose names mark an unfinished atomic write.</summary>
    public IReadOnlyList<string> TempFiles() =>
        Directory.Exists(ProcessedDir)
            ? [.. Directory.EnumerateFiles(ProcessedDir, "*", SearchOption.AllDirectories).Where(f => f.Contains(".tmp-", StringComparison.Ordinal))]
            : [];

    /// <summary>PRAGMA integrity_check on the ledger through an independent connection.</summary>
    public string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={LedgerPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
