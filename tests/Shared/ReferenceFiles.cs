namespace NQPF.Tests.Shared;

/// <summary>
/// The one lookup of test reference material for every test project and the benchmarks: the repository root (the
/// folder holding <c>NQPF.Pipeline.sln</c>, found walking up from the test assembly) and the R reference datasets and
/// expected values committed under <c>tests/reference/</c> (provenance in its README). Nothing outside the repository
/// is read.
/// </summary>
internal static class ReferenceFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>tests/reference</c> of this repository.</summary>
    public static string Root { get; } = Path.Combine(RepoRoot, "tests", "reference");

    /// <summary>A reference dataset, e.g. <c>Dataset("mpdta.csv")</c> → <c>tests/reference/datasets/mpdta.csv</c>.</summary>
    public static string Dataset(string file) => Existing(Path.Combine(Root, "datasets", file));

    /// <summary>A reference result, e.g. <c>Expected("twfe_mpdta.json")</c> → <c>tests/reference/expected/twfe_mpdta.json</c>.</summary>
    public static string Expected(string file) => Existing(Path.Combine(Root, "expected", file));

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Reference file {path} is not in the repository (see tests/reference/README.md).", path);

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NQPF.Pipeline.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("NQPF.Pipeline.sln not found above the test assembly or the working directory.");
    }
}
