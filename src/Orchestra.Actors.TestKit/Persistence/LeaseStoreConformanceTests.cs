using Orchestra.Actors.Persistence;
using Orchestra.Testing;
using Xunit;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>What every <see cref="ILeaseStore"/> must do (on a fake clock). Inherit it per backend.</summary>
public abstract class LeaseStoreConformanceTests : PersistenceConformanceBase
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    /// <summary>A new lease starts at epoch 1 and expires after the TTL.</summary>
    [ConditionalFact]
    public async Task TryAcquire_NewEntity_GrantsEpochOne()
    {
        var lease = await Store.Leases.TryAcquireAsync("e-new", "node-a", Ttl);

        Assert.NotNull(lease);
        Assert.Equal(("e-new", "node-a", 1L), (lease.EntityId, lease.Owner, lease.Epoch));
        Assert.Equal(Clock.GetUtcNow() + Ttl, lease.ExpiresAt);
        Assert.Equal(lease, await Store.Leases.GetAsync("e-new"));
    }

    /// <summary>Another owner cannot take a live lease.</summary>
    [ConditionalFact]
    public async Task TryAcquire_HeldByAnotherLiveOwner_ReturnsNull()
    {
        var lease = await Store.Leases.TryAcquireAsync("e-held", "node-a", Ttl);
        AdvanceClock(Ttl - TimeSpan.FromSeconds(1));

        Assert.Null(await Store.Leases.TryAcquireAsync("e-held", "node-b", Ttl));
        Assert.Equal(lease, await Store.Leases.GetAsync("e-held"));
    }

    /// <summary>The owner acquiring its live lease again keeps the epoch and extends the expiry.</summary>
    [ConditionalFact]
    public async Task TryAcquire_BySameOwnerWhileLive_KeepsEpochAndExtends()
    {
        await Store.Leases.TryAcquireAsync("e-same", "node-a", Ttl);
        AdvanceClock(TimeSpan.FromSeconds(10));

        var again = await Store.Leases.TryAcquireAsync("e-same", "node-a", Ttl);

        Assert.Equal(1, again?.Epoch);
        Assert.Equal(Clock.GetUtcNow() + Ttl, again!.ExpiresAt);
    }

    /// <summary>Taking over an expired lease increments the epoch.</summary>
    [ConditionalFact]
    public async Task TryAcquire_ExpiredLease_TakesOverWithNextEpoch()
    {
        await Store.Leases.TryAcquireAsync("e-expired", "node-a", Ttl);
        AdvanceClock(Ttl);

        var taken = await Store.Leases.TryAcquireAsync("e-expired", "node-b", Ttl);

        Assert.NotNull(taken);
        Assert.Equal(("node-b", 2L), (taken.Owner, taken.Epoch));
        AdvanceClock(Ttl * 2);
        Assert.Equal(3, (await Store.Leases.TryAcquireAsync("e-expired", "node-c", Ttl))?.Epoch);
    }

    /// <summary>Renewal extends a held lease, even one that expired without being taken over.</summary>
    [ConditionalFact]
    public async Task Renew_HeldLease_ExtendsIt()
    {
        var lease = await Store.Leases.TryAcquireAsync("e-renew", "node-a", Ttl);
        AdvanceClock(Ttl + TimeSpan.FromSeconds(5));

        var renewed = await Store.Leases.RenewAsync(lease!, Ttl);

        Assert.NotNull(renewed);
        Assert.Equal((1L, Clock.GetUtcNow() + Ttl), (renewed.Epoch, renewed.ExpiresAt));
        Assert.Null(await Store.Leases.TryAcquireAsync("e-renew", "node-b", Ttl));
    }

    /// <summary>Renewing a lease that was taken over fails: the old owner must stop.</summary>
    [ConditionalFact]
    public async Task Renew_AfterTakeover_ReturnsNull()
    {
        var lease = await Store.Leases.TryAcquireAsync("e-lost", "node-a", Ttl);
        AdvanceClock(Ttl * 2);
        var taken = await Store.Leases.TryAcquireAsync("e-lost", "node-b", Ttl);

        Assert.Null(await Store.Leases.RenewAsync(lease!, Ttl));
        Assert.Equal(taken, await Store.Leases.GetAsync("e-lost"));
    }

    /// <summary>A released lease can be acquired at once by another owner, at the next epoch.</summary>
    [ConditionalFact]
    public async Task Release_ThenAnotherOwnerAcquires_WithNextEpoch()
    {
        var lease = await Store.Leases.TryAcquireAsync("e-release", "node-a", Ttl);

        Assert.True(await Store.Leases.ReleaseAsync(lease!));
        var next = await Store.Leases.TryAcquireAsync("e-release", "node-b", Ttl);

        Assert.Equal(("node-b", 2L), (next?.Owner, next?.Epoch));
        Assert.False(await Store.Leases.ReleaseAsync(lease!));
        Assert.Null(await Store.Leases.RenewAsync(lease!, Ttl));
    }

    /// <summary>The listing shows live and expired leases, by prefix.</summary>
    [ConditionalFact]
    public async Task List_ShowsLiveAndExpiredLeases()
    {
        await Store.Leases.TryAcquireAsync("deployment-1", "node-a", TimeSpan.FromSeconds(5));
        await Store.Leases.TryAcquireAsync("deployment-2", "node-b", Ttl);
        await Store.Leases.TryAcquireAsync("other-1", "node-b", Ttl);
        AdvanceClock(TimeSpan.FromSeconds(10));

        var deployments = await Store.Leases.ListAsync("deployment-");
        var all = await Store.Leases.ListAsync();

        Assert.Equal(["deployment-1", "deployment-2"], deployments.Select(l => l.EntityId));
        Assert.True(deployments[0].IsExpiredAt(Clock.GetUtcNow()));
        Assert.False(deployments[1].IsExpiredAt(Clock.GetUtcNow()));
        Assert.Equal(3, all.Count);
    }

    /// <summary>Many owners racing for a free lease: exactly one gets it.</summary>
    [ConditionalFact]
    public async Task TryAcquire_ConcurrentOwners_ExactlyOneWins()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await Store.Leases.TryAcquireAsync("e-race", $"node-{i}", Ttl);
        })).ToArray();
        start.SetResult();

        var winners = (await Task.WhenAll(tasks)).Where(l => l is not null).ToArray();

        var winner = Assert.Single(winners);
        Assert.Equal(1, winner!.Epoch);
        Assert.Equal(winner, await Store.Leases.GetAsync("e-race"));
    }
}
