using System.Diagnostics;
using System.Text;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Tests.TestStages;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>
/// The real executable (nqpf.dll from the test output) started as a child process on a <see cref="Workspace"/>,
/// or the test assembly's CLI with the test stages (<see cref="TestStageHost"/>). Captures stdout/stderr; can be SIGKILLed or SIGTERMed.
/// Timeouts are generous because CI machines are slow; no test asserts on timing.
/// </summary>
internal sealed class PipelineProcess : IDisposable
{
    public static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly Lock _gate = new();

    private PipelineProcess(Process process) => _process = process;

    public static PipelineProcess Start(Workspace ws, params string[] args) =>
        Start(new ProcessFolders(ws.Root, ws.ConfigDir, ws.RawDir, ws.ProcessedDir), new Dictionary<string, string>(), ws.UseTestStages, args);

    public static PipelineProcess Start(ProcessFolders folders, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(folders, environment, testStages: false, args);

    /// <summary>
    /// Starts nqpf on <paramref name="folders"/> with the extra <paramref name="environment"/> variables (e.g.
    /// NQPF_Section__Key overrides): the real executable, or with <paramref name="testStages"/> the test assembly's
    /// own entry point (<see cref="TestStageHost"/>: the same CLI with the test stages).
    /// </summary>
    private static PipelineProcess Start(ProcessFolders folders, IReadOnlyDictionary<string, string> environment, bool testStages, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folders.Root,
        };
        start.ArgumentList.Add(testStages ? typeof(TestStageHost).Assembly.Location : Path.Combine(AppContext.BaseDirectory, "nqpf.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--raw", folders.RawDir, "--processed", folders.ProcessedDir })
            start.ArgumentList.Add(arg);
        start.Environment[ConfigLocator.EnvironmentVariable] = folders.ConfigDir;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var result = new PipelineProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(result._out, e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(result._err, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    public int Id => _process.Id;

    public string Output { get { lock (_gate) return _out.ToString(); } }

    public string Errors { get { lock (_gate) return _err.ToString(); } }

    public string Transcript => $"--- stdout\n{Output}\n--- stderr\n{Errors}";

    /// <summary>Waits for the process to exit and returns its exit code; kills it and fails after the timeout.</summary>
    public async Task<int> WaitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? LongTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nqpf did not exit in time.\n{Transcript}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or `kill` sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits until stderr contains <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    public Task WaitForLogAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Occurrences(Errors, text) >= count, $"'{text}' ×{count} in the log", timeout, () => Transcript);

    public static int Occurrences(string haystack, string needle)
    {
        var count = 0;
        for (var i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            target.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

/// <summary>The folders a child nqpf process works on (working directory, config, raw, processed).</summary>
internal sealed record ProcessFolders(string Root, string ConfigDir, string RawDir, string ProcessedDir);

/// <summary>Polling with a generous deadline, for conditions reached by another process.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? PipelineProcess.LongTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.\n{context?.Invoke()}");
            await Task.Delay(100);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? PipelineProcess.LongTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.\n{context?.Invoke()}");
            await Task.Delay(200);
        }
    }
}
