using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Stages;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Tests.TestStages;

/// <summary>
/// Knobs shared by the test-only stages. Marker files let a test (or a test driving the real executable) make a stage
/// fail, hang at a known point, or count how often it really ran.
/// </summary>
public record TestStageOptions
{
    public double Factor { get; init; } = 1;

    /// <summary>The stage throws a <see cref="DataValidationException"/> while this file exists.</summary>
    public string FailIfFileExists { get; init; } = "";

    /// <summary>The stage writes this file when it starts its work.</summary>
    public string StartedMarker { get; init; } = "";

    /// <summary>The stage waits (cancellably) while this file exists.</summary>
    public string HangWhileFileExists { get; init; } = "";

    /// <summary>Each real execution appends one line to this file.</summary>
    public string RunLog { get; init; } = "";
}

public sealed record AlphaOptions : TestStageOptions;

public sealed record BetaOptions : TestStageOptions;

public sealed record GammaOptions : TestStageOptions;

internal static class Behaviour
{
    public static void Apply(string stage, TestStageOptions options, CancellationToken ct)
    {
        if (options.RunLog.Length > 0)
            File.AppendAllText(options.RunLog, stage + "\n");
        if (options.StartedMarker.Length > 0)
            File.WriteAllText(options.StartedMarker, stage);
        while (options.HangWhileFileExists.Length > 0 && File.Exists(options.HangWhileFileExists))
            Task.Delay(50, ct).GetAwaiter().GetResult();
        if (options.FailIfFileExists.Length > 0 && File.Exists(options.FailIfFileExists))
            throw new DataValidationException($"{stage}: failing because {options.FailIfFileExists} exists.");
    }
}

/// <summary>Reads every raw *.csv ("city_code,year,value" lines) into one frame.</summary>
internal sealed class AlphaStage(AlphaOptions options) : IStage
{
    public string Name => "alpha";
    public int Version => 1;
    public string ConfigSection => "Alpha";
    public object Settings => options;
    public IReadOnlyList<string> Inputs => [];
    public IReadOnlyList<string> Outputs => ["numbers"];
    public IReadOnlyList<string> SourceGlobs => ["raw:**/*.csv"];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        Behaviour.Apply(Name, options, cancellationToken);
        var cities = new List<string?>();
        var years = new List<long>();
        var values = new List<double>();
        var flags = new List<bool>();
        foreach (var source in context.Sources)
        {
            var lines = Encoding.UTF8.GetString(source.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var line in lines)
            {
                var cells = line.Split(',');
                cities.Add(cells[0].Length == 0 ? null : cells[0]);
                years.Add(long.Parse(cells[1], CultureInfo.InvariantCulture));
                values.Add(cells[2].Length == 0 ? double.NaN : double.Parse(cells[2], CultureInfo.InvariantCulture));
                flags.Add(years[^1] % 2 == 0);
            }
            context.Progress.Report(new StageProgress(cities.Count, cities.Count, source.RelativePath));
        }
        var frame = new Frame(
            new StringColumn("city_code", [.. cities]), new LongColumn("year", [.. years]),
            new DoubleColumn("value", [.. values]), new BoolColumn("even_year", [.. flags]));
        return new StageResult(new Dictionary<string, Frame> { ["numbers"] = frame });
    }
}

/// <summary>
/// Multiplies alpha's values by its factor; also renders a small Markdown document that lists the input columns it was
/// given (it declares the three it reads, so alpha's even_year is not loaded).
/// </summary>
internal sealed class BetaStage(BetaOptions options) : IStage
{
    public string Name => "beta";
    public int Version => 1;
    public string ConfigSection => "Beta";
    public object Settings => options;
    public IReadOnlyList<string> Inputs => ["alpha/numbers"];
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputColumns =>
        new Dictionary<string, IReadOnlyList<string>> { ["alpha/numbers"] = ["city_code", "year", "value"] };
    public IReadOnlyList<string> Outputs => ["scaled"];
    public IReadOnlyList<string> SourceGlobs => [];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        Behaviour.Apply(Name, options, cancellationToken);
        var input = context.Input("alpha/numbers");
        var scaled = input.Doubles("value").Select(v => v * options.Factor).ToArray();
        var frame = new Frame(input["city_code"], input["year"], new DoubleColumn("scaled", scaled));
        var summary = string.Create(CultureInfo.InvariantCulture, $"# beta\n\n{frame.RowCount} rows, factor {options.Factor}\n\ninput columns: {string.Join(", ", input.Columns.Select(c => c.Name))}\n");
        return new StageResult(new Dictionary<string, Frame> { ["scaled"] = frame },
            [new StageDocument("summary.md", Encoding.UTF8.GetBytes(summary))]);
    }
}

