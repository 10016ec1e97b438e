using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>The validate verb end to end with a few replications: it writes the Markdown report and the coverage figure.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Validate_FewReplications_WritesReportAndFigure()
    {
        var dir = Path.Combine(_workspace.Root, "docs");
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["validate", "--reps", "3", "--seed", "5", "--out", dir], _workspace.HostSettings(), output, error);

        Assert.True(code == 0, error.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(dir, "validation.md"));
        Assert.Equal(markdown, output.ToString());
        Assert.Contains("| heterogeneous | twfe |", markdown, StringComparison.Ordinal);
        Assert.Contains("| wild_bootstrap | 3 |", markdown, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(dir, "validation_coverage.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(dir, "validation_coverage.svg")).Length > 1000);
    }

    [Fact]
    public async Task Validate_OneReplication_IsAUsageError()
    {
        var error = new StringWriter();
        var code = await CommandCatalog.RunAsync(["validate", "--reps", "1"], _workspace.HostSettings(), new StringWriter(), error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--reps needs at least 2", error.ToString(), StringComparison.Ordinal);
    }
}
