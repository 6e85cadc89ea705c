using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;

namespace Orchestra.Cli.Tests.Output;

/// <summary>The one-line renderings of notifications: plain, honest, without raw timestamps.</summary>
[Trait("Category", "Unit")]
public sealed class FormatsTests
{
    private static readonly DateTimeOffset At = new(2030, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Line_OfAFailedAttempt_SaysWhenTheRetryStartsInSeconds()
    {
        var n = new DeploymentNotification("web", NotificationKind.TaskAttemptFailed, At, DeploymentStatus.Running, "db", "Standard.create", TaskPhase.Deploy, 1,
            Message: "exit code 3") { RetryAt = At.AddMilliseconds(1200) };

        Assert.EndsWith("web db Standard.create attempt 1 failed, retry in 1.2 s: exit code 3", Formats.Line(n), StringComparison.Ordinal);
    }

    [Fact]
    public void Line_OfARevert_NamesTheOperationThatRuns()
    {
        var n = new DeploymentNotification("web", NotificationKind.TaskStarted, At, DeploymentStatus.RollingBack, "db", "Standard.create", TaskPhase.Revert, 1)
        {
            Runs = "Standard.delete",
        };

        Assert.EndsWith("web db Standard.delete (reverting Standard.create) attempt 1 started", Formats.Line(n), StringComparison.Ordinal);
    }

    [Fact]
    public void PlainView_LeavesOutTheRecoveryFromTheJournal()
    {
        using var output = new StringWriter();
        var view = new PlainProgressView(output);

        view.OnNotification(new DeploymentNotification("web", NotificationKind.Recovered, At, DeploymentStatus.Halted, Message: "recovered at event 4"));
        view.OnNotification(new DeploymentNotification("web", NotificationKind.TaskStarted, At, DeploymentStatus.Running, "db", "Standard.create", TaskPhase.Deploy, 2));

        Assert.DoesNotContain("recovered", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("db Standard.create attempt 2 started", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.04, "0.0 s")]
    [InlineData(-3, "0.0 s")]
    [InlineData(1.24, "1.2 s")]
    [InlineData(59.9, "59.9 s")]
    [InlineData(125, "2m05s")]
    public void Wait_IsSecondsWithAUnit(double seconds, string expected) =>
        Assert.Equal(expected, Formats.Wait(TimeSpan.FromSeconds(seconds)));
}