/// <summary>Sums beta's scaled values (NaN skipped) into a one-row frame.</summary>
internal sealed class GammaStage(GammaOptions options) : IStage
{
    public string Name => "gamma";
    public int Version => 1;
    public string ConfigSection => "Gamma";
    public object Settings => options;
    public IReadOnlyList<string> Inputs => ["beta/scaled"];
    public IReadOnlyList<string> Outputs => ["total"];
    public IReadOnlyList<string> SourceGlobs => [];

    public StageResult Run(StageContext context, CancellationToken cancellationToken)
    {
        Behaviour.Apply(Name, options, cancellationToken);
        var total = context.Input("beta/scaled").Doubles("scaled").Where(v => !double.IsNaN(v)).Sum() * options.Factor;
        return new StageResult(new Dictionary<string, Frame> { ["total"] = new(new DoubleColumn("total", [total])) });
    }
}

/// <summary>Registers the test stages (in process, and in the child process of <see cref="TestStageHost"/>).</summary>
internal static class TestStageCatalog
{
    public static void RegisterAll(StageRegistry registry) => registry
        .UseOrder("alpha", "beta", "gamma")
        .Add<AlphaStage, AlphaOptions>("Alpha")
        .Add<BetaStage, BetaOptions>("Beta")
        .Add<GammaStage, GammaOptions>("Gamma");
}

/// <summary>Where <see cref="PausingWriteHook"/> stops: the atomic write of <see cref="File"/> at <see cref="Phase"/>.</summary>
internal sealed record PauseWriteOptions
{
    /// <summary>File name (no folder) of the write to pause, e.g. "scaled.parquet".</summary>
    public string File { get; init; } = "";

    public WritePhase Phase { get; init; } = WritePhase.PartWritten;

    /// <summary>Written when the pause begins; holds the temporary file's path (then the final path, on one line each).</summary>
    public string Marker { get; init; } = "";

    /// <summary>The write stays paused while this file exists.</summary>
    public string HangWhileFileExists { get; init; } = "";
}

/// <summary>
/// Crash-test hook for the real executable: pauses one atomic write at a chosen phase and signals the test through a
/// marker file, so the test can SIGKILL the process with part of the bytes in the temporary file, before the rename,
/// or after the rename but before the ledger records the artifact.
/// </summary>
internal sealed class PausingWriteHook(PauseWriteOptions options) : IFileWriteHook
{
    public const string Section = "TestWriteHook";

    /// <summary>The hook the "TestWriteHook" config section describes; it pauses nothing when the section names no file.</summary>
    public static PausingWriteHook FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetSection(Section).Get<PauseWriteOptions>() ?? new PauseWriteOptions());

    public async ValueTask OnWriteAsync(WritePhase phase, string path, string tempPath, CancellationToken cancellationToken)
    {
        if (phase != options.Phase || !string.Equals(Path.GetFileName(path), options.File, StringComparison.Ordinal))
            return;
        // Written whole, then renamed: the test never sees half a marker.
        await File.WriteAllTextAsync(options.Marker + ".part", tempPath + "\n" + path + "\n", cancellationToken);
        File.Move(options.Marker + ".part", options.Marker, overwrite: true);
        while (options.HangWhileFileExists.Length > 0 && File.Exists(options.HangWhileFileExists))
            await Task.Delay(50, cancellationToken);
    }
}
