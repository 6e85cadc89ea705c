using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite;

namespace Orchestra.Benchmarks.Persistence;

/// <summary>
/// Durable appends per second on SQLite (WAL, synchronous=FULL): <see cref="GroupCommitAppends"/> runs
/// <see cref="Writers"/> concurrent writers, each one persistence id appending one event at a time and awaiting it
/// (what a persistent actor does); <see cref="RawBatchedInserts"/> is the ceiling: plain Microsoft.Data.Sqlite,
/// one transaction per <see cref="Writers"/> rows, same durability, no concurrency overhead.
/// Every invocation of either performs <see cref="TotalAppends"/> appends: appends/s = TotalAppends / Mean, and the
/// Ratio column is the raw ceiling's share of the time.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8, invocationCount: 1)]
public class JournalAppendBenchmarks
{
    private string _directory = string.Empty;
    private SqlitePersistence? _store;
    private long[] _next = [];
    private SqliteConnection? _raw;
    private SqliteCommand? _rawInsert;
    private long _rawSeq;
    private string[] _rawPids = [];
    private byte[] _payload = [];

    /// <summary>Concurrent writers (and rows per raw transaction).</summary>
    [Params(1, 10, 100)]
    public int Writers { get; set; }

    /// <summary>Appends per benchmark invocation.</summary>
    public int TotalAppends => Math.Max(500, Writers * 100);

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "orchestra-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _payload = "{\"taskId\":\"deploy-web/create\",\"attempt\":1,\"outputs\":{\"ip\":\"10.0.0.7\"}}"u8.ToArray();
        _store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Path.Combine(_directory, "journal.db") });
        _next = new long[Writers];
        Array.Fill(_next, 1L);
        _rawPids = [.. Enumerable.Range(0, Writers).Select(w => $"raw-{w}")];

        var rawPath = Path.Combine(_directory, "raw.db");
        SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = rawPath }).DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw = new SqliteConnection($"Data Source={rawPath};Pooling=False");
        _raw.Open();
        using (var pragma = _raw.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }

        _rawInsert = _raw.CreateCommand();
        _rawInsert.CommandText = "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at) VALUES ($pid, $seq, 'bench.v1', $payload, NULL, 0, 0)";
        _rawInsert.Parameters.Add("$pid", SqliteType.Text);
        _rawInsert.Parameters.Add("$seq", SqliteType.Integer);
        _rawInsert.Parameters.Add("$payload", SqliteType.Blob).Value = _payload;
        _rawInsert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rawInsert?.Dispose();
        _raw?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void RawBatchedInserts()
    {
        for (var done = 0; done < TotalAppends; done += Writers)
        {
            using var transaction = _raw!.BeginTransaction();
            _rawInsert!.Transaction = transaction;
            // The same rows the group-committed writers produce: one event for each of W persistence ids, so the
            // unique (persistence_id, sequence_nr) index is updated at W places per transaction, as in the real run.
            ++_rawSeq;
            for (var i = 0; i < Writers; i++)
            {
                _rawInsert.Parameters[0].Value = _rawPids[i];
                _rawInsert.Parameters[1].Value = _rawSeq;
                _rawInsert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    [Benchmark]
    public async Task GroupCommitAppends()
    {
        var perWriter = TotalAppends / Writers;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
        {
            var pid = $"bench-{w}";
            for (var i = 0; i < perWriter; i++)
            {
                var seq = _next[w]++;
                var result = await _store!.Journal.AppendAsync(new AtomicWrite(pid, [new EventToAppend(seq, "bench.v1", _payload)]));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException(result.ToString());
                }
            }
        }));
    }
}
