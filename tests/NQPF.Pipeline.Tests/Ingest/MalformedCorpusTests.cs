using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Files;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Runner;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;
using NQPF.Stages.Common;

namespace NQPF.Pipeline.Tests.Ingest;

/// <summary>
/// The committed corpus of malformed yearbook files (tests/NQPF.Pipeline.Tests/Corpus, written once by
/// Corpus/generate.py) against its manifest malformed/expected.csv. Each file is ingested by the real runner
/// (<c>run --to ingest</c> in-process, default config copied to a temp workspace) beside a valid yearbook of another
/// year (Corpus/valid/csy_2012.csv), and must give exactly the documented outcome:
/// <list type="bullet">
/// <item><c>error</c>: the run fails with a domain error (no "SomethingException:" prefix, which the runner adds only to
/// unexpected exceptions) naming the file, the given sheet/row/column/city, and containing the message fragment;</item>
/// <item><c>finding</c>: the run succeeds and ingest/findings has a row of that kind at that place whose detail
/// contains the fragment;</item>
/// <item><c>ok</c>: the run succeeds and the file's ingest/report row has the listed values (column=value;…).</item>
/// </list>
/// In every case the raw files' bytes are unchanged (SHA-256 before and after), and when the run succeeds the CSV
/// export of ingest/findings and ingest/report is spreadsheet-safe (hostile cell text is neutralised).
/// </summary>
public sealed class MalformedCorpusTests(MalformedCorpusTests.ConfigCopy config) : IClassFixture<MalformedCorpusTests.ConfigCopy>
{
    public static string CorpusDir => Path.Combine(RepoPaths.Root, "tests", "NQPF.Pipeline.Tests", "Corpus");

    public static string MalformedDir => Path.Combine(CorpusDir, "malformed");

    public static string Companion => Path.Combine(CorpusDir, "valid", "csy_2012.csv");

