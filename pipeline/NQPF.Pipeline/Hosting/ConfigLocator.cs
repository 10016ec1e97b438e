namespace NQPF.Pipeline.Hosting;

/// <summary>
/// Finds the config folder no matter which folder the command is started from: <c>NQPF_CONFIG_DIR</c> if set,
/// otherwise the first folder, walking up from the current directory and then from the executable's folder,
/// that holds <c>NQPF.Pipeline.sln</c> and <c>config/appsettings.json</c>.
/// </summary>
internal static class ConfigLocator
{
    public const string EnvironmentVariable = "NQPF_CONFIG_DIR";
    public const string SettingsFile = "appsettings.json";

    public static string Locate() => Locate(
        Environment.GetEnvironmentVariable(EnvironmentVariable), [Directory.GetCurrentDirectory(), AppContext.BaseDirectory]);

    internal static string Locate(string? fromEnvironment, IReadOnlyList<string> startFolders)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var dir = Path.GetFullPath(fromEnvironment);
            return File.Exists(Path.Combine(dir, SettingsFile)) ? dir
                : throw new ConfigurationNotFoundException(
                    $"{EnvironmentVariable} points at '{dir}', which has no {SettingsFile}.");
        }
        foreach (var start in startFolders)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var config = Path.Combine(dir.FullName, "config");
                if (File.Exists(Path.Combine(dir.FullName, "NQPF.Pipeline.sln")) && File.Exists(Path.Combine(config, SettingsFile)))
                    return config;
            }
        }
        throw new ConfigurationNotFoundException(
            $"Cannot find config/{SettingsFile} above {string.Join(" or ", startFolders.Select(f => $"'{f}'"))}. " +
            $"Run from inside the repository or set {EnvironmentVariable}.");
    }
}

internal sealed class ConfigurationNotFoundException(string message) : Exception(message);
