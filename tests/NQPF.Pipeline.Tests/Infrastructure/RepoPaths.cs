using NQPF.Tests.Shared;

namespace NQPF.Pipeline.Tests;

/// <summary>Folders of this repository as the pipeline tests use them (located by <see cref="ReferenceFiles"/>).</summary>
internal static class RepoPaths
{
    public static string Root => ReferenceFiles.RepoRoot;

    public static string Config(string file) => Path.Combine(Root, "config", file);
}
