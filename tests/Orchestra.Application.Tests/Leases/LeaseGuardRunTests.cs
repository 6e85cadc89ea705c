using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;

namespace Orchestra.Application.Tests.Leases;

/// <summary>Each run of a deployment is leased on its own.</summary>
[Trait("Category", "Unit")]
public sealed class LeaseGuardRunTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryLeaseStore _leases;

    public LeaseGuardRunTests() => _leases = new InMemoryLeaseStore(_time);

    private LeaseGuard Guard() =>
        new(_leases, "me:1:1", new LeaseOptions { AcquireTimeout = TimeSpan.FromMinutes(1), AcquirePollInterval = TimeSpan.FromSeconds(1) }, _time, NullLogger.Instance);

    [Fact]
    public void EntityId_Run1IsTheReleaseOneId_LaterRunsNameTheRun()
    {
        Assert.Equal(LeaseGuard.EntityId("d1"), LeaseGuard.EntityId("d1", 1));
        Assert.Equal("deployment-d1~2", LeaseGuard.EntityId("d1", 2));
    }

    [Fact]
    public async Task EnsureFree_ChecksTheLeaseOfTheGivenRunOnly()
    {
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1", 2), "node2", Ttl);

        await Guard().EnsureFreeAsync("d1", 1, wait: false, null, CancellationToken.None);
        await Assert.ThrowsAsync<DeploymentLeaseHeldException>(() => Guard().EnsureFreeAsync("d1", 2, wait: false, null, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseIfHolderDead_ReleasesTheGivenRunsLease()
    {
        var dead = new LeaseOwnerIdentity(Environment.MachineName, LeaseOwnerIdentity.Current.ProcessId, LeaseOwnerIdentity.Current.StartTicks + 1);
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1", 3), dead.ToString(), Ttl);

        Assert.False(await Guard().ReleaseIfHolderDeadAsync("d1", CancellationToken.None));
        Assert.True(await Guard().ReleaseIfHolderDeadAsync("d1", 3, CancellationToken.None));
        Assert.NotNull(await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1", 3), "me:1:1", Ttl));
    }
}
