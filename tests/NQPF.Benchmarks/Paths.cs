namespace NQPF.Benchmarks;

/// <summary>Finds the repository root (the folder holding NQPF.Pipeline.sln) and the shared reference data beside it.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "NQPF.Pipeline.sln")))
        ?? FindUp(Directory.GetCurrentDirectory(), d => File.Exists(Path.Combine(d, "NQPF.Pipeline.sln")))
        ?? throw new DirectoryNotFoundException("Run the benchmarks from inside the repository (NQPF.Pipeline.sln not found).");

    public static string Reference { get; } = Environment.GetEnvironmentVariable("NQPF_REFERENCE") ?? FindReference();

    private static string FindReference()
    {
        var parent = FindUp(RepoRoot, d => Directory.Exists(Path.Combine(d, "shared", "reference")))
            ?? throw new DirectoryNotFoundException("shared/reference not found beside the repository; set NQPF_REFERENCE.");
        return Path.Combine(parent, "shared", "reference");
    }

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName))
                return dir.FullName;
        }
        return null;
    }
}
