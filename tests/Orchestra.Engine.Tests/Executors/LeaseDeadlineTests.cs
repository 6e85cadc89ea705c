using Orchestra.Actors.TestKit;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Tests.Executors;

/// <summary>The transitions of <see cref="LeaseDeadline"/> (valid, expired, disposed) on a manual clock.</summary>
[Trait("Category", "Unit")]
public sealed class LeaseDeadlineTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _clock = new();
    private readonly List<string> _expired = [];

    private LeaseDeadline Start() => new("d", _clock.GetUtcNow(), Ttl, _clock, (_, reason) => _expired.Add(reason));

    [Fact]
    public void NoRenewal_ExpiresExactlyAtTheTtl_SayingWhy()
    {
        using var deadline = Start();

        _clock.Advance(Ttl - TimeSpan.FromTicks(1));
        Assert.False(deadline.Expired.IsCancellationRequested);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.True(deadline.Expired.IsCancellationRequested);
        Assert.Contains("no renewal of the lease of deployment 'd' succeeded for 00:00:30", Assert.Single(_expired), StringComparison.Ordinal);
        Assert.Equal(deadline.Reason, _expired[0]);
    }

    [Fact]
    public void Renewed_MovesTheDeadlineToItsSendTimePlusTheTtl()
    {
        using var deadline = Start();
        _clock.Advance(TimeSpan.FromSeconds(10));
        deadline.Renewed(_clock.GetUtcNow());

        _clock.Advance(Ttl - TimeSpan.FromTicks(1));
        Assert.False(deadline.IsExpired);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.True(deadline.IsExpired);
    }

    [Fact]
    public void RenewedWithAnOlderSendTime_DoesNotMoveTheDeadlineBack()
    {
        using var deadline = Start();
        deadline.Renewed(_clock.GetUtcNow() + TimeSpan.FromSeconds(20));
        deadline.Renewed(_clock.GetUtcNow());

        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(20) + Ttl, deadline.ValidUntil);
    }

    [Fact]
    public void Expired_IsFinal_ALaterRenewalDoesNotReviveIt()
    {
        using var deadline = Start();
        _clock.Advance(Ttl);

        deadline.Renewed(_clock.GetUtcNow());
        _clock.Advance(Ttl);

        Assert.True(deadline.IsExpired);
        Assert.Single(_expired);
    }

    [Fact]
    public void Lost_ExpiresAtOnce()
    {
        using var deadline = Start();

        deadline.Lost();

        Assert.True(deadline.IsExpired);
        Assert.Contains("moved to another owner", Assert.Single(_expired), StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_NeverFires()
    {
        var deadline = Start();

        deadline.Dispose();
        _clock.Advance(Ttl * 2);
        deadline.Lost();

        Assert.False(deadline.IsExpired);
        Assert.Empty(_expired);
        Assert.Equal(0, _clock.ActiveTimerCount);
    }
}
