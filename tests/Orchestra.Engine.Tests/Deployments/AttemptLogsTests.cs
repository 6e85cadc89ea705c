using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Tests.Deployments;

[Trait("Category", "Unit")]
public sealed class AttemptLogsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void From_RetriedTask_GivesEachAttemptItsOwnOutcomeAndOutput()
    {
        var logs = AttemptLogs.From(
        [
            new TaskStarted(At(1), "web", "Standard.create", TaskPhase.Deploy, 1, "k"),
            new TaskOutputCaptured(At(2), "web", "Standard.create", TaskPhase.Deploy, 1, null, new OutputTail("boom", 4, false)),
            new TaskAttemptFailed(At(2), "web", "Standard.create", TaskPhase.Deploy, 1, "exit code 3: boom", 3, At(3)),
            new TaskStarted(At(3), "web", "Standard.create", TaskPhase.Deploy, 2, "k"),
            new TaskSucceeded(At(4), "web", "Standard.create", TaskPhase.Deploy, 2, new Dictionary<string, string>()),
        ]);

        Assert.Equal(2, logs.Count);
        Assert.Equal((AttemptOutcome.Failed, 3, "boom"), (logs[0].Outcome, logs[0].ExitCode, logs[0].Stderr!.Text));
        Assert.Null(logs[0].Stdout);
        Assert.Equal((AttemptOutcome.Succeeded, At(4)), (logs[1].Outcome, logs[1].FinishedAt));
        Assert.Null(logs[1].Stderr);
    }

    [Fact]
    public void From_ReleaseOneJournal_WithoutOutputEvents_StillListsTheAttempts()
    {
        var logs = AttemptLogs.From(
        [
            new TaskStarted(At(1), "db", "Standard.create", TaskPhase.Deploy, 1, "k"),
            new TaskFailed(At(2), "db", "Standard.create", TaskPhase.Deploy, 1, "exit code 1: x", 1),
            new TaskStarted(At(3), "db", "Standard.create", TaskPhase.Revert, 1, "r"),
        ]);

        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Running], logs.Select(l => l.Outcome));
        Assert.Equal(TaskPhase.Revert, logs[1].Phase);
        Assert.All(logs, l => Assert.Null(l.Stdout));
    }

    [Fact]
    public void From_RevertAttempt_NamesTheOperationThatRan()
    {
        var plan = PlanBuilder.Plan(PlanBuilder.Node("db", ops: [PlanBuilder.Op("Standard.create", revert: PlanBuilder.Op("Standard.delete"))]));

        var logs = AttemptLogs.From(
        [
            new DeploymentSubmitted(At(0), "d", plan, SubmitOptions.Default),
            new TaskStarted(At(1), "db", "Standard.create", TaskPhase.Deploy, 1, "k"),
            new TaskSucceeded(At(2), "db", "Standard.create", TaskPhase.Deploy, 1, new Dictionary<string, string>()),
            new TaskStarted(At(3), "db", "Standard.create", TaskPhase.Revert, 1, "r"),
        ]);

        Assert.Equal([null, "Standard.delete"], logs.Select(l => l.Runs));
    }

    [Fact]
    public void From_AttemptRerunAfterRecovery_MarksTheFirstRunInterrupted()
    {
        var logs = AttemptLogs.From(
        [
            new TaskStarted(At(1), "web", "Standard.create", TaskPhase.Deploy, 1, "k"),
            new TaskStarted(At(5), "web", "Standard.create", TaskPhase.Deploy, 1, "k", Recovered: true),
            new TaskOutputCaptured(At(6), "web", "Standard.create", TaskPhase.Deploy, 1, new OutputTail("ok", 3, false), null),
            new TaskSucceeded(At(6), "web", "Standard.create", TaskPhase.Deploy, 1, new Dictionary<string, string>()),
        ]);

        Assert.Equal([AttemptOutcome.Interrupted, AttemptOutcome.Succeeded], logs.Select(l => l.Outcome));
        Assert.Null(logs[0].Stdout);
        Assert.Equal("ok", logs[1].Stdout!.Text);
    }

    [Fact]
    public void From_CancelBeforeAnyAttempt_AddsNothing()
    {
        var logs = AttemptLogs.From([new TaskCancelled(At(1), "web", "Standard.create", TaskPhase.Deploy, 0, "cancelled with the deployment")]);

        Assert.Empty(logs);
    }
}
