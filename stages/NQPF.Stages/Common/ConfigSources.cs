namespace NQPF.Stages.Common;

/// <summary>Access to the config files a stage declared in its SourceGlobs ("config:&lt;path&gt;").</summary>
internal static class ConfigSources
{
    /// <summary>The bytes of config/<paramref name="relativePath"/>; throws naming the file and stage when absent.</summary>
    public static byte[] Config(this StageContext context, string relativePath, string stage) =>
        context.Sources.FirstOrDefault(s => s.Root == "config" && s.RelativePath == relativePath)?.Content
        ?? throw new MissingCheckpointException($"config/{relativePath} was not provided to the {stage} stage.");
}
