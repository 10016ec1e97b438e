using BenchmarkDotNet.Attributes;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Simulation;
using NQPF.Tests.Shared;

namespace NQPF.Benchmarks;

/// <summary>
/// The CLI in-process on a temporary copy of the committed default data (data-raw/, <see cref="Scale"/> 1) or on
/// data simulated with <c>simulate --scale 10</c> (2,750 units and their configuration): ingest alone, the whole
/// pipeline cold (every stage computed, --force), and a rerun with nothing changed (every stage reused). Goals at 1×:
/// cold under 5 s in stages on 2 cores, rerun under 3 s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class PipelineBenchmarks
{
    private string _work = null!;
    private string _raw = null!;
    private string _processed = null!;
    private string _config = null!;

    /// <summary>Roster size in multiples of the study's 275 cities (100× does not fit a benchmark's repetitions: see the README's table).</summary>
    [Params(1, 10)]
    public int Scale { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _work = Path.Combine(Path.GetTempPath(), "nqpf-bench-" + Guid.NewGuid().ToString("N"));
        _raw = Path.Combine(_work, "raw");
        _processed = Path.Combine(_work, "processed");
        _config = Path.Combine(ReferenceFiles.RepoRoot, "config");
        if (Scale == 1)
        {
            Directory.CreateDirectory(_raw);
            foreach (var file in Directory.GetFiles(Path.Combine(ReferenceFiles.RepoRoot, "data-raw"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(_raw, Path.GetRelativePath(Path.Combine(ReferenceFiles.RepoRoot, "data-raw"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        else
        {
            _config = SimulationRun.Run(new SimulateOptions(_raw, SimulateOptions.DefaultSeed, 2011, 2021, _config, Scale: Scale)).ConfigDirectory;
        }
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
        var settings = new HostSettings { ConfigDir = _config };
        var code = CommandCatalog.RunAsync([.. verb, "--raw", _raw, "--processed", _processed], settings).GetAwaiter().GetResult();
        return code == 0 ? code : throw new InvalidOperationException($"`{string.Join(' ', verb)}` exited {code}.");
    }
}
