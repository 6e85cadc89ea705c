using Microsoft.Extensions.Logging.Abstractions;
using Akka.Actor;
using Akka.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Deployments.Actors;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Tests.Hosting;

namespace Orchestra.Engine.Tests.Deployments;

[Trait("Category", "Unit")]
public sealed class NodeActorTests : EngineTestKit
{
    private readonly RecordingExecutor _executor = new();
    private readonly ExecutorRegistry _executors;

    public NodeActorTests() => _executors = new ExecutorRegistry(new EngineOptions()).Add(_executor);

    public override async Task DisposeAsync()
    {
        _executor.ReleaseAll();
        await base.DisposeAsync();
    }

    private static RunOperation Run(string operation, string implementation = "test:gate", int attempt = 1) =>
        new(new TaskRef("web", operation, TaskPhase.Deploy), new OperationRequest(
            "d", "web", operation, TaskPhase.Deploy, implementation, new Dictionary<string, string>(), attempt, $"d/web/{operation}", null, TimeSpan.FromMinutes(1)));

    private Akka.Actor.IActorRef Spawn(TestProbe coordinator) =>
        Sys.ActorOf(NodeActor.Props("web", _executors, TimeProvider.System, coordinator.Ref, NullLogger.Instance));

    [Fact]
    public async Task OperationsOfANode_RunOneAfterAnother_AndEachEndIsReported()
    {
        var coordinator = CreateTestProbe();
        var node = Spawn(coordinator);

        node.Tell(Run("create"));
        node.Tell(Run("configure", "test:ok"));
        await AwaitConditionAsync(() => _executor.Attempts.Count == 1, message: "create started");

        // configure waits for create, even though it was asked for.
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(["create"], _executor.Attempts.Select(a => a.Operation));

        _executor.Release("web");
        var first = await coordinator.ExpectMsgAsync<AttemptEnded>();
        var second = await coordinator.ExpectMsgAsync<AttemptEnded>();
        Assert.Equal(("create", OperationOutcome.Succeeded), (first.Task.Operation, first.Result.Outcome));
        Assert.Equal(("configure", OperationOutcome.Succeeded), (second.Task.Operation, second.Result.Outcome));
        Assert.Equal(["create", "configure"], _executor.Attempts.Select(a => a.Operation));
        Assert.Equal(1, _executor.Peak);
    }

    [Fact]
    public async Task Cancel_CancelsTheRunningAttempt_AndDropsWaitingOnes()
    {
        var coordinator = CreateTestProbe();
        var node = Spawn(coordinator);
        node.Tell(Run("create"));
        node.Tell(Run("configure", "test:ok"));
        await AwaitConditionAsync(() => _executor.Attempts.Count == 1, message: "create started");

        node.Tell(CancelAttempt.Instance);

        var ended = await coordinator.ExpectMsgAsync<AttemptEnded>();
        Assert.Equal("create", ended.Task.Operation);
        Assert.Equal(OperationOutcome.Cancelled, ended.Result.Outcome);
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(["create"], _executor.Attempts.Select(a => a.Operation));
    }

    [Fact]
    public async Task StoppingTheNode_CancelsItsAttempt()
    {
        var coordinator = CreateTestProbe();
        var node = Spawn(coordinator);
        node.Tell(Run("create"));
        await AwaitConditionAsync(() => _executor.Attempts.Count == 1, message: "create started");

        await coordinator.WatchAsync(node);
        Sys.Stop(node);
        await coordinator.ExpectTerminatedAsync(node);

        // The attempt observed its cancellation: nothing is left running.
        await AwaitConditionAsync(() => _executor.Running == 0, message: "the attempt was cancelled");
    }
}
