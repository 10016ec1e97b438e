using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NQPF.Pipeline.Checkpoints;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Tests.Infrastructure;
using NQPF.Stages;
using Xunit.Abstractions;

namespace NQPF.Pipeline.Tests.Report;

/// <summary>
/// The data engineer's day: the real <c>watch</c> executable on a temp copy of the repository's
/// config/ and data-raw/ (all seven stages) completes its first run; a 2022 yearbook made by the <c>simulate</c> verb
/// is dropped into the raw folder (copied under a temporary name then renamed, or copied slowly in place); exactly one
/// new run follows, recomputes every stage whose inputs changed, extends the panel to 2022 and publishes a report whose
/// "what changed" section compares it with the first run. Then the 2022 growth targets arrive (the other way of
/// dropping): one more run, which reuses the stages they do not reach.
/// </summary>
public sealed class RefreshEndToEndTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The committed workbook of data year 2021 and the next one, data year 2022 (editions print the year after).</summary>
    private const string Edition2022 = "地级市（及以上城市）统计资料（2022年）.xlsx";

    private const string Edition2023 = "地级市（及以上城市）统计资料（2023年）.xlsx";

    private const string Unchanged = "No run (watch): raw data and configuration unchanged";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Settings that keep a full run CI-sized (the numbers' code paths are the same; only the draw counts shrink):
    /// 19 Fisher permutations per heterogeneity test instead of 1000 (the estimate stage's default makes ~30,000 fits),
    /// 19 mediation bootstrap draws instead of 499, 40 placebo draws per treatment and kind instead of 1000, 49
    /// Callaway–Sant'Anna multiplier-bootstrap draws instead of 1000; no cron schedule; a 1 s debounce and stability
    /// window and a 2 s poll so the watch reacts quickly.
    /// </summary>
    private static readonly Dictionary<string, string> CiSettings = new()
    {
        ["NQPF_Estimate__PermutationDraws"] = "19",
        ["NQPF_Estimate__BootstrapDraws"] = "19",
        ["NQPF_Robustness__Placebo__Draws"] = "40",
        ["NQPF_Robustness__Staggered__BootstrapDraws"] = "49",
        ["NQPF_Watch__Schedule"] = "",
        ["NQPF_Watch__DebounceSeconds"] = "1",
        ["NQPF_Watch__StableSeconds"] = "1",
        ["NQPF_Watch__PollSeconds"] = "2",
        ["NQPF_Pipeline__LockTimeoutSeconds"] = "120",
    };

    private static readonly string[] AllStages = ["ingest", "clean", "index", "cohorts", "estimate", "robustness", "report"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "nqpf-refresh-" + Guid.NewGuid().ToString("N")[..10]);

    private ProcessFolders Folders => new(_root, Path.Combine(_root, "config"), Path.Combine(_root, "raw"), Path.Combine(_root, "processed"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("rename", "copy")]
    [InlineData("copy", "rename")]
    public async Task Watch_2022YearbookThenItsTargets_OneRunEachRecomputingOnlyWhatChangedWithTheDiffInTheReport(
        string yearbookDrop, string targetsDrop)
    {
        var clock = Stopwatch.StartNew();
        CopyDirectory(Path.Combine(RepoPaths.Root, "config"), Folders.ConfigDir);
        CopyDirectory(Path.Combine(RepoPaths.Root, "data-raw"), Folders.RawDir);

        using var watch = PipelineProcess.Start(Folders, CiSettings, "watch");
        // While the first run works: the next yearbook, from the same simulated world as the committed files.
        var (yearbook, targets) = await SimulateNextYearAsync();
        var first = (await WaitForRunsAsync(1, watch))[0];
        Assert.True(first.Status == "succeeded", watch.Transcript);
        Assert.Equal("watch", first.Trigger);
        var firstSeconds = clock.Elapsed.TotalSeconds;

        // The 2022 yearbook arrives: one run that recomputes everything and extends the panel.
        await DropAsync(yearbook, Path.Combine(Folders.RawDir, Edition2023), yearbookDrop);
        var refresh = (await WaitForRunsAsync(2, watch))[0];
        // Later the 2022 growth targets arrive: one run that reuses what they do not touch.
        await DropAsync(targets, Path.Combine(Folders.RawDir, "growth_targets_2022.csv"), targetsDrop);
        var withTargets = (await WaitForRunsAsync(3, watch))[0];
        // Nothing else is pending: a touched file makes the watch look again and decide there is nothing to run.
        var checksBefore = PipelineProcess.Occurrences(watch.Errors, Unchanged);
        File.SetLastWriteTimeUtc(Path.Combine(Folders.RawDir, Edition2022), DateTime.UtcNow.AddMinutes(1));
        await watch.WaitForLogAsync(Unchanged, checksBefore + 1, RunTimeout);
        watch.Terminate();
        Assert.True(await watch.WaitAsync() == 0, watch.Transcript);

        var runs = await RunsAsync();
        Assert.Equal([withTargets.Id, refresh.Id, first.Id], runs.Select(r => r.Id));
        Assert.All(runs, r => Assert.Equal(("succeeded", "watch"), (r.Status, r.Trigger)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"yearbook {yearbookDrop}, targets {targetsDrop}: first run done after {firstSeconds:F0} s; yearbook run {refresh.Seconds:F1} s; " +
            $"targets run {withTargets.Seconds:F1} s; whole test {clock.Elapsed.TotalSeconds:F0} s"));

        // The yearbook reaches every stage: ingest reads raw, and each later stage reads a changed table.
        var yearbookStages = await AssertNothingStaleReusedAsync(first.Id, refresh.Id);
        Assert.All(yearbookStages, s => Assert.Equal(("succeeded", true), (s.Status, s.Changed)));
        await AssertPanelExtendedTo2022Async(first.Id, refresh.Id);
        await AssertReportSaysWhatChangedAsync(first.Id, refresh.Id);

        // The targets change ingest/targets only: clean (ingest/panel unchanged) is reused, cohorts and what reads
        // its attributes are recomputed, and the report lists the one added file and no weight change.
        var targetStages = (await AssertNothingStaleReusedAsync(refresh.Id, withTargets.Id)).ToDictionary(s => s.Stage);
        Assert.Equal(("reused", false), (targetStages["clean"].Status, targetStages["clean"].Changed));
        Assert.All(new[] { "ingest", "cohorts", "estimate", "report" }, s => Assert.Equal(("succeeded", true), (targetStages[s].Status, targetStages[s].Changed)));
        var summary = await TableAsync(withTargets.Id, "04-cohorts", "summary");
        var targetYears = Array.IndexOf(summary.Strings("measure"), "target_years");
        Assert.Equal(12, summary.Longs("value")[targetYears]);
        var files = await TableAsync(withTargets.Id, "07-report", "diff_files");
        Assert.Equal(["growth_targets_2022.csv"], files.Strings("path").Cast<string>());
        Assert.Equal(0, (await TableAsync(withTargets.Id, "07-report", "diff_coverage")).RowCount);
        Assert.All((await TableAsync(withTargets.Id, "07-report", "diff_weights")).Doubles("change"), c => Assert.Equal(0.0, c));
    }

    /// <summary>
    /// Runs <c>simulate --years 2011-2022</c> (default seed) into a staging folder outside raw; returns its 2022
    /// yearbook and the 2022 rows of its growth-target file as the separate file a data engineer would receive.
    /// </summary>
    private async Task<(string Yearbook, string Targets)> SimulateNextYearAsync()
    {
        var staging = Path.Combine(_root, "incoming");
        var (code, _, error) = await CliAsync("simulate", "--out", staging, "--years", "2011-2022", "--truth", Path.Combine(_root, "incoming-truth"));
        Assert.True(code == 0, error);
        // Same seed: the 2011–2021 files it also wrote are the committed ones, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "data-raw", Edition2022)), File.ReadAllBytes(Path.Combine(staging, Edition2022)));
        // Title row, header row (地区,行政区划代码,级别,年份,…), then one row per unit and year.
        var lines = File.ReadAllLines(Path.Combine(staging, "growth_targets_2011-2022.csv"), Encoding.UTF8);
        var rows2022 = lines.Skip(2).Where(l => l.Split(',')[3] == "2022").ToList();
        Assert.True(rows2022.Count > 275, $"{rows2022.Count} target rows for 2022");
        var targets = Path.Combine(staging, "growth_targets_2022.csv");
        File.WriteAllLines(targets, [lines[0].Replace("2011-2022", "2022", StringComparison.Ordinal), lines[1], .. rows2022], new UTF8Encoding(true));
        return (Path.Combine(staging, Edition2023), targets);
    }

    /// <summary>
    /// "rename": copy under a temporary name in the raw folder (never a source: .part) then rename, as rsync and most
    /// tools do; "copy": write the file in place in four chunks 400 ms apart, as a slow copy would.
    /// </summary>
    private static async Task DropAsync(string source, string target, string mode)
    {
        if (mode == "rename")
        {
            var part = target + ".part";
            File.Copy(source, part);
            await Task.Delay(500);
            File.Move(part, target);
            return;
        }
        var bytes = await File.ReadAllBytesAsync(source);
        await using var stream = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
        var chunk = (bytes.Length + 3) / 4;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)));
            await stream.FlushAsync();
            await Task.Delay(400);
        }
    }

    /// <summary>
    /// Every stage of the new run either recomputed or reused with exactly the input hashes (tables, previous-run
    /// tables) and source hashes (raw and config files) of the run before; returns each stage's status and whether
    /// its inputs changed.
    /// </summary>
    private async Task<List<(string Stage, string Status, bool Changed)>> AssertNothingStaleReusedAsync(string previousId, string runId)
    {
        var before = await StagesAsync(previousId);
        var after = await StagesAsync(runId);
        Assert.Equal(AllStages, after.Select(s => s.Stage));
        var result = new List<(string, string, bool)>();
        foreach (var stage in after)
        {
            var old = before.Single(s => s.Stage == stage.Stage);
            var changed = stage.Inputs != old.Inputs || stage.Sources != old.Sources;
            output.WriteLine($"{runId} {stage.Stage}: {stage.Status}, inputs changed: {changed}");
            if (stage.Status == "reused")
                Assert.False(changed, $"{stage.Stage} was reused although its inputs changed");
            else
                Assert.Equal("succeeded", stage.Status);
            result.Add((stage.Stage, stage.Status, changed));
        }
        return result;
    }

    private async Task AssertPanelExtendedTo2022Async(string previousId, string refreshId)
    {
        var oldPanel = await TableAsync(previousId, "02-clean", "panel");
        Assert.Equal(2021, oldPanel.Longs("year").Max());
        Assert.Equal(275 * 11, oldPanel.RowCount);
        foreach (var (folder, name) in new[] { ("02-clean", "panel"), ("03-index", "index"), ("04-cohorts", "treatment") })
        {
            var frame = await TableAsync(refreshId, folder, name);
            Assert.Equal(275 * 12, frame.RowCount);
            Assert.Equal(Enumerable.Range(2011, 12).Select(y => (long)y), frame.Longs("year").Distinct().Order());
            var cities2022 = Enumerable.Range(0, frame.RowCount).Where(i => frame.Longs("year")[i] == 2022).Select(i => frame.Strings("city_code")[i]).Distinct();
            Assert.Equal(275, cities2022.Count());
        }
        var index = await TableAsync(refreshId, "03-index", "index");
        Assert.All(Enumerable.Range(0, index.RowCount).Where(i => index.Longs("year")[i] == 2022), i => Assert.True(double.IsFinite(index.Doubles("nqpf")[i])));

        // Global normalisation re-scales history when a year arrives; the index stage says by how much (2011–2021).
        var vintage = await TableAsync(refreshId, "03-index", "vintage");
        var nqpf = Array.IndexOf(vintage.Strings("name"), "nqpf");
        Assert.Equal(275 * 11, vintage.Longs("n")[nqpf]);
        Assert.True(vintage.Doubles("max_abs_diff")[nqpf] > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"index 2011-2021 moved: max |Δnqpf| {vintage.Doubles("max_abs_diff")[nqpf]:G4}, mean {vintage.Doubles("mean_abs_diff")[nqpf]:G4}, {vintage.Longs("moved")[nqpf]} city-years"));

        // The 2022 yearbook came without 2022 growth targets: the cohorts summary says the attributes rest on 2011–2021.
        var summary = await TableAsync(refreshId, "04-cohorts", "summary");
        var targets = Array.IndexOf(summary.Strings("measure"), "target_years");
        Assert.Equal("2011-2022", summary.Strings("group")[targets]);
        Assert.Equal(11, summary.Longs("value")[targets]);
        Assert.StartsWith("no growth target in 2022", summary.Strings("note")[targets], StringComparison.Ordinal);
    }

    private async Task AssertReportSaysWhatChangedAsync(string previousId, string refreshId)
    {
        var html = await File.ReadAllTextAsync(Path.Combine(Folders.ProcessedDir, "runs", refreshId, "report", "index.html"));
        Assert.Contains("data-section=\"diff\"", html, StringComparison.Ordinal);
        Assert.Contains($"previous successful run {previousId}", html, StringComparison.Ordinal);
        foreach (var table in new[] { "table-diff-files", "table-diff-coverage", "table-diff-weights", "table-diff-estimates" })
            Assert.Contains($"id=\"{table}\"", html, StringComparison.Ordinal);
        // The figures: event study (estimators side by side), placebo kernel densities, heterogeneity coefficient plot.
        foreach (var figure in new[] { "figure-event-", "figure-placebo-", "figure-heterogeneity" })
            Assert.Contains($"<figure class=\"chart\" id=\"{figure}", html, StringComparison.Ordinal);
        Assert.Contains("bandwidth bw.nrd0", html, StringComparison.Ordinal);
        foreach (var section in BrowserChecks.Sections)
            Assert.Contains($"data-section=\"{section}\"", html, StringComparison.Ordinal);

        var files = await TableAsync(refreshId, "07-report", "diff_files");
        Assert.Equal([Edition2023], files.Strings("path").Cast<string>());
        Assert.Equal(["added"], files.Strings("status").Cast<string>());
        var coverage = await TableAsync(refreshId, "07-report", "diff_coverage");
        Assert.Equal(["year"], coverage.Strings("dimension").Cast<string>());
        Assert.Equal(["2022"], coverage.Strings("value").Cast<string>());
        Assert.Equal(["added"], coverage.Strings("status").Cast<string>());

        // Global min–max normalisation over 2011–2022: every weight is re-estimated, both sets sum to 1.
        var weights = await TableAsync(refreshId, "07-report", "diff_weights");
        Assert.Equal(17, weights.RowCount);
        Assert.Equal(1.0, weights.Doubles("old").Sum(), 1e-9);
        Assert.Equal(1.0, weights.Doubles("new").Sum(), 1e-9);
        Assert.Contains(weights.Doubles("change"), c => Math.Abs(c) > 1e-6);
        for (var i = 0; i < weights.RowCount; i++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"weight {weights.Strings("indicator")[i]}: {weights.Doubles("old")[i]:F4} → {weights.Doubles("new")[i]:F4} ({weights.Doubles("change")[i]:+0.0000;-0.0000})"));

        // Key estimates: every row of both runs' tables is paired (same key), with the old and new values of each run.
        var estimates = await TableAsync(refreshId, "07-report", "diff_estimates");
        var flags = estimates.Strings("flag");
        Assert.DoesNotContain(flags, f => f is "removed");
        Assert.DoesNotContain("robustness/placebo_draws", estimates.Strings("dataset"));
        // The only new rows are event times that 2022 makes observable for the first time (2022 − the earliest
        // cohort: e = 8 for Broadband China 2014, e = 9 for the 2013 clusters) in the staggered estimators' table.
        var oldEvents = await TableAsync(previousId, "06-robustness", "staggered_event");
        foreach (var i in Enumerable.Range(0, estimates.RowCount).Where(i => flags[i] == "added"))
        {
            output.WriteLine($"added: {estimates.Strings("dataset")[i]} {estimates.Strings("key")[i]}");
            Assert.Equal("robustness/staggered_event", estimates.Strings("dataset")[i]);
            var key = estimates.Strings("key")[i]!.Split("; ").Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
            var oldMax = Enumerable.Range(0, oldEvents.RowCount).Where(r => oldEvents.Strings("treatment")[r] == key["treatment"])
                .Max(r => oldEvents.Longs("e")[r]);
            Assert.True(long.Parse(key["e"], CultureInfo.InvariantCulture) > oldMax, $"{key["e"]} was already estimable");
        }
        var oldBaseline = await TableAsync(previousId, "05-estimate", "baseline");
        var newBaseline = await TableAsync(refreshId, "05-estimate", "baseline");
        var baselineRows = Enumerable.Range(0, estimates.RowCount).Where(i => estimates.Strings("dataset")[i] == "estimate/baseline").ToList();
        // Control coefficients are not key estimates (key_term false): only the policy terms are compared.
        Assert.Equal(oldBaseline.Bools("key_term").Count(k => k), baselineRows.Count);
        foreach (var term in new[] { "bb", "cl", "dual" })
        {
            var row = baselineRows.First(i => estimates.Strings("key")[i]!.EndsWith("term=" + term, StringComparison.Ordinal));
            var oldRow = Enumerable.Range(0, oldBaseline.RowCount).First(i => oldBaseline.Strings("term")[i] == term);
            var newRow = Enumerable.Range(0, newBaseline.RowCount).First(i => newBaseline.Strings("term")[i] == term);
            Assert.Equal(oldBaseline.Doubles("estimate")[oldRow], estimates.Doubles("old")[row]);
            Assert.Equal(newBaseline.Doubles("estimate")[newRow], estimates.Doubles("new")[row]);
            Assert.Equal((estimates.Doubles("new")[row] - estimates.Doubles("old")[row]) / estimates.Doubles("old_se")[row],
                estimates.Doubles("change_in_se")[row], 1e-12);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{estimates.Strings("key")[row]}: {estimates.Doubles("old")[row]:F5} (se {estimates.Doubles("old_se")[row]:F5}) → {estimates.Doubles("new")[row]:F5} (se {estimates.Doubles("new_se")[row]:F5}), {estimates.Doubles("change_in_se")[row]:+0.00;-0.00} old SE, flag '{flags[row]}'"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{estimates.RowCount} key estimates compared, {flags.Count(f => !string.IsNullOrEmpty(f))} flagged"));
    }

    private sealed record RunRow(string Id, string Status, string Trigger, double Seconds);

    private sealed record StageRow(string Stage, string Status, string Inputs, string Sources);

    private async Task<List<RunRow>> WaitForRunsAsync(int count, PipelineProcess watch)
    {
        List<RunRow> runs = [];
        await Eventually.TrueAsync(async () =>
        {
            runs = await RunsAsync();
            return runs.Count >= count && runs[0].Status != "running";
        }, $"{count} completed run(s)", RunTimeout, () => watch.Transcript);
        Assert.Equal(count, runs.Count);
        return runs;
    }

    private async Task<List<RunRow>> RunsAsync()
    {
        if (!File.Exists(Path.Combine(Folders.ProcessedDir, "ledger.db")))
            return [];
        var (code, json, error) = await CliAsync("runs", "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.GetProperty("run")).Select(r => new RunRow(
            r.GetProperty("id").GetString()!, r.GetProperty("status").GetString()!, r.GetProperty("trigger").GetString()!,
            r.GetProperty("finishedAt").GetString() is { } end
                ? (DateTimeOffset.Parse(end, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(r.GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture)).TotalSeconds
                : double.NaN))];
    }

    /// <summary>Each stage of a run (latest attempt) with its fingerprint's inputs and sources as canonical JSON text.</summary>
    private async Task<List<StageRow>> StagesAsync(string runId)
    {
        var (code, json, error) = await CliAsync("show", runId, "--json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stageRun")).Select(s =>
        {
            using var detail = JsonDocument.Parse(s.GetProperty("fingerprintDetail").GetString()!);
            return new StageRow(s.GetProperty("stage").GetString()!, s.GetProperty("status").GetString()!,
                detail.RootElement.GetProperty("Inputs").GetRawText(), detail.RootElement.GetProperty("Sources").GetRawText());
        }).GroupBy(s => s.Stage).Select(g => g.Last())];
    }

    private async Task<Frame> TableAsync(string runId, string folder, string name)
    {
        var path = Path.Combine(Folders.ProcessedDir, "runs", runId, folder, name + ".parquet");
        return await ParquetFrames.FromBytesAsync(await File.ReadAllBytesAsync(path), path, CancellationToken.None);
    }

    private async Task<(int Code, string Out, string Error)> CliAsync(params string[] args)
    {
        using var outWriter = new StringWriter();
        using var errWriter = new StringWriter();
        var settings = new HostSettings { ConfigDir = Folders.ConfigDir, RawDir = Folders.RawDir, ProcessedDir = Folders.ProcessedDir };
        var code = await CommandCatalog.RunAsync(args, settings, outWriter, errWriter);
        return (code, outWriter.ToString(), errWriter.ToString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