    /// <summary>The repository's config folder copied once for the class: runs never read or write the real one.</summary>
    public sealed class ConfigCopy : IDisposable
    {
        public ConfigCopy()
        {
            Dir = Path.Combine(Path.GetTempPath(), "nqpf-corpus-config-" + Guid.NewGuid().ToString("N")[..10]);
            var source = Path.Combine(RepoPaths.Root, "config");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Dir, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public string Dir { get; }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    internal sealed record Case(string File, string Defect, string Outcome, string Kind, string Sheet, string Row, string Column,
        string City, string Message);

    internal static IReadOnlyList<Case> Manifest()
    {
        var path = Path.Combine(MalformedDir, "expected.csv");
        var sheet = new SheetReader().Read("expected.csv", File.ReadAllBytes(path), new ReadLimits()).Sheets[0];
        return SheetTable.Records(sheet, "expected.csv", "file", "defect", "outcome", "kind", "sheet", "row", "column", "city", "message")
            .Select(r => new Case(r["file"], r["defect"], r["outcome"], r["kind"], r["sheet"], r["row"], r["column"], r["city"], r["message"]))
            .ToList();
    }

    public static TheoryData<string> Files() => [.. Manifest().Select(c => c.File)];

    [Fact]
    public void Manifest_ListsEveryCorpusFileOnce_AtLeastFifty()
    {
        var listed = Manifest().Select(c => c.File).ToList();
        var present = Directory.GetFiles(MalformedDir).Select(Path.GetFileName).Where(f => f != "expected.csv").Order(StringComparer.Ordinal);
        Assert.Equal(present, listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.True(listed.Count >= 50, $"{listed.Count} files");
        Assert.All(Manifest(), c => Assert.Contains(c.Outcome, new[] { "error", "finding", "ok" }));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Ingest_MalformedFile_GivesTheDocumentedOutcome(string file)
    {
        var c = Manifest().Single(m => m.File == file);
        var root = Path.Combine(Path.GetTempPath(), "nqpf-corpus-" + Guid.NewGuid().ToString("N")[..10]);
        var raw = Path.Combine(root, "raw");
        Directory.CreateDirectory(raw);
        try
        {
            File.Copy(Path.Combine(MalformedDir, file), Path.Combine(raw, file));
            File.Copy(Companion, Path.Combine(raw, Path.GetFileName(Companion)));
            var before = Hashes(raw);

            var settings = new HostSettings { ConfigDir = config.Dir, RawDir = raw, ProcessedDir = Path.Combine(root, "processed") };
            RunOutcome outcome;
            using (var host = PipelineHost.Build(settings))
            {
                PipelineHost.Validate(host.Services);
                outcome = await host.Services.GetRequiredService<PipelineRunner>().RunAsync(new RunRequest("test", To: "ingest"), CancellationToken.None);
            }

            Assert.Equal(before, Hashes(raw));
            if (outcome.Error is { } error)
                Assert.DoesNotMatch(UnexpectedException(), error);
            if (outcome.Succeeded)
            {
                foreach (var table in new[] { "findings", "report" })
                    AssertExportIsSpreadsheetSafe(await TableAsync(root, outcome.RunId, table), $"{file}: ingest/{table}");
            }
            switch (c.Outcome)
            {
                case "error":
                    Assert.False(outcome.Succeeded, $"{file} ({c.Defect}) was ingested without an error");
                    foreach (var part in ExpectedParts(c))
                        Assert.Contains(part, outcome.Error, StringComparison.Ordinal);
                    break;
                case "finding":
                    Assert.True(outcome.Succeeded, $"{file}: {outcome.Error}");
                    var findings = await TableAsync(root, outcome.RunId, "findings");
                    var hits = Enumerable.Range(0, findings.RowCount).Where(i => IsExpectedFinding(findings, i, c)).ToList();
                    Assert.True(hits.Count > 0, $"{file}: no '{c.Kind}' finding at sheet '{c.Sheet}' row {c.Row} column {c.Column} " +
                        $"city '{c.City}' with '{c.Message}'. Findings:\n{Describe(findings, file)}");
                    break;
                default:
                    Assert.True(outcome.Succeeded, $"{file}: {outcome.Error}");
                    var report = await TableAsync(root, outcome.RunId, "report");
                    var row = Array.IndexOf(report.Strings("file"), file);
                    Assert.True(row >= 0, $"{file} is not in ingest/report");
                    foreach (var pair in c.Message.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        var (column, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                        var actual = report[column] is LongColumn l ? l.Values[row].ToString(System.Globalization.CultureInfo.InvariantCulture) : report.Strings(column)[row];
                        Assert.True(value == actual, $"{file}: report {column} = '{actual}', expected '{value}'");
                    }
                    break;
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The places an error message must name: the file, and the sheet/row/column/city given in the manifest.</summary>
    private static IEnumerable<string> ExpectedParts(Case c)
    {
        yield return c.File;
        if (c.Sheet.Length > 0) yield return $"sheet '{c.Sheet}'";
        if (c.Row.Length > 0) yield return $"{(c.File.EndsWith(".csv", StringComparison.Ordinal) && c.Sheet.Length == 0 ? "line" : "row")} {c.Row}";
        if (c.Column.Length > 0) yield return $"column {c.Column}";
        if (c.City.Length > 0) yield return c.City;
        yield return c.Message;
    }

    /// <summary>
    /// Cell text from a hostile file reaches the findings (city names, cell values): the CSV export of the table, read
    /// back as a spreadsheet would, holds no cell that a spreadsheet would evaluate (neutralising again changes nothing).
    /// </summary>
    private static void AssertExportIsSpreadsheetSafe(Frame table, string what)
    {
        var csv = System.Text.Encoding.UTF8.GetBytes(FrameExport.ToCsv(table));
        foreach (var row in new SheetReader().Read("export.csv", csv, new ReadLimits()).Sheets[0].Rows)
        {
            foreach (var cell in row.Cells.Where(c => !string.IsNullOrEmpty(c)))
                Assert.True(FrameExport.Neutralise(cell!) == cell, $"{what}: exported cell '{cell}' (row {row.Number}) would be evaluated");
        }
    }

    private static bool IsExpectedFinding(Frame f, int i, Case c) =>
        f.Strings("file")[i] == c.File && f.Strings("kind")[i] == c.Kind
        && (c.Sheet.Length == 0 || f.Strings("sheet")[i] == c.Sheet)
        && (c.Row.Length == 0 || f.Longs("row")[i].ToString(System.Globalization.CultureInfo.InvariantCulture) == c.Row)
        && (c.Column.Length == 0 || f.Strings("column")[i] == c.Column)
        && (c.City.Length == 0 || f.Strings("city")[i] == c.City)
        && (f.Strings("detail")[i] ?? "").Contains(c.Message, StringComparison.Ordinal);

    private static string Describe(Frame f, string file) => string.Join("\n", Enumerable.Range(0, f.RowCount)
        .Where(i => f.Strings("file")[i] == file)
        .Select(i => $"{f.Strings("kind")[i]} | {f.Strings("sheet")[i]} | {f.Longs("row")[i]} | {f.Strings("column")[i]} | {f.Strings("city")[i]} | {f.Strings("detail")[i]}"));

    private static async Task<Frame> TableAsync(string root, string runId, string name)
    {
        var path = Path.Combine(root, "processed", "runs", runId, "01-ingest", name + ".parquet");
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(path), path, CancellationToken.None);
    }

    private static Dictionary<string, string> Hashes(string dir) => Directory.GetFiles(dir)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    /// <summary><see cref="StageRunIds.Describe"/> prefixes the type name only for exceptions that are not domain errors.</summary>
    private static Regex UnexpectedException() => new("^[A-Za-z.]*Exception: ", RegexOptions.None, TimeSpan.FromSeconds(1));
}

/// <summary>The real executable on bad yearbook files: a clean failure (exit 1) with a message naming the file on stderr.</summary>
public sealed class MalformedFileProcessTests : IDisposable
{
    private readonly Workspace _ws = new() { UseTestStages = false };

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("truncated-half-2013.xlsx", "unreadable workbook")]
    [InlineData("utf16le-no-bom-2013.csv", "looks like UTF-16LE without a byte-order mark")]
    public async Task RunToIngest_BadFile_ExitsOneNamingTheFileOnStderr(string file, string message)
    {
        foreach (var f in Directory.GetFiles(_ws.RawDir))
            File.Delete(f);
        var config = Path.Combine(RepoPaths.Root, "config");
        foreach (var f in Directory.EnumerateFiles(config, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_ws.ConfigDir, Path.GetRelativePath(config, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target, overwrite: true);
        }
        File.Copy(Path.Combine(MalformedCorpusTests.MalformedDir, file), Path.Combine(_ws.RawDir, file));
        File.Copy(MalformedCorpusTests.Companion, Path.Combine(_ws.RawDir, "csy_2012.csv"));

        using var run = PipelineProcess.Start(_ws, "run", "--to", "ingest");
        var code = await run.WaitAsync();

        Assert.True(code == 1, $"exit {code}\n{run.Transcript}");
        var errorLine = run.Errors.Split('\n').SingleOrDefault(l => l.StartsWith("error: run ", StringComparison.Ordinal));
        Assert.True(errorLine is not null, run.Transcript);
        Assert.Contains(file + ":", errorLine, StringComparison.Ordinal);
        Assert.Contains(message, errorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors, StringComparison.Ordinal);
    }
}
