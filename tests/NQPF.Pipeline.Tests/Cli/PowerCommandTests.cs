using System.Globalization;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>The power verb end to end on the repository's config with two seeds: every claim and part is tabulated.</summary>
public sealed class PowerCommandTests : IDisposable
{
    private readonly string _processed = Path.Combine(Path.GetTempPath(), "nqpf-power-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_processed)) Directory.Delete(_processed, recursive: true);
    }

    [Fact]
    public async Task Power_TwoSeeds_TabulatesEveryClaimAndPart()
    {
        var dir = Path.Combine(_processed, "docs");
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["power", "--seeds", "2", "--first-seed", "7", "--out", dir],
            DefaultDataRun.Settings(_processed), output, error);

        Assert.True(code == 0, error.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(dir, "power.md"));
        Assert.Equal(markdown, output.ToString());
        Assert.Contains("Seeds: 2 (7, 8)", markdown, StringComparison.Ordinal);
        var claimRows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains(". ", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, claimRows.Count);
        foreach (var (row, number) in claimRows.Select((r, i) => (r, i + 1)))
        {
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"| {number}. "), row, StringComparison.Ordinal);
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal("2", cells[3]);
            Assert.Contains(cells[4], new[] { "0.00", "0.50", "1.00" });
            Assert.Equal(2, int.Parse(cells[5], CultureInfo.InvariantCulture) + int.Parse(cells[6], CultureInfo.InvariantCulture)
                + int.Parse(cells[7], CultureInfo.InvariantCulture));
        }
        foreach (var part in new[] { "| 1 | bb |", "| 3 | cl − bb |", "| 5 | cluster_first − broadband_first |", "| 6 | innovation ← cl |",
                     "| 7 | dual × resource_based |", "| 7 | dual × target_intensified |" })
            Assert.Contains(part, markdown, StringComparison.Ordinal);
        Assert.Equal(2, error.ToString().Split('\n').Count(l => l.StartsWith("seed ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Power_NoSeeds_IsAUsageError()
    {
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["power", "--seeds", "0"], DefaultDataRun.Settings(_processed), new StringWriter(), error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--seeds needs at least 1", error.ToString(), StringComparison.Ordinal);
    }
}
