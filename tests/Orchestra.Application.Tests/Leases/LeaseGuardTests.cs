using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Application.Configuration;
using Orchestra.Application.Leases;

namespace Orchestra.Application.Tests.Leases;

[Trait("Category", "Unit")]
public sealed class LeaseGuardTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryLeaseStore _leases;

    public LeaseGuardTests() => _leases = new InMemoryLeaseStore(_time);

    private LeaseGuard Guard(string owner = "me:1:1") =>
        new(_leases, owner, new LeaseOptions { AcquireTimeout = TimeSpan.FromMinutes(1), AcquirePollInterval = TimeSpan.FromSeconds(1) }, _time, NullLogger.Instance);

    [Fact]
    public async Task EnsureFree_NoLease_ReturnsAtOnce() => await Guard().EnsureFreeAsync("d1", wait: false, null, CancellationToken.None);

    [Fact]
    public async Task EnsureFree_LeaseOfADeadLocalProcess_ReleasesItAndSaysSo()
    {
        var dead = new LeaseOwnerIdentity(Environment.MachineName, LeaseOwnerIdentity.Current.ProcessId, LeaseOwnerIdentity.Current.StartTicks + 1);
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), dead.ToString(), Ttl);
        var messages = new List<string>();

        await Guard().EnsureFreeAsync("d1", wait: false, messages.Add, CancellationToken.None);

        Assert.Contains(messages, m => m.Contains("gone", StringComparison.Ordinal));
        Assert.NotNull(await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), "me:1:1", Ttl));
    }

    [Fact]
    public async Task EnsureFree_LeaseOfALiveLocalProcess_RefusesNamingItsPid()
    {
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), LeaseOwnerIdentity.Current.ToString(), Ttl);

        var refusal = await Assert.ThrowsAsync<DeploymentLeaseHeldException>(() => Guard().EnsureFreeAsync("d1", wait: true, null, CancellationToken.None));

        Assert.Contains($"process {LeaseOwnerIdentity.Current.ProcessId}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureFree_RemoteHolderWithoutWaiting_Refuses()
    {
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), "node2", Ttl);

        await Assert.ThrowsAsync<DeploymentLeaseHeldException>(() => Guard().EnsureFreeAsync("d1", wait: false, null, CancellationToken.None));
    }

    [Fact]
    public async Task EnsureFree_RemoteHolder_WaitsForTheLeaseToExpire_SayingSo()
    {
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), "node2", Ttl);
        var messages = new List<string>();

        var waiting = Guard().EnsureFreeAsync("d1", wait: true, messages.Add, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        for (var i = 0; i < 40 && !waiting.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(waiting, Task.Delay(10));
        }

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(messages, m => m.Contains("waiting for the lease to expire", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureFree_OwnLease_ReturnsAtOnce()
    {
        await _leases.TryAcquireAsync(LeaseGuard.EntityId("d1"), "me:1:1", Ttl);

        await Guard().EnsureFreeAsync("d1", wait: false, null, CancellationToken.None);
    }
}
