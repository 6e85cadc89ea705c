using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres;

namespace Orchestra.Benchmarks.Persistence;

/// <summary>
/// What the journal's advisory lock costs when two nodes write at once. <see cref="OneInstance"/> runs
/// <see cref="Writers"/> writers on one <see cref="PostgresPersistence"/>; <see cref="TwoInstancesSameSchema"/> splits
/// them between two instances (two data sources, as two nodes have) on ONE schema, whose batches the lock
/// serializes; <see cref="TwoInstancesSeparateSchemas"/> does the same on two schemas, so nothing serializes them:
/// the throughput two nodes would have without the lock. Each writer appends one event at a time and awaits it;
/// every invocation performs <see cref="TotalAppends"/> appends in all.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 8, invocationCount: 1)]
public class PostgresJournalLockBenchmarks
{
    private const string Manifest = "bench.v1";

    private string[] _schemas = [];
    private PostgresPersistence? _single;
    private PostgresPersistence[] _shared = [];
    private PostgresPersistence[] _separate = [];
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    /// <summary>Concurrent writers in all (half on each instance when there are two).</summary>
    [Params(10, 100)]
    public int Writers { get; set; }

    /// <summary>Appends per benchmark invocation.</summary>
    public int TotalAppends => Writers * 100;

    [GlobalSetup]
    public void Setup()
    {
        _schemas = [.. Enumerable.Range(0, 4).Select(_ => PostgresBenchDatabase.NewSchema("bench_lock"))];
        _single = Open(_schemas[0]);
        _shared = [Open(_schemas[1]), Open(_schemas[1])];
        _separate = [Open(_schemas[2]), Open(_schemas[3])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var store in new[] { _single }.Concat(_shared).Concat(_separate))
        {
            store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        PostgresBenchDatabase.DropSchemas(_schemas);
    }

    [Benchmark(Baseline = true)]
    public Task OneInstance() => RunAsync("one", [_single!], Writers);

    [Benchmark]
    public Task TwoInstancesSameSchema() => RunAsync("shared", _shared, Writers / 2);

    [Benchmark]
    public Task TwoInstancesSeparateSchemas() => RunAsync("separate", _separate, Writers / 2);

    private static PostgresPersistence Open(string schema) =>
        PostgresPersistence.OpenAsync(PostgresBenchDatabase.Options(schema)).GetAwaiter().GetResult();

    private Task RunAsync(string configuration, PostgresPersistence[] stores, int writersPerStore)
    {
        var perWriter = TotalAppends / (stores.Length * writersPerStore);
        var writers = new List<(IJournal Journal, string Pid, long First)>();
        for (var s = 0; s < stores.Length; s++)
        {
            for (var w = 0; w < writersPerStore; w++)
            {
                var pid = $"{configuration}-{s}-{w}";
                var first = _next.GetValueOrDefault(pid, 1L);
                _next[pid] = first + perWriter;
                writers.Add((stores[s].Journal, pid, first));
            }
        }

        return Task.WhenAll(writers.Select(async writer =>
        {
            for (var seq = writer.First; seq < writer.First + perWriter; seq++)
            {
                var result = await writer.Journal.AppendAsync(new AtomicWrite(writer.Pid, [new EventToAppend(seq, Manifest, PostgresBenchDatabase.Payload)]));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException(result.ToString());
                }
            }
        }));
    }
}
