using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NQPF.Pipeline.Tests.Infrastructure;

/// <summary>What a headless Chromium saw when it loaded a page.</summary>
internal sealed record BrowserLoad(string Dom, IReadOnlyList<string> ConsoleMessages, string Screenshot);

/// <summary>
/// Drives Debian's system Chromium (installed by .ci/run; never a downloaded browser) in headless mode: one process
/// loads the page and dumps the DOM after scripts ran, with console messages logged to stderr; a second one takes the
/// screenshot. No network: background networking, component updates and sync are off, and a fresh profile is used.
/// </summary>
internal static partial class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static async Task<BrowserLoad> LoadAsync(string htmlPath, string screenshotPath, int width = 1280, int height = 1600)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's chromium (.ci/run does: apt-get install chromium).");
        var url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        var (dom, log) = await RunAsync(["--dump-dom", url]);
        await RunAsync([$"--window-size={width},{height}", $"--screenshot={Path.GetFullPath(screenshotPath)}", url]);
        var console = log.Split('\n').Where(l => ConsoleLine().IsMatch(l)).ToList();
        return new BrowserLoad(dom, console, screenshotPath);
    }

    private static async Task<(string Out, string Err)> RunAsync(IEnumerable<string> arguments)
    {
        var profile = Path.Combine(Path.GetTempPath(), "nqpf-chromium-" + Guid.NewGuid().ToString("N")[..10]);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile}",
                 }.Concat(arguments))
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            return (await output, await error);
        }
        finally
        {
            if (Directory.Exists(profile))
                Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex(@":CONSOLE[:(]")]
    private static partial Regex ConsoleLine();
}
