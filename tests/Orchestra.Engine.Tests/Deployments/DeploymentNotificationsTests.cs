using System.Collections.Concurrent;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using Orchestra.Engine.Tests.Hosting;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary><see cref="DeploymentNotifications.Replay"/>: the notifications rebuilt from a journal are those the actor published live.</summary>
[Trait("Category", "Unit")]
public sealed class DeploymentNotificationsTests : EngineTestKit
{
    private readonly ConcurrentQueue<DeploymentNotification> _live = new();
    private readonly RecordingExecutor _executor = new();
    private readonly DeploymentsHost _host;

    public DeploymentNotificationsTests()
        : base(manualTime: true)
    {
        var options = new EngineOptions { TimeProvider = Clock! };
        _host = new DeploymentsHost(Sys, new InMemoryPersistence(), options, new ExecutorRegistry(options).Add(_executor));
        _host.Subscribe(_live.Enqueue);
    }

    public override async Task DisposeAsync()
    {
        _executor.ReleaseAll();
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Replay_OfARolledBackDeployment_GivesTheLiveNotificationsOfEveryEvent_WithTheStatusAfterEach()
    {
        PlanOperation Revert() => Op("delete", "test:ok");
        await _host.SubmitAsync("rb", Plan(
                Node("a", ops: [Op("create", "test:ok", revert: Revert())]),
                Node("b", ["a"], ops: [Op("create", "test:fail")])),
            new SubmitOptions(FailureAction.Rollback));
        var settled = await _host.WaitAsync("rb").WaitAsync(TimeSpan.FromSeconds(20));
        var history = await _host.GetHistoryAsync("rb");
        await AwaitConditionAsync(() => _live.Any(n => n.SequenceNr == history[^1].SequenceNr), TimeSpan.FromSeconds(20), message: "the last live notification");

        var replayed = DeploymentNotifications.Replay("rb", history).ToList();

        Assert.Equal(DeploymentStatus.RolledBack, settled.Status);
        Assert.Equal(history.Select(h => h.SequenceNr), replayed.Select(n => n.SequenceNr));
        var live = _live.Where(n => n.Kind != NotificationKind.Recovered).ToList();
        // A live notification carries the status after its whole journal write; everything else is the same.
        Assert.Equal(live.Select(n => n with { Status = default, NodeStatus = null }), replayed.Select(n => n with { Status = default, NodeStatus = null }));
        Assert.Contains(replayed, n => n.Kind == NotificationKind.TaskFailed && n.Node == "b");
        Assert.Contains(replayed, n => n.Kind == NotificationKind.TaskSucceeded && n.Node == "a" && n.Phase == TaskPhase.Revert);
        Assert.All(replayed.SkipLast(1), n => Assert.False(n.Status.IsSettled(), $"event {n.SequenceNr} ({n.Kind}) already settled"));
        Assert.Equal(DeploymentStatus.RolledBack, replayed[^1].Status);
    }

    [Fact]
    public void Replay_OfAJournalThatDoesNotStartWithTheSubmission_SaysSo()
    {
        var history = new[] { DeploymentHistory.Describe(1, new DeploymentResumed(DateTimeOffset.UnixEpoch)) };

        var error = Assert.Throws<InvalidOperationException>(() => DeploymentNotifications.Replay("x", history).ToList());

        Assert.Contains("event 1 of 'x'", error.Message, StringComparison.Ordinal);
    }
}
