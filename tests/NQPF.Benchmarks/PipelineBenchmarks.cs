using BenchmarkDotNet.Attributes;
using NQPF.Pipeline.Cli;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// The CLI in-process on a temporary copy of the committed default data (data-raw/): ingest alone, the whole pipeline
/// cold (every stage computed, --force), and a rerun with nothing changed (every stage reused). Goals: cold
/// under 60 s on 2 cores, rerun under 3 s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class PipelineBenchmarks
{
    private string _work = null!;
    private string _raw = null!;
    private string _processed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _work = Path.Combine(Path.GetTempPath(), "nqpf-bench-" + Guid.NewGuid().ToString("N"));
        _raw = Path.Combine(_work, "raw");
        _processed = Path.Combine(_work, "processed");
        Directory.CreateDirectory(_raw);
        foreach (var file in Directory.GetFiles(Path.Combine(ReferenceFiles.RepoRoot, "data-raw")))
            File.Copy(file, Path.Combine(_raw, Path.GetFileName(file)));
        Run("run");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    [Benchmark]
    public int IngestOnly() => Run("run", "--to", "ingest", "--force");

    [Benchmark]
    public int FullPipelineCold() => Run("run", "--force");

    [Benchmark]
    public int RerunNothingChanged() => Run("run");

    private int Run(params string[] verb)
    {
        var code = CommandCatalog.RunAsync([.. verb, "--raw", _raw, "--processed", _processed]).GetAwaiter().GetResult();
        return code == 0 ? code : throw new InvalidOperationException($"`{string.Join(' ', verb)}` exited {code}.");
    }
}
