using System.Diagnostics;
using Orchestra.Application.Leases;

namespace Orchestra.Application.Tests.Leases;

[Trait("Category", "Unit")]
public sealed class LeaseOwnerIdentityTests
{
    [Fact]
    public void Current_RoundTripsThroughItsText_AndIsAlive()
    {
        var current = LeaseOwnerIdentity.Current;

        Assert.True(LeaseOwnerIdentity.TryParse(current.ToString(), out var parsed));
        Assert.Equal(current, parsed);
        Assert.True(current.StartTicks > 0);
        Assert.False(parsed.IsDeadLocalProcess());
    }

    [Fact]
    public async Task IsDeadLocalProcess_AfterTheProcessExited_IsTrue()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var identity = new LeaseOwnerIdentity(Environment.MachineName, process.Id, LeaseOwnerIdentity.ReadStartTicks(process.Id) ?? 1);
        await process.WaitForExitAsync();

        Assert.True(identity.IsDeadLocalProcess());
    }

    [Fact]
    public void IsDeadLocalProcess_PidReusedByAnotherProcess_IsTrue()
    {
        var current = LeaseOwnerIdentity.Current;
        var impostor = current with { StartTicks = current.StartTicks + 12345 };

        Assert.True(impostor.IsDeadLocalProcess());
    }

    [Fact]
    public void IsDeadLocalProcess_OtherMachine_IsFalse()
    {
        var remote = LeaseOwnerIdentity.Current with { Host = "some-other-host", ProcessId = 999_999 };

        Assert.False(remote.IsDeadLocalProcess());
    }

    [Theory]
    [InlineData("node1")]
    [InlineData("host:notapid:1")]
    [InlineData("host-1234-abcdef")]
    public void TryParse_OtherOwnerForms_Fails(string owner) => Assert.False(LeaseOwnerIdentity.TryParse(owner, out _));
}
