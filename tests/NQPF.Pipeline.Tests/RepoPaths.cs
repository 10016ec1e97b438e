namespace NQPF.Pipeline.Tests;

/// <summary>Locates the repository (the folder holding NQPF.Pipeline.sln) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Config(string file) => Path.Combine(Root, "config", file);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQPF.Pipeline.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("NQPF.Pipeline.sln not found above the test folder.");
    }
}
