using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NQPF.Stages;

namespace NQPF.Pipeline.Hosting;

/// <summary>Absolute locations of the data folders, the ledger and the run folders.</summary>
internal sealed partial class PipelinePaths
{
    public PipelinePaths(HostLocation location, IOptions<PipelineOptions> options)
    {
        ConfigDir = location.ConfigDir;
        RepositoryRoot = Path.GetDirectoryName(location.ConfigDir.TrimEnd(Path.DirectorySeparatorChar)) ?? location.ConfigDir;
        RawDir = Path.GetFullPath(options.Value.RawDir, RepositoryRoot);
        ProcessedDir = Path.GetFullPath(options.Value.ProcessedDir, RepositoryRoot);
    }

    public string RepositoryRoot { get; }
    public string ConfigDir { get; }
    public string RawDir { get; }
    public string ProcessedDir { get; }
    public string LedgerPath => Path.Combine(ProcessedDir, "ledger.db");
    public string RunsDir => Path.Combine(ProcessedDir, "runs");

    public string RunDir(string runId) => Path.Combine(RunsDir, CheckRunId(runId));

    public string StageDir(string runId, string stageFolder) => Path.Combine(RunDir(runId), stageFolder);

    /// <summary>Absolute path of a ledger path (stored relative to the processed folder with '/').</summary>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(ProcessedDir, relativePath));
        return full.StartsWith(ProcessedDir + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full
            : throw new DataValidationException($"Ledger path '{relativePath}' points outside '{ProcessedDir}'.");
    }

    public string Relative(string fullPath) => Path.GetRelativePath(ProcessedDir, fullPath).Replace('\\', '/');

    /// <summary>Run ids come from the command line: only the generated shape is accepted, so none escapes the data folder.</summary>
    public static string CheckRunId(string runId) =>
        IsRunId(runId) ? runId
            : throw new UsageException($"'{runId}' is not a run id (expected e.g. 20260101T120000Z-1a2b3c).");

    public static bool IsRunId(string name) => RunIdPattern().IsMatch(name);

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")]
    private static partial Regex RunIdPattern();
}

/// <summary>Where the host found its configuration.</summary>
internal sealed record HostLocation(string ConfigDir);

/// <summary>A command-line mistake (bad run id, unknown stage, malformed argument): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
