using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Hosting;
using Orchestra.Persistence.Postgres;
using Orchestra.Testing;
using Xunit.Abstractions;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// The cluster story across processes: two nodes share one PostgreSQL schema. Node A, a real child process (the crash host), runs a
/// chain of shell operations under a lease and is SIGKILLed mid-way; node B, a host in this process running a takeover scan (the
/// periodic <see cref="DeploymentsHost.RecoverAllAsync"/> a server runs), must carry the deployment on once A's lease has expired,
/// without anybody resuming it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TakeoverTests : IAsyncLifetime
{
    private const string Id = "crash";
    private const int Nodes = 6;
    private const string OwnerA = "node-a";
    private const string OwnerB = "node-b";

    // A renews every 300 ms a lease of 6 s: a live A never loses it, even on a CI machine loaded by parallel test assemblies (a
    // 3 s lease was once lost there by a live A), and a dead one frees it in 6 s.
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ScanEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-takeover-").FullName;
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private readonly EventSerializer _serializer = new(DeploymentEventTypes.Register(new EventTypeRegistry()));
    private readonly ITestOutputHelper _output;
    private PostgresPersistence? _store;

    public TakeoverTests(ITestOutputHelper output)
    {
        _output = output;
        CrashHostProcess.WriteAppendScript(_dir);
    }

    private static string ConnectionString => RequiresPostgresAttribute.ConnectionString;

    private PostgresPersistence Store => _store ?? throw new InvalidOperationException("the store is not open");

    public async Task InitializeAsync()
    {
        if (RequiresEnvironmentVariableAttribute.IsSet(RequiresPostgresAttribute.Variable))
        {
            _store = await PostgresPersistence.OpenAsync(new PostgresPersistenceOptions { ConnectionString = ConnectionString, Schema = _schema });
        }
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [ConditionalTheory, RequiresPostgres]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task OwnerKilledMidway_AnotherNodeTakesOverAfterTheLeaseExpires_AndFinishesRunningSucceededOperationsOnce(int k)
    {
        var clock = Stopwatch.StartNew();
        var options = new EngineOptions { LeasesEnabled = true, Owner = OwnerB, LeaseTtl = LeaseTtl, LeaseRenewInterval = RenewEvery };
        await using var system = EngineActorSystem.Create(OwnerB);
        await using var nodeB = new DeploymentsHost(system, Store, options);
        using var stopScan = new CancellationTokenSource();
        var scan = ScanAsync(nodeB, stopScan.Token);
        try
        {
            DateTimeOffset killedAt;
            Lease leaseAtKill;
            using (var nodeA = CrashHostProcess.Start(
                $"postgres:{_schema}", _dir, Invariant(Nodes), OwnerA, Invariant((int)LeaseTtl.TotalMilliseconds), Invariant((int)RenewEvery.TotalMilliseconds)))
            {
                try
                {
                    await CrashHostProcess.UntilLoggedAsync(nodeA, _dir, k);
                    _output.WriteLine($"{clock.Elapsed}: {k} log lines; killing node A");
                    if (scan.IsCompleted)
                    {
                        Assert.Fail(scan.IsFaulted ? $"node B's takeover scan failed: {scan.Exception}" : "node B took the deployment over while node A was alive");
                    }

                    nodeA.Kill(entireProcessTree: false); // SIGKILL to the host only: its scripts may be mid-flight
                    await nodeA.WaitForExitAsync();
                    killedAt = TimeProvider.System.GetUtcNow();
                }
                finally
                {
                    if (!nodeA.HasExited)
                    {
                        nodeA.Kill(entireProcessTree: true);
                    }
                }

                leaseAtKill = (await Store.Leases.GetAsync(DeploymentReader.PersistenceId(Id)))!;
            }

            Assert.Equal((OwnerA, 1L), (leaseAtKill.Owner, leaseAtKill.Epoch));

            // Nobody resumes it: node B's scan finds the lease expired and starts the deployment from its journal.
            var takenAt = await scan.WaitAsync(Patience);
            _output.WriteLine($"{clock.Elapsed}: taken over by node B, {takenAt - killedAt} after the kill, {takenAt - leaseAtKill.ExpiresAt} after the lease expired");
            Assert.True(takenAt >= leaseAtKill.ExpiresAt, $"node B took over at {takenAt:O}, before node A's lease expired at {leaseAtKill.ExpiresAt:O}");
            var final = await nodeB.WaitAsync(Id).WaitAsync(Patience);
            Assert.Equal(DeploymentStatus.Succeeded, final.Status);
            _output.WriteLine($"{clock.Elapsed}: finished by node B");

            // The lease moved to node B at the next epoch, which fences anything node A might still have had in flight.
            var lease = (await Store.Leases.GetAsync(DeploymentReader.PersistenceId(Id)))!;
            Assert.Equal((OwnerB, leaseAtKill.Epoch + 1), (lease.Owner, lease.Epoch));

            // The journal is node A's events, then only node B's.
            var journal = await JournalAsync();
            var writers = journal.Select(e => (e.Writer, e.Epoch)).ToList();
            var firstOfB = writers.IndexOf((OwnerB, lease.Epoch));
            Assert.True(firstOfB > 0, $"k={k}: node B wrote nothing, or node A nothing");
            Assert.All(writers[..firstOfB], w => Assert.Equal((OwnerA, leaseAtKill.Epoch), w));
            Assert.All(writers[firstOfB..], w => Assert.Equal((OwnerB, lease.Epoch), w));
            Assert.Equal(final.SequenceNr, journal[^1].SequenceNr);

            // What node A recorded succeeded ran exactly once; what it had started ran again on node B with the same key.
            var succeededByA = journal.Take(firstOfB).Select(e => _serializer.Deserialize(e)).OfType<TaskSucceeded>().Select(s => s.Node).ToHashSet();
            Assert.True(succeededByA.Count >= k - 1, $"k={k}: node A recorded only {succeededByA.Count} successes");
            var lines = CrashHostProcess.Log(_dir);
            var expected = "none";
            foreach (var node in final.Nodes)
            {
                var runs = lines.Where(l => l[0] == node.Name).ToList();
                if (succeededByA.Contains(node.Name))
                {
                    Assert.True(runs.Count == 1, $"k={k}: {node.Name} was recorded succeeded before the kill but ran {runs.Count} times");
                }
                else
                {
                    Assert.InRange(runs.Count, 1, 2);
                }

                Assert.Equal([$"{Id}/{node.Name}/create/deploy"], runs.Select(r => r[1]).Distinct());
                expected += ">" + node.Name;
                Assert.Equal((NodeStatus.Deployed, expected), (node.Status, node.Tasks[0].Outputs["value"]));
            }

            Assert.True(killedAt < takenAt, "the takeover is dated before the kill");
        }
        finally
        {
            await stopScan.CancelAsync();
            await scan.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // A takeover scan, as a server runs it: every ScanEvery, start whatever unfinished deployment has no live owner. Returns when it took
    // the deployment over, with the time it did.
    private static async Task<DateTimeOffset> ScanAsync(DeploymentsHost host, CancellationToken cancellationToken)
    {
        while (true)
        {
            if ((await host.RecoverAllAsync(cancellationToken)).Contains(Id))
            {
                return TimeProvider.System.GetUtcNow();
            }

            await Task.Delay(ScanEvery, cancellationToken);
        }
    }

    private async Task<List<JournalEvent>> JournalAsync()
    {
        var events = new List<JournalEvent>();
        await foreach (var e in Store.Journal.ReadEventsAsync(DeploymentReader.PersistenceId(Id)))
        {
            events.Add(e);
        }

        return events;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
