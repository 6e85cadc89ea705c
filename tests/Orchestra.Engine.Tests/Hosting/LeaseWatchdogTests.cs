using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Executors.Internal;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Sqlite;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// The lease watchdog against a real script (a process group of two processes that both ignore SIGTERM), on a real SQLite store
/// whose lease renewals hang (the journal still answers). The engine runs on a manual clock: nothing happens on its own, and the
/// clock is moved to the instants that matter; the test waits only for the processes to react.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeaseWatchdogTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private const string Id = "long";
    private readonly string _dir = Directory.CreateTempSubdirectory("orchestra-watchdog-").FullName;
    private readonly ManualTimeProvider _clock = new();
    private readonly List<int> _pids = [];
    private SqlitePersistence _sqlite = null!;
    private EngineActorSystem _system = null!;
    private DeploymentsHost _host = null!;

    public Task InitializeAsync()
    {
        _sqlite = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Path.Combine(_dir, "store.db") });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var pid in _pids.Where(Alive))
        {
            ProcessGroup.SignalProcess(pid, ProcessGroup.SigKill);
        }

        await _host.DisposeAsync();
        await _system.TerminateAsync().WaitAsync(Patience);
        await _sqlite.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static bool Alive(int pid) => ProcFs.ReadStat(pid) is { IsRunning: true };

    // The leader traps SIGTERM (noting it) and keeps waiting; its child ignores SIGTERM: only the SIGKILL after the grace ends them.
    private DeploymentPlan LongScript()
    {
        File.WriteAllText(Path.Combine(_dir, "long.sh"), """
            #!/usr/bin/env bash
            trap 'echo term >> "$MARKS/term"' TERM
            (trap '' TERM; exec sleep 300) &
            echo "$$ $!" > "$MARKS/pids.tmp" && mv "$MARKS/pids.tmp" "$MARKS/pids"
            while true; do wait; done
            """);
        var inputs = new Dictionary<string, PlanValue> { ["MARKS"] = PlanValue.Literal(_dir) };
        return new DeploymentPlan("watchdog", [new PlanNode("n", "long", [new PlanOperation("create", "long.sh", inputs)], [], [])], [], _dir);
    }

    private FaultyPersistence StartHost()
    {
        var store = new FaultyPersistence(_sqlite);
        var options = new EngineOptions
        {
            LeasesEnabled = true, Owner = "owner-1", TimeProvider = _clock, LeaseTtl = Ttl, LeaseRenewInterval = RenewEvery, KillGracePeriod = Grace,
        };
        _system = EngineActorSystem.Create("watchdog");
        _host = new DeploymentsHost(_system, store, options, new ExecutorRegistry(options));
        return store;
    }

    private async Task<List<string>> JournalAsync()
    {
        var manifests = new List<string>();
        await foreach (var e in _sqlite.Journal.ReadEventsAsync(DeploymentReader.PersistenceId(Id)))
        {
            manifests.Add(e.Manifest);
        }

        return manifests;
    }

    [Fact]
    public async Task RunningScript_NoRenewalSucceedsForATtl_ItsWholeProcessGroupIsKilledWithinTtlPlusGrace_AndNothingMoreIsJournaled()
    {
        var store = StartHost();
        store.HangRenewals = true;
        await _host.SubmitAsync(Id, LongScript());
        var pidsFile = Path.Combine(_dir, "pids");
        await AwaitUtilities.AwaitAssertAsync(() => Assert.True(File.Exists(pidsFile)), Patience);
        _pids.AddRange(File.ReadAllText(pidsFile).Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse));
        Assert.Equal(2, _pids.Count);
        var journaled = await JournalAsync();

        // The renewal at 10 s hangs and times out (after half the interval), as do the next; just before the TTL the script still runs.
        _clock.Advance(RenewEvery);
        await AwaitUtilities.AwaitAssertAsync(() => Assert.Equal(1, store.RenewStarts), Patience);
        _clock.Advance(Ttl - RenewEvery - TimeSpan.FromMilliseconds(1));
        Assert.All(_pids, pid => Assert.True(Alive(pid), $"pid {pid} died before the TTL"));

        // At the TTL the watchdog sends SIGTERM to the group, outside the coordinator's mailbox; both processes survive it.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await AwaitUtilities.AwaitAssertAsync(() => Assert.True(File.Exists(Path.Combine(_dir, "term")), "the group got no SIGTERM at the TTL"), Patience);
        Assert.All(_pids, pid => Assert.True(Alive(pid), $"pid {pid} did not ignore SIGTERM"));

        // The grace period later, SIGKILL: the whole group is gone.
        _clock.Advance(Grace);
        await AwaitUtilities.AwaitAssertAsync(() => Assert.All(_pids, pid => Assert.False(Alive(pid), $"pid {pid} outlived TTL + grace")), Patience);

        // The coordinator stops without journaling the end of the attempt it no longer has the right to record.
        await AwaitUtilities.AwaitAssertAsync(() => Assert.False(_host.IsRunning(Id), "the coordinator still runs"), Patience);
        Assert.Equal(journaled, await JournalAsync());
        Assert.Equal(["engine.deployment-submitted.v1", "engine.task-started.v1"], journaled);
    }
}
