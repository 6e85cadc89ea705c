using Orchestra.Cli.Output;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Tests.Output;

/// <summary>The plain renderings: honest counts and times, columns that stay put as states change.</summary>
[Trait("Category", "Unit")]
public sealed class DeploymentPrinterTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    // Where each column of the node and task lines of `status` starts: the index of the text after each run of two or more spaces.
    private static List<int[]> Columns(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("  web", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Matches(l, @"(?<=\S {2,}|^ +)\S").Select(m => m.Index).Take(2).ToArray())];

    [Fact]
    public void Status_ColumnsStayPut_WhileStatesChange()
    {
        var views = new Views();
        var waiting = DeploymentPrinter.Status(views.View, new FixedTime(views.Now));
        views.Wait(1).Apply(views.Start("database", "Standard.create"));
        views.Wait(2).Apply(new TaskAttemptFailed(views.Now, "database", "Standard.create", TaskPhase.Deploy, 1, "boom", 1, views.Now.AddSeconds(5)));
        var retrying = DeploymentPrinter.Status(views.View, new FixedTime(views.Now));

        Assert.Equal(Columns(waiting).Select(c => string.Join(',', c)), Columns(retrying).Select(c => string.Join(',', c)));
        Assert.Contains("retry in 5.0 s", retrying, StringComparison.Ordinal);
    }

    [Fact]
    public void List_StatusColumn_IsAsWideAsTheWidestStatus()
    {
        var views = new Views();
        var pending = DeploymentPrinter.List([views.View.ToSummary()]);
        views.Wait(1).Apply(new UndeployRequested(views.Now));
        var undeploying = DeploymentPrinter.List([views.View.ToSummary()]);

        Assert.Equal(pending.Split('\n')[1].IndexOf("0/3", StringComparison.Ordinal), undeploying.Split('\n')[1].IndexOf("0/3", StringComparison.Ordinal));
        Assert.Equal(pending.Split('\n')[0], undeploying.Split('\n')[0]);
    }

    [Fact]
    public void Summary_OfAnUndeploy_CountsTheTeardownOperations_OverTheUndeploysOwnTime()
    {
        var views = new Views();
        views.Wait(0).Apply(views.Start("database", "Standard.create")).Wait(10).Apply(views.Succeed("database", "Standard.create"))
            .Wait(0).Apply(views.Start("application-server", "Standard.create")).Wait(10).Apply(views.Succeed("application-server", "Standard.create"))
            .Wait(0).Apply(views.Start("application-server", "Standard.configure")).Wait(10).Apply(views.Succeed("application-server", "Standard.configure"))
            .Wait(0).Apply(new DeploymentSucceeded(views.Now))
            .Wait(3600).Apply(new UndeployRequested(views.Now))
            .Wait(0).Apply(views.Start("application-server", "Standard.stop", phase: TaskPhase.Teardown)).Wait(1).Apply(views.Succeed("application-server", "Standard.stop", TaskPhase.Teardown))
            .Wait(0).Apply(views.Start("application-server", "Standard.delete", phase: TaskPhase.Teardown)).Wait(1).Apply(views.Succeed("application-server", "Standard.delete", TaskPhase.Teardown))
            .Wait(0).Apply(views.Start("database", "Standard.delete", phase: TaskPhase.Teardown)).Wait(1).Apply(views.Succeed("database", "Standard.delete", TaskPhase.Teardown))
            .Wait(0).Apply(new DeploymentUndeployed(views.Now));

        var summary = DeploymentPrinter.Summary(views.View);

        Assert.StartsWith("Deployment 'web' Undeployed: 3/3 teardown operations succeeded in 3.0s.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_OfARetriedDeployment_LeavesOutTheTimeItSatHalted()
    {
        var views = new Views();
        views.Wait(0).Apply(views.Start("database", "Standard.create"))
            .Wait(2).Apply(new TaskFailed(views.Now, "database", "Standard.create", TaskPhase.Deploy, 1, "boom", 1))
            .Wait(0).Apply(new DeploymentHalted(views.Now, "database failed"))
            .Wait(7200).Apply(new FailedTasksRetried(views.Now))
            .Wait(0).Apply(views.Start("database", "Standard.create", attempt: 2)).Wait(1).Apply(views.Succeed("database", "Standard.create"));

        Assert.Contains("1/3 operations succeeded in 3.0s.", DeploymentPrinter.Summary(views.View), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_OfARevert_NamesWhatRunsAndWhatItReverts()
    {
        var views = new Views(FailureAction.Rollback);
        views.Wait(0).Apply(views.Start("database", "Standard.create")).Wait(1).Apply(views.Succeed("database", "Standard.create"))
            .Wait(0).Apply(new RollbackStarted(views.Now, "stop"))
            .Wait(0).Apply(views.Start("database", "Standard.create", phase: TaskPhase.Revert));

        var status = DeploymentPrinter.Status(views.View, new FixedTime(views.Now));

        Assert.Contains("Standard.delete (reverting Standard.create)", status, StringComparison.Ordinal);
    }
}
