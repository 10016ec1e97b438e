using Microsoft.Extensions.Logging.Abstractions;
using NQPF.Pipeline.Files;
using NQPF.Stages;
using NQPF.Stages.Common;
using NQPF.Stages.Ingest;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>Runs the ingest stage directly on a raw folder and the repository's config (or given config files).</summary>
internal static class IngestHarness
{
    public static StageResult Run(string rawDirectory, IngestOptions? options = null, string? configDirectory = null)
    {
        var config = configDirectory ?? Path.Combine(RepoPaths.Root, "config");
        var sources = Directory.GetFiles(rawDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(rawDirectory, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
            .Select(f => new SourceFile("raw", f, File.ReadAllBytes(Path.Combine(rawDirectory, f))))
            .Concat(new[] { "fields.json", "cities.csv", "city_changes.csv" }
                .Select(n => new SourceFile("config", n, File.ReadAllBytes(Path.Combine(config, n)))))
            .ToList();
        var reader = new SheetReader();
        var stage = new IngestStage(reader, options ?? new IngestOptions());
        var context = new StageContext(new Dictionary<string, Frame>(), sources, new Progress<StageProgress>(), NullLogger.Instance)
        {
            Config = new ConfigTables(sources, reader),
        };
        return stage.Run(context, CancellationToken.None);
    }
}
