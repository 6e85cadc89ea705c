using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Npgsql;
using NpgsqlTypes;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres;

namespace Orchestra.Benchmarks.Persistence;

/// <summary>
/// Durable appends per second on PostgreSQL (the server named by ORCHESTRA_TEST_POSTGRES, whatever its durability
/// settings; the dev server commits with <c>synchronous_commit=on</c>, <c>fsync=on</c>).
/// <see cref="GroupCommitAppends"/> runs <see cref="Writers"/> concurrent writers, each one persistence id appending
/// one event at a time and awaiting it (what a persistent actor does) through <see cref="PostgresJournal"/>'s group
/// commit; <see cref="GroupCommitAppendsFenced"/> does the same with every append fenced by its writer's lease (what
/// a deployment does in a cluster). The ceilings insert the same rows (one event for each of W persistence ids per
/// transaction) into a table of the same schema and indexes over one dedicated connection, with no concurrency:
/// <see cref="RawBatchedInserts"/> as one prepared multi-row <c>INSERT ... SELECT FROM unnest</c> (one statement, so
/// one round trip and one implicit transaction per batch), <see cref="RawBinaryCopy"/> as one binary <c>COPY</c>.
/// Every invocation performs <see cref="TotalAppends"/> appends: appends/s = TotalAppends / Mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8, invocationCount: 1)]
public class PostgresJournalAppendBenchmarks
{
    private const string Manifest = "bench.v1";

    private string _journalSchema = string.Empty;
    private string _rawSchema = string.Empty;
    private PostgresPersistence? _store;
    private long[] _next = [];
    private long[] _nextFenced = [];
    private string[] _pids = [];
    private FencingToken[] _fences = [];
    private NpgsqlDataSource? _rawSource;
    private NpgsqlConnection? _raw;
    private NpgsqlCommand? _rawInsert;
    private string _rawCopy = string.Empty;
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
        _payload = PostgresBenchDatabase.Payload;
        _journalSchema = PostgresBenchDatabase.NewSchema("bench_journal");
        _rawSchema = PostgresBenchDatabase.NewSchema("bench_raw");
        _store = PostgresPersistence.OpenAsync(PostgresBenchDatabase.Options(_journalSchema)).GetAwaiter().GetResult();
        _next = new long[Writers];
        _nextFenced = new long[Writers];
        Array.Fill(_next, 1L);
        Array.Fill(_nextFenced, 1L);
        _pids = [.. Enumerable.Range(0, Writers).Select(w => $"bench-{w}")];
        _fences = [.. Enumerable.Range(0, Writers).Select(w =>
            _store.Leases.TryAcquireAsync($"fenced-{w}", "node-a", TimeSpan.FromHours(1)).AsTask().GetAwaiter().GetResult()!.ToFencingToken())];

        PostgresBenchDatabase.CreateSchema(_rawSchema);
        _rawPids = [.. Enumerable.Range(0, Writers).Select(w => $"raw-{w}")];
        _rawSource = NpgsqlDataSource.Create(PostgresBenchDatabase.ConnectionString);
        _raw = _rawSource.OpenConnection();
        _rawInsert = new NpgsqlCommand(
            $"""
            INSERT INTO "{_rawSchema}".journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::text[], $6::bigint[], $7::timestamptz[])
            """,
            _raw);
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        _rawInsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        _rawInsert.Prepare();
        _rawCopy = $"COPY \"{_rawSchema}\".journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at) FROM STDIN (FORMAT BINARY)";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rawInsert?.Dispose();
        _raw?.Dispose();
        _rawSource?.Dispose();
        PostgresBenchDatabase.DropSchemas(_journalSchema, _rawSchema);
    }

    [Benchmark(Baseline = true)]
    public void RawBatchedInserts()
    {
        var seqs = new long[Writers];
        var manifests = new string[Writers];
        var payloads = new byte[Writers][];
        var writers = new string?[Writers];
        var epochs = new long[Writers];
        var createdAt = new DateTimeOffset[Writers];
        Array.Fill(manifests, Manifest);
        Array.Fill(payloads, _payload);
        for (var done = 0; done < TotalAppends; done += Writers)
        {
            // The rows the group-committed writers produce: one event for each of W persistence ids, so the unique
            // (persistence_id, sequence_nr) index is updated at W places per transaction, as in the journal's run.
            Array.Fill(seqs, ++_rawSeq);
            Array.Fill(createdAt, TimeProvider.System.GetUtcNow());
            var p = _rawInsert!.Parameters;
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value, p[6].Value) =
                (_rawPids, seqs, manifests, payloads, writers, epochs, createdAt);
            _rawInsert.ExecuteNonQuery();
        }
    }

    [Benchmark]
    public void RawBinaryCopy()
    {
        for (var done = 0; done < TotalAppends; done += Writers)
        {
            ++_rawSeq;
            var now = TimeProvider.System.GetUtcNow();
            using var copy = _raw!.BeginBinaryImport(_rawCopy);
            for (var i = 0; i < Writers; i++)
            {
                copy.StartRow();
                copy.Write(_rawPids[i], NpgsqlDbType.Text);
                copy.Write(_rawSeq, NpgsqlDbType.Bigint);
                copy.Write(Manifest, NpgsqlDbType.Text);
                copy.Write(_payload, NpgsqlDbType.Bytea);
                copy.WriteNull();
                copy.Write(0L, NpgsqlDbType.Bigint);
                copy.Write(now, NpgsqlDbType.TimestampTz);
            }

            copy.Complete();
        }
    }

    [Benchmark]
    public Task GroupCommitAppends() => AppendAsync(_next, fenced: false);

    [Benchmark]
    public Task GroupCommitAppendsFenced() => AppendAsync(_nextFenced, fenced: true);

    private async Task AppendAsync(long[] next, bool fenced)
    {
        var perWriter = TotalAppends / Writers;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
        {
            var pid = fenced ? _fences[w].EntityId : _pids[w];
            var fence = fenced ? _fences[w] : null;
            for (var i = 0; i < perWriter; i++)
            {
                var seq = next[w]++;
                var result = await _store!.Journal.AppendAsync(new AtomicWrite(pid, [new EventToAppend(seq, Manifest, _payload)], fence));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException(result.ToString());
                }
            }
        }));
    }
}
