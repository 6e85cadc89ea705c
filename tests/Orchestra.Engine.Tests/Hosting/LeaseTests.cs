using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// Two hosts (two actor systems, two owners) sharing one store with leases on. The hosts run on one manual clock that is never
/// advanced, so lease renewals never fire by themselves; the store has its own manual clock, advanced to expire leases.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _clock = new();
    private readonly ManualTimeProvider _storeClock = new();
    private readonly InMemoryPersistence _store;
    private readonly List<EngineActorSystem> _systems = [];
    private readonly List<DeploymentsHost> _hosts = [];
    private readonly List<RecordingExecutor> _executors = [];

    public LeaseTests() => _store = new InMemoryPersistence(_storeClock);

    public Task InitializeAsync() => Task.CompletedTask;

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
    }

    private (DeploymentsHost Host, RecordingExecutor Executor) NewHost(string owner)
    {
        var options = new EngineOptions { LeasesEnabled = true, Owner = owner, TimeProvider = _clock, LeaseTtl = TimeSpan.FromMinutes(1), LeaseRenewInterval = TimeSpan.FromSeconds(20) };
        var system = EngineActorSystem.Create(owner);
        var executor = new RecordingExecutor();
        var host = new DeploymentsHost(system, _store, options, new ExecutorRegistry(options).Add(executor));
        _systems.Add(system);
        _executors.Add(executor);
        _hosts.Add(host);
        return (host, executor);
    }

    private static DeploymentPlan GatedPlan() =>
        Plan(Node("a", ops: [Op("create", "test:gate")]), Node("b", ["a"], ops: [Op("create", "test:ok")]));

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }

    private static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private async Task<long> HighestAsync(string id) => await _store.Journal.ReadHighestSequenceNrAsync(DeploymentReader.PersistenceId(id));

    [Fact]
    public async Task SecondOwner_CannotDriveADeploymentTheFirstHolds()
    {
        var (host1, executor1) = NewHost("owner-1");
        var (host2, executor2) = NewHost("owner-2");
        await host1.SubmitAsync("d", GatedPlan());
        await UntilAsync(() => !executor1.Attempts.IsEmpty, "a started on host 1");

        var view = await host2.GetAsync("d");
        Assert.Equal(DeploymentStatus.Running, view!.Status);
        var pause = await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => host2.PauseAsync("d"));
        Assert.Contains("another owner", pause.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => host2.SubmitAsync("d", GatedPlan()));
        Assert.Empty(await host2.RecoverAllAsync());
        Assert.False(host2.IsRunning("d"));
        Assert.Empty(executor2.Attempts);
        var lease = await _store.Leases.GetAsync(DeploymentReader.PersistenceId("d"));
        Assert.Equal("owner-1", lease!.Owner);
        Assert.False(lease.IsExpiredAt(_storeClock.GetUtcNow()));
    }

    [Fact]
    public async Task CleanDispose_ReleasesTheLease_SoAnotherOwnerTakesOverAtOnce_AndCompletesIt()
    {
        var (host1, executor1) = NewHost("owner-1");
        await host1.SubmitAsync("d", GatedPlan());
        await UntilAsync(() => !executor1.Attempts.IsEmpty, "a started on host 1");
        var before = await _store.Leases.GetAsync(DeploymentReader.PersistenceId("d"));
        Assert.Equal(1, before!.Epoch);

        await host1.DisposeAsync();

        // Released, not merely left to expire: the store's clock has not moved.
        var released = await _store.Leases.GetAsync(DeploymentReader.PersistenceId("d"));
        Assert.True(released!.IsExpiredAt(_storeClock.GetUtcNow()), "the lease is still live after a clean dispose");
        Assert.Equal(1, released.Epoch);

        var (host2, executor2) = NewHost("owner-2");
        Assert.Equal(["d"], await host2.RecoverAllAsync());
        await UntilAsync(() => !executor2.Attempts.IsEmpty, "a re-run on host 2");
        executor2.ReleaseAll();
        var view = await host2.WaitAsync("d").WaitAsync(Patience);
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        var after = await _store.Leases.GetAsync(DeploymentReader.PersistenceId("d"));
        Assert.Equal("owner-2", after!.Owner);
        Assert.Equal(2, after.Epoch);
    }

    [Fact]
    public async Task AfterAnotherOwnerTakesTheLease_TheOldActorStops_AndNothingItWritesLands()
    {
        var (host1, executor1) = NewHost("owner-1");
        await host1.SubmitAsync("d", GatedPlan());
        await UntilAsync(() => !executor1.Attempts.IsEmpty, "a started on host 1");
        var persistenceId = DeploymentReader.PersistenceId("d");
        var stale = (await _store.Leases.GetAsync(persistenceId))!;
        var highest = await HighestAsync("d");

        // Host 1 never renews (its clock stands still); the lease expires on the store's clock and another owner takes it.
        _storeClock.Advance(TimeSpan.FromMinutes(2));
        var thief = await _store.Leases.TryAcquireAsync(persistenceId, "thief", TimeSpan.FromHours(1));
        Assert.NotNull(thief);
        Assert.Equal(stale.Epoch + 1, thief.Epoch);

        // a succeeds on host 1: its actor tries to journal that with the stale epoch, is rejected and stops.
        executor1.ReleaseAll();
        await UntilAsync(() => !host1.IsRunning("d"), "host 1's actor to stop");
        Assert.Equal(highest, await HighestAsync("d"));
        var view = await host1.GetAsync("d");
        Assert.Equal(NodeStatus.Deploying, view!.Nodes[0].Status);
        Assert.Single(executor1.Attempts);

        // Any write fenced with the stale epoch is rejected by the journal itself.
        var write = new AtomicWrite(persistenceId, [new EventToAppend(highest + 1, "x", new byte[] { 1 })], stale.ToFencingToken());
        var result = await _store.Journal.AppendAsync(write);
        Assert.False(result.IsSuccess);
        Assert.IsType<JournalFencedException>(result.Rejection);
        Assert.Equal(highest, await HighestAsync("d"));

        // And host 1 cannot start it again while the thief holds it.
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => host1.PauseAsync("d"));
    }

    [Fact]
    public async Task RecoverAll_StartsEveryUnfinishedDeployment_AndSkipsSettledOnes()
    {
        var (host1, executor1) = NewHost("owner-1");
        await host1.SubmitAsync("done", Plan(Node("a", ops: [Op("create", "test:ok")])));
        Assert.Equal(DeploymentStatus.Succeeded, (await host1.WaitAsync("done").WaitAsync(Patience)).Status);
        await host1.SubmitAsync("d1", GatedPlan());
        await host1.SubmitAsync("d2", GatedPlan());
        await UntilAsync(() => executor1.Attempts.Count(a => a.DeploymentId != "done") == 2, "both started on host 1");
        await host1.DisposeAsync();

        var (host2, executor2) = NewHost("owner-2");
        Assert.Equal(["d1", "d2"], await host2.RecoverAllAsync());
        Assert.True(host2.IsRunning("d1") && host2.IsRunning("d2"));
        Assert.False(host2.IsRunning("done"));
        await UntilAsync(() => executor2.Attempts.Count == 2, "both re-run on host 2");
        executor2.ReleaseAll();
        Assert.Equal(DeploymentStatus.Succeeded, (await host2.WaitAsync("d1").WaitAsync(Patience)).Status);
        Assert.Equal(DeploymentStatus.Succeeded, (await host2.WaitAsync("d2").WaitAsync(Patience)).Status);
        Assert.Empty(await host2.RecoverAllAsync());
    }
}
