using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Sqlite;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// Lease renewal of a running deployment, on a real SQLite store shared by two hosts. Each host runs on its own manual clock, advanced
/// only to fire its renewal timer; the store has its own manual clock, advanced to expire leases. Nothing sleeps.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeaseRenewalTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    private const string Id = "d";
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-lease-").FullName;
    private readonly ManualTimeProvider _storeClock = new();
    private readonly List<EngineActorSystem> _systems = [];
    private readonly List<DeploymentsHost> _hosts = [];
    private readonly List<RecordingExecutor> _executors = [];
    private SqlitePersistence _sqlite = null!;

    private static string PersistenceId => DeploymentReader.PersistenceId(Id);

    public Task InitializeAsync()
    {
        _sqlite = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Path.Combine(_dir, "store.db"), TimeProvider = _storeClock });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var executor in _executors)
        {
            executor.ReleaseAll();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var system in _systems)
        {
            await system.TerminateAsync().WaitAsync(Patience);
        }

        await _sqlite.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (DeploymentsHost Host, RecordingExecutor Executor, ManualTimeProvider Clock) NewHost(string owner, IPersistence? store = null)
    {
        var clock = new ManualTimeProvider();
        var options = new EngineOptions { LeasesEnabled = true, Owner = owner, TimeProvider = clock, LeaseTtl = Ttl, LeaseRenewInterval = RenewEvery };
        var system = EngineActorSystem.Create(owner);
        var executor = new RecordingExecutor();
        var host = new DeploymentsHost(system, store ?? _sqlite, options, new ExecutorRegistry(options).Add(executor));
        _systems.Add(system);
        _executors.Add(executor);
        _hosts.Add(host);
        return (host, executor, clock);
    }

    // a succeeds at once, b waits for its gate, c runs after b.
    private static DeploymentPlan Chain() =>
        Plan(Node("a", ops: [Op("create", "test:ok")]), Node("b", ["a"], ops: [Op("create", "test:gate")]), Node("c", ["b"], ops: [Op("create", "test:ok")]));

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }

    private async Task<List<JournalEvent>> JournalAsync()
    {
        var events = new List<JournalEvent>();
        await foreach (var e in _sqlite.Journal.ReadEventsAsync(PersistenceId))
        {
            events.Add(e);
        }

        return events;
    }

    private static int Runs(RecordingExecutor executor, string node) => executor.Attempts.Count(a => a.Node == node);

    [Fact]
    public async Task RenewalAfterAnotherOwnerTookTheLease_StopsTheOldActor_AndTheNewOwnerFinishesRunningEachSucceededOperationOnce()
    {
        var (host1, executor1, clock1) = NewHost("owner-1");
        var (host2, executor2, _) = NewHost("owner-2");
        await host1.SubmitAsync(Id, Chain());
        await UntilAsync(() => executor1.Attempts.Any(a => a.Node == "b"), "b started on host 1");
        var first = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal(("owner-1", 1L), (first.Owner, first.Epoch));

        // Host 1 is paused (its clock stands still, so it renews nothing); its lease expires on the store's clock and host 2's takeover
        // scan picks the deployment up while host 1's actor still runs b.
        _storeClock.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal([Id], await host2.RecoverAllAsync());
        var second = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal(("owner-2", first.Epoch + 1), (second.Owner, second.Epoch));
        await UntilAsync(() => executor2.Attempts.Any(a => a.Node == "b"), "b re-run on host 2");
        Assert.True(host1.IsRunning(Id), "host 1's actor stopped before its renewal told it the lease had moved");

        // Host 1 wakes up: its renewal finds the lease moved on, and its actor stops, cancelling the b it was running.
        clock1.Advance(RenewEvery);
        await UntilAsync(() => !host1.IsRunning(Id), "host 1's actor to stop after its renewal failed");
        await UntilAsync(() => executor1.Cancelled.Any(a => a.Node == "b"), "host 1's attempt of b to be cancelled");
        var lease = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal(("owner-2", second.Epoch), (lease.Owner, lease.Epoch)); // stopping did not release (or touch) host 2's lease

        // Host 1 cannot drive it any more: it is leased by host 2.
        var rejected = await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => host1.PauseAsync(Id));
        Assert.Contains("another owner", rejected.Message, StringComparison.Ordinal);
        Assert.False(host1.IsRunning(Id));

        // Host 2 finishes it.
        executor1.ReleaseAll();
        executor2.ReleaseAll();
        var view = await host2.WaitAsync(Id).WaitAsync(Patience);
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);

        // Every operation recorded succeeded ran once over both hosts; b, interrupted, ran again on host 2 with the same key.
        Assert.Equal((1, 0), (Runs(executor1, "a"), Runs(executor2, "a")));
        Assert.Equal((1, 1), (Runs(executor1, "b"), Runs(executor2, "b")));
        Assert.Equal((0, 1), (Runs(executor1, "c"), Runs(executor2, "c")));
        Assert.Single(executor1.Attempts.Concat(executor2.Attempts).Where(a => a.Node == "b").Select(a => a.IdempotencyKey).Distinct());

        // The journal is host 1's events at epoch 1, then only host 2's at epoch 2: nothing host 1 did after the takeover landed.
        var journal = await JournalAsync();
        var writers = journal.Select(e => (e.Writer, e.Epoch)).ToList();
        var firstOfHost2 = writers.IndexOf(("owner-2", second.Epoch));
        Assert.True(firstOfHost2 > 0, "host 2 wrote nothing");
        Assert.All(writers[..firstOfHost2], w => Assert.Equal(("owner-1", first.Epoch), w));
        Assert.All(writers[firstOfHost2..], w => Assert.Equal(("owner-2", second.Epoch), w));
        Assert.Equal(view.SequenceNr, journal[^1].SequenceNr);
        var last = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal(("owner-2", second.Epoch), (last.Owner, last.Epoch));
    }

    [Fact]
    public async Task RenewalsThatThrow_WhileTheTtlStillCoversTheLease_DoNotStopTheActor()
    {
        var flaky = new FaultyPersistence(_sqlite);
        var (host, executor, clock) = NewHost("owner-1", flaky);
        await host.SubmitAsync(Id, Chain());
        await UntilAsync(() => executor.Attempts.Any(a => a.Node == "b"), "b started");
        var acquired = (await _sqlite.Leases.GetAsync(PersistenceId))!;

        // The store is unreachable for three renewal ticks (30 s of a 60 s lease, on the store's clock too).
        flaky.FailRenewals = 3;
        for (var tick = 1; tick <= 3; tick++)
        {
            _storeClock.Advance(RenewEvery);
            clock.Advance(RenewEvery);
            await UntilAsync(() => flaky.RenewCalls == tick, $"renewal {tick}");

            // The query is handled after the renewal (one message at a time): the actor is still there and still answers.
            var view = await host.GetAsync(Id);
            Assert.Equal(DeploymentStatus.Running, view!.Status);
            Assert.True(host.IsRunning(Id), $"the actor stopped after failed renewal {tick}, although its lease still had {acquired.ExpiresAt - _storeClock.GetUtcNow()} left");
        }

        Assert.Equal(0, flaky.Renewed);
        Assert.Empty(executor.Cancelled);

        // The store is back: the next renewal extends the lease from the store's now, at the same epoch.
        _storeClock.Advance(RenewEvery);
        clock.Advance(RenewEvery);
        await UntilAsync(() => flaky.Renewed == 1, "a renewal that reaches the store");
        var renewed = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal(("owner-1", acquired.Epoch), (renewed.Owner, renewed.Epoch));
        Assert.Equal(_storeClock.GetUtcNow() + Ttl, renewed.ExpiresAt);

        // And the same actor finishes the deployment, every write landing under its lease.
        executor.ReleaseAll();
        var final = await host.WaitAsync(Id).WaitAsync(Patience);
        Assert.Equal(DeploymentStatus.Succeeded, final.Status);
        Assert.True(host.IsRunning(Id));
        Assert.Equal(["a/create", "b/create", "c/create"], executor.Order());
        Assert.All(await JournalAsync(), e => Assert.Equal(("owner-1", acquired.Epoch), (e.Writer, e.Epoch)));
    }

    [Fact]
    public async Task ARenewalThatHangs_DoesNotFreezeTheActor_AndNoRenewalForAWholeTtl_StopsIt()
    {
        var hung = new FaultyPersistence(_sqlite);
        var (host, executor, clock) = NewHost("owner-1", hung);
        await host.SubmitAsync(Id, Chain());
        await UntilAsync(() => executor.Attempts.Any(a => a.Node == "b"), "b started");

        // The store stops answering: a renewal starts and never returns on its own.
        hung.HangRenewals = true;
        clock.Advance(RenewEvery);
        await UntilAsync(() => hung.RenewStarts == 1, "the first renewal started");

        // The deployment still answers at once (the renewal runs outside its mailbox).
        var view = await host.GetAsync(Id).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(DeploymentStatus.Running, view!.Status);

        // Half an interval later the hung renewal is given up; each tick starts another; the lease is still covered, so the actor stays.
        for (var tick = 2; tick <= 5; tick++)
        {
            clock.Advance(RenewEvery / 2);
            await UntilAsync(() => hung.RenewCalls == tick - 1, $"renewal {tick - 1} to time out");
            clock.Advance(RenewEvery / 2);
            await UntilAsync(() => hung.RenewStarts == tick, $"renewal {tick}");
            Assert.True(host.IsRunning(Id), $"stopped at tick {tick}, with {Ttl - (RenewEvery * tick)} of the lease left");
        }

        Assert.Empty(executor.Cancelled);

        // A whole TTL without a renewal: another owner may have the deployment now, so this one stops and cancels what it runs.
        clock.Advance(RenewEvery);
        await UntilAsync(() => !host.IsRunning(Id), "the actor to stop once its lease can no longer be trusted");
        await UntilAsync(() => executor.Cancelled.Any(a => a.Node == "b"), "b's attempt to be cancelled");
        Assert.DoesNotContain(executor.Attempts, a => a.Node == "c");
    }

    [Fact]
    public async Task ActorStartedAgainRightAfterItStopped_KeepsItsLease_WhenTheStoppedIncarnationsReleaseLandsLate()
    {
        var faulty = new FaultyPersistence(_sqlite);
        var (host1, executor1, _) = NewHost("owner-1", faulty);
        var (host2, executor2, _) = NewHost("owner-2");
        await host1.SubmitAsync(Id, Plan(
            Node("a", ops: [Op("create", "test:ok")]), Node("b", ["a"], ops: [Op("create", "test:gate")]), Node("c", ["b"], ops: [Op("create", "test:gate")])));
        await UntilAsync(() => executor1.Attempts.Any(a => a.Node == "b"), "b started");

        // b's success cannot be journaled (the outcome of the write is unknown), so the actor stops; its release of the lease is slow.
        faulty.HoldReleases = 1;
        faulty.FailAppends = 1;
        executor1.Release("b");
        await UntilAsync(() => !host1.IsRunning(Id) && faulty.ReleasesStarted == 1, "the actor to stop and start releasing its lease");

        // A request right away starts the deployment again on the same host; b runs again, then c.
        Assert.Equal([Id], await host1.RecoverAllAsync());
        await UntilAsync(() => executor1.Attempts.Any(a => a.Node == "c"), "c started by the new incarnation");

        // The stopped incarnation's release lands only now: it must not free the lease the running incarnation holds.
        faulty.AllowReleases();
        await UntilAsync(() => faulty.ReleasesDone == faulty.ReleasesStarted, "the late release");
        var lease = (await _sqlite.Leases.GetAsync(PersistenceId))!;
        Assert.Equal("owner-1", lease.Owner);
        Assert.False(lease.IsExpiredAt(_storeClock.GetUtcNow()), $"the running incarnation's lease (epoch {lease.Epoch}) was released by the stopped one");
        Assert.Empty(await host2.RecoverAllAsync());
        Assert.Empty(executor2.Attempts);

        executor1.ReleaseAll();
        var final = await host1.WaitAsync(Id).WaitAsync(Patience);
        Assert.Equal(DeploymentStatus.Succeeded, final.Status);
        Assert.Equal(["a/create", "b/create", "b/create", "c/create"], executor1.Order());
        Assert.Single(executor1.Attempts.Where(a => a.Node == "b").Select(a => a.IdempotencyKey).Distinct());
    }
}
