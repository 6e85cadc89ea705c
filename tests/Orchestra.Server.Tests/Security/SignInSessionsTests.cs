using Orchestra.Actors.TestKit;
using Orchestra.Application.Configuration;
using Orchestra.Server.Security;

namespace Orchestra.Server.Tests.Security;

/// <summary>Sign-in codes are single-use and short-lived; sessions expire; on a fake clock.</summary>
[Trait("Category", "Unit")]
public sealed class SignInSessionsTests
{
    private readonly ManualTimeProvider _clock = new();

    private SignInSessions Sessions() => new(new ServerOptions { SignInCodeLifetime = TimeSpan.FromMinutes(10), SessionLifetime = TimeSpan.FromHours(1) }, _clock);

    [Fact]
    public void Redeem_ACodeTwice_OpensOneSessionOnly()
    {
        var sessions = Sessions();
        var code = sessions.IssueCode();

        var first = sessions.Redeem(code);
        var second = sessions.Redeem(code);

        Assert.NotNull(first);
        Assert.True(sessions.IsValid(first));
        Assert.Null(second);
    }

    [Fact]
    public void Redeem_AfterTheCodeLifetime_IsRefused()
    {
        var sessions = Sessions();
        var code = sessions.IssueCode();

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(sessions.Redeem(code));
    }

    [Fact]
    public void Session_AfterItsLifetime_IsNoLongerValid()
    {
        var sessions = Sessions();
        var session = sessions.Redeem(sessions.IssueCode());
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(sessions.IsValid(session));

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(sessions.IsValid(session));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-code")]
    public void Redeem_AnUnknownCode_IsRefused(string? code)
    {
        var sessions = Sessions();
        sessions.IssueCode();

        Assert.Null(sessions.Redeem(code));
        Assert.False(sessions.IsValid(code));
    }
}
