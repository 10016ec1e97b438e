using Microsoft.Data.Sqlite;
using NQPF.Pipeline.Ledger;
using NQPF.Pipeline.Tests.Infrastructure;

namespace NQPF.Pipeline.Tests.Ledger;

/// <summary>
/// A deleted finished checkpoint, a deleted or damaged ledger WAL, a damaged ledger database. The next run
/// detects the damage, says so, recomputes what it must; history is never lost silently, and the documented recovery
/// (restore ledger.db.bak) brings it back.
/// </summary>
public sealed class LedgerDamageTests : IDisposable
{
    private readonly Workspace _ws = new();
    private readonly LogCapture _log = new();

    public LedgerDamageTests() => _ws.Configure = _log.Register;

    public void Dispose() => _ws.Dispose();

    private string Wal => _ws.LedgerPath + "-wal";

    [Fact]
    public async Task Run_DeletedCheckpoint_SaysSoInItsOutputAndRecomputesOnlyThatStage()
    {
        var first = await _ws.RunAsync();
        File.Delete(Path.Combine(_ws.ProcessedDir, "runs", first.RunId, "02-beta", "scaled.parquet"));

        var (code, output, errors) = await _ws.CliAsync("run");

        Assert.True(code == 0, errors);
        Assert.Contains($"checkpoint of run {first.RunId} not reused: runs/{first.RunId}/02-beta/scaled.parquet is missing", output, StringComparison.Ordinal);
        var second = (await _ws.RunsAsync())[0];
        Assert.Equal([StageStatus.Reused, StageStatus.Succeeded, StageStatus.Reused], (await _ws.StageRunsAsync(second.Id)).Select(s => s.Status));
        Assert.Equal(["alpha", "beta", "gamma", "beta"], _ws.StageExecutions());
    }

    [Fact]
    public void WalHeaderProblem_HeaderWrittenBySqlite_IsValidAndAFlippedByteIsNot()
    {
        Directory.CreateDirectory(_ws.ProcessedDir);
        using var connection = new SqliteConnection($"Data Source={_ws.LedgerPath};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        var header = ReadHeader(Wal);

        Assert.Null(LedgerHealth.WalHeaderProblem(header));
        header[17] ^= 0x01;
        Assert.Equal("header checksum mismatch", LedgerHealth.WalHeaderProblem(header));
        header[0] = 0;
        Assert.StartsWith("magic number", LedgerHealth.WalHeaderProblem(header), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_GarbageWalAfterACleanClose_SaysSoKeepsACopyAndReusesEverything()
    {
        await _ws.RunAsync();
        // The ledger checkpoints its WAL when its last connection closes: after a clean close there is none to lose.
        Assert.False(File.Exists(Wal));
        var garbage = new byte[4096];
        new Random(11).NextBytes(garbage);
        File.WriteAllBytes(Wal, garbage);

        var second = await _ws.RunAsync();

        Assert.True(second.Succeeded, second.Error);
        Assert.Contains("write-ahead log", _log.Text, StringComparison.Ordinal);
        Assert.Contains("is damaged (magic number", _log.Text, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(Assert.Single(Directory.GetFiles(_ws.ProcessedDir, "ledger.db-wal.damaged-*"))));
        Assert.All(await _ws.StageRunsAsync(second.RunId), s => Assert.Equal(StageStatus.Reused, s.Status));
        Assert.DoesNotContain("no record of", _log.Text, StringComparison.Ordinal);
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("header-corrupted")]
    public async Task Run_WalHoldingARunLost_ReportsTheRunFolderTheLedgerForgotAndRecomputes(string damage)
    {
        await _ws.RunAsync();
        _ws.Set("Beta", "Factor", 3.0);
        string lostRun;
        // A reader kept open stops the writer's connections from checkpointing on close, as an unclean stop would:
        // run B's history then lives only in the WAL.
        using (var reader = new SqliteConnection($"Data Source={_ws.LedgerPath};Mode=ReadOnly;Pooling=False"))
        {
            reader.Open();
            Execute(reader, "SELECT COUNT(*) FROM runs;");
            lostRun = (await _ws.RunAsync()).RunId;
            Assert.True(new FileInfo(Wal).Length > 0);
            if (damage == "deleted")
            {
                File.Delete(Wal);
                File.Delete(_ws.LedgerPath + "-shm");
            }
            else
            {
                var bytes = File.ReadAllBytes(Wal);
                bytes[20] ^= 0xFF;
                File.WriteAllBytes(Wal, bytes);
                File.Delete(_ws.LedgerPath + "-shm");
            }
        }
        Assert.True(Directory.Exists(Path.Combine(_ws.ProcessedDir, "runs", lostRun)));

        var next = await _ws.RunAsync();

        Assert.True(next.Succeeded, next.Error);
        Assert.DoesNotContain(await _ws.RunsAsync(), r => r.Id == lostRun);
        Assert.Contains($"no record of 1 run folder(s) under {Path.Combine(_ws.ProcessedDir, "runs")} ({lostRun})", _log.Text, StringComparison.Ordinal);
        Assert.Equal(damage != "deleted", _log.Text.Contains("header checksum mismatch", StringComparison.Ordinal));
        // alpha is reused from the first run; beta and gamma, whose only checkpoints the ledger forgot, are recomputed.
        Assert.Equal([StageStatus.Reused, StageStatus.Succeeded, StageStatus.Succeeded], (await _ws.StageRunsAsync(next.RunId)).Select(s => s.Status));
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Recovery_DamagedLedgerRestoredFromBackupAsTheMessageSays_KeepsHistoryAndReusesCheckpoints()
    {
        var first = await _ws.RunAsync();
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(_ws.LedgerPath, garbage);

        var (code, _, errors) = await _ws.CliAsync("run");

        Assert.Equal(1, code);
        Assert.Contains("copy ledger.db.bak (the ledger as of the last successful run) to ledger.db", errors, StringComparison.Ordinal);
        File.Move(_ws.LedgerPath, _ws.LedgerPath + ".damaged");
        File.Copy(_ws.LedgerPath + ".bak", _ws.LedgerPath);
        var restored = await _ws.RunAsync();

        Assert.True(restored.Succeeded, restored.Error);
        Assert.Contains(await _ws.RunsAsync(), r => r.Id == first.RunId);
        Assert.All(await _ws.StageRunsAsync(restored.RunId), s => Assert.Equal(first.RunId, s.ReusedFromRun));
        Assert.Equal("ok", _ws.IntegrityCheck());
    }

    [Fact]
    public async Task Recovery_DamagedLedgerReplacedByAFreshOne_ReportsTheForgottenRunAndRecomputes()
    {
        var first = await _ws.RunAsync();
        File.Move(_ws.LedgerPath, _ws.LedgerPath + ".damaged");

        var fresh = await _ws.RunAsync();

        Assert.True(fresh.Succeeded, fresh.Error);
        Assert.Contains($"({first.RunId})", _log.Text, StringComparison.Ordinal);
        Assert.All(await _ws.StageRunsAsync(fresh.RunId), s => Assert.Equal(StageStatus.Succeeded, s.Status));
        Assert.True(File.Exists(Path.Combine(_ws.ProcessedDir, "runs", first.RunId, "01-alpha", "numbers.parquet")));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static byte[] ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[32];
        stream.ReadExactly(header);
        return header;
    }
}
