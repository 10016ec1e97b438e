namespace NQPF.Pipeline.Tests;

/// <summary>Locates the repository (the folder holding NQPF.Pipeline.sln) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Config(string file) => Path.Combine(Root, "config", file);

    /// <summary>
    /// The shared reference folder (datasets and expected values from R): NQPF_REFERENCE, else the first
    /// <c>shared/reference</c> found walking up from the repository.
    /// </summary>
    public static string Reference { get; } = FindReference();

    private static string FindReference()
    {
        var env = Environment.GetEnvironmentVariable("NQPF_REFERENCE");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/reference not found; set NQPF_REFERENCE.");
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NQPF.Pipeline.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("NQPF.Pipeline.sln not found above the test folder.");
    }
}
