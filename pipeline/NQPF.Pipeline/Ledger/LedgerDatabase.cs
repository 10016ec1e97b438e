using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using NQPF.Pipeline.Hosting;
using NQPF.Pipeline.Storage;
using NQPF.Stages;

namespace NQPF.Pipeline.Ledger;

/// <summary>
/// Opens connections to <c>data-processed/ledger.db</c> (WAL, synchronous=FULL, foreign keys on) and brings the
/// schema up to date once per process. A damaged file is reported as <see cref="LedgerDamagedException"/>, never
/// silently recreated. Every operation is retried on SQLITE_BUSY/LOCKED by <see cref="TransientFaults"/>.
/// </summary>
internal sealed class LedgerDatabase
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private bool _migrated;

    static LedgerDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public LedgerDatabase(PipelinePaths paths, TransientFaults retry)
    {
        Path = paths.LedgerPath;
        Retry = retry;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString();
    }

    public string Path { get; }

    public TransientFaults Retry { get; }

    public bool Exists => File.Exists(Path);

    /// <summary>Copy of the ledger as of the last successful run (see <see cref="BackupAsync"/>).</summary>
    public string BackupPath => Path + ".bak";

    /// <summary>
    /// Writes a consistent copy of the ledger to <see cref="BackupPath"/> (VACUUM INTO a temporary file, then rename),
    /// so a damaged ledger can be restored with at most the history since the last successful run lost.
    /// </summary>
    public Task BackupAsync(CancellationToken ct) => WithConnectionAsync(async connection =>
    {
        var temp = BackupPath + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await connection.ExecuteAsync("VACUUM INTO @temp;", new { temp });
            File.Move(temp, BackupPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return 0;
    }, ct).AsTask();

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await connection.ExecuteAsync("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
            if (!_migrated)
                await MigrateAsync(connection, ct);
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            await connection.DisposeAsync();
            throw Damaged(ex.Message);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a fresh connection, retrying transient faults.</summary>
    public ValueTask<T> WithConnectionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct) =>
        Retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            return await work(connection);
        }, ct);

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken ct)
    {
        await _migrationGate.WaitAsync(ct);
        try
        {
            if (_migrated)
                return;
            var check = await connection.ExecuteScalarAsync<string>("PRAGMA quick_check;");
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
                throw Damaged(check ?? "quick_check returned nothing");
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var (version, name, sql) in LedgerMigrations.All)
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                var applied = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version;", new { version }, tx);
                if (applied == 0)
                {
                    await connection.ExecuteAsync(sql, transaction: tx);
                    await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@version, @name, @at);",
                        new { version, name, at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) }, tx);
                }
                await tx.CommitAsync(ct);
            }
            _migrated = true;
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    private LedgerDamagedException Damaged(string detail) => new(
        $"The run ledger '{Path}' is damaged ({detail}). Nothing was changed. To recover: move ledger.db, ledger.db-wal " +
        "and ledger.db-shm aside (keep them for inspection), then either copy ledger.db.bak (the ledger as of the last " +
        "successful run) to ledger.db, or let the next `run` start a fresh ledger and recompute the checkpoints " +
        "(finished runs' files under runs/ are kept and remain readable).");
}

/// <summary>The ledger database cannot be read. Not retried.</summary>
internal sealed class LedgerDamagedException(string message) : PipelineException(message);
