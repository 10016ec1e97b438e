using System.Text.Json;
using NQPF.Pipeline.Cli;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Cli;

/// <summary>The verbs in-process: exit codes, --json output, overrides, export.</summary>
public sealed class CliTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Runs_AfterTwoRuns_JsonListsBothWithStageCounts()
    {
        Assert.Equal(ExitCodes.Ok, (await _ws.CliAsync("run")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await _ws.CliAsync("run")).ExitCode);

        var (code, output, _) = await _ws.CliAsync("runs", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var runs = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal(0, runs[0].GetProperty("stagesRun").GetInt32());
        Assert.Equal(3, runs[0].GetProperty("stagesReused").GetInt32());
        Assert.Equal(3, runs[1].GetProperty("stagesRun").GetInt32());
        Assert.Equal("succeeded", runs[1].GetProperty("run").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Show_Json_HasStagesArtifactsAndRawFiles()
    {
        await _ws.CliAsync("run");
        var runId = (await _ws.RunsAsync())[0].Id;

        var (code, output, _) = await _ws.CliAsync("show", runId, "--json");
        var (textCode, text, _) = await _ws.CliAsync("show", runId);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var stages = json.RootElement.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(["01-alpha", "02-beta", "03-gamma"], stages.Select(s => s.GetProperty("stageRun").GetProperty("folder").GetString()));
        var betaArtifacts = stages[1].GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Equal(["scaled", "summary.md"], betaArtifacts);
        Assert.Equal(2, json.RootElement.GetProperty("rawFiles").GetArrayLength());
        Assert.Equal(ExitCodes.Ok, textCode);
        Assert.Contains("02-beta", text, StringComparison.Ordinal);
        Assert.Contains($"runs/{runId}/02-beta/scaled.parquet", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FailingStage_ExitsOneAndResumeExitsZero()
    {
        var failFlag = _ws.Marker("fail-gamma");
        File.WriteAllText(failFlag, "");
        _ws.Set("Gamma", "FailIfFileExists", failFlag);

        var (failedCode, _, failedErrors) = await _ws.CliAsync("run");
        var runId = (await _ws.RunsAsync())[0].Id;
        File.Delete(failFlag);
        var (resumeCode, resumeOut, _) = await _ws.CliAsync("resume", runId);
        var (againCode, _, againErrors) = await _ws.CliAsync("resume", runId);

        Assert.Equal(ExitCodes.Failed, failedCode);
        Assert.Contains("fail-gamma", failedErrors, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, resumeCode);
        Assert.Contains("succeeded", resumeOut, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, againCode);
        Assert.Contains("already succeeded", againErrors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show", "../../etc/passwd")]
    [InlineData("show", "20260101T000000Z-abcdef")]
    [InlineData("resume", "not-a-run")]
    [InlineData("run", "--from", "nonexistent")]
    [InlineData("run", "--bogus")]
    [InlineData("run", "stray-argument")]
    [InlineData("export", "20260101T000000Z-abcdef", "../x/y")]
    [InlineData("run", "--Pipeline:LockTimeoutSeconds=-5")]
    [InlineData("run", "--Pipeline:LockTimeoutSeconds=soon")]
    [InlineData("frobnicate")]
    public async Task Verb_BadUsageOrConfig_ExitsTwo(params string[] args)
    {
        var (code, _, errors) = await _ws.CliAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.False(string.IsNullOrWhiteSpace(errors));
        Assert.False(File.Exists(_ws.LedgerPath) && args[0] == "run", "a refused run must not create a ledger");
    }

    [Fact]
    public async Task Run_ConfigOverrideArgument_ChangesTheStageSettings()
    {
        await _ws.CliAsync("run");

        var (code, _, _) = await _ws.CliAsync("run", "--Beta:Factor=10");

        Assert.Equal(ExitCodes.Ok, code);
        var latest = (await _ws.RunsAsync())[0];
        Assert.Equal(["reused", "succeeded", "succeeded"], (await _ws.StageRunsAsync(latest.Id)).Select(s => s.Status));
    }

    [Fact]
    public async Task Export_CsvAndJson_WriteTheCheckpoint()
    {
        await _ws.CliAsync("run");
        var runId = (await _ws.RunsAsync())[0].Id;
        var outFile = Path.Combine(_ws.Root, "numbers.json");

        var (csvCode, csv, _) = await _ws.CliAsync("export", runId, "01-alpha/numbers");
        var (jsonCode, _, _) = await _ws.CliAsync("export", runId, "01-alpha/numbers", "--format", "json", "--out", outFile);

        Assert.Equal(ExitCodes.Ok, csvCode);
        Assert.Equal("city_code,year,value,even_year\r\n110000,2011,1.5,false\r\n120000,2011,,false\r\n110000,2012,2.5,true\r\n,2012,-3,true\r\n", csv);
        Assert.Equal(ExitCodes.Ok, jsonCode);
        using var json = JsonDocument.Parse(File.ReadAllText(outFile));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("city_code").ValueKind);
        Assert.Equal(2012, rows[2].GetProperty("year").GetInt64());
    }

    [Fact]
    public async Task Export_CorruptedCheckpoint_RefusesWithExitOne()
    {
        await _ws.CliAsync("run");
        var runId = (await _ws.RunsAsync())[0].Id;
        var file = Path.Combine(_ws.ProcessedDir, "runs", runId, "01-alpha", "numbers.parquet");
        File.AppendAllText(file, "tampered");

        var (code, _, errors) = await _ws.CliAsync("export", runId, "01-alpha/numbers");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("does not verify", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_NoLedgerYet_SaysSoAndCreatesNothing()
    {
        var (code, output, _) = await _ws.CliAsync("runs");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("No runs yet", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_ws.LedgerPath));
    }
}
