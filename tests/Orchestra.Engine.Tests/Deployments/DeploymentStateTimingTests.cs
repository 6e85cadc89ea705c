using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary>
/// The durations the state folds from the journal's transitions: time spent Halted or Paused (waiting for an operator) is not time
/// the deployment worked, and an undeploy's time is its own phase's.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DeploymentStateTimingTests
{
    [Fact]
    public void ActiveTime_OfARetriedDeployment_ExcludesTheTimeItSatHalted()
    {
        var m = new Machine(Plan(Node("a")));
        var first = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(2);
        m.Fail(first);
        m.Step();
        Assert.Equal(DeploymentStatus.Halted, m.State.Status);

        m.Now = m.Now.AddHours(1);
        m.Command(new FailedTasksRetried(m.Now));
        var second = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(3);
        m.Succeed(second);
        m.Step();

        var view = m.State.ToView(m.Journal.Count);
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), view.ActiveTime);
        Assert.Equal(TimeSpan.FromSeconds(5), m.Replay().ToView(m.Journal.Count).ActiveTime);
    }

    [Fact]
    public void ActiveTime_OfAResumedDeployment_ExcludesTheTimeItSatPaused()
    {
        var m = new Machine(Plan(Node("a"), Node("b", ["a"])));
        var a = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(1);
        m.Command(new DeploymentPauseRequested(m.Now, null));
        m.Now = m.Now.AddSeconds(1);
        m.Succeed(a);
        m.Step();
        Assert.Equal(DeploymentStatus.Paused, m.State.Status);

        m.Now = m.Now.AddMinutes(30);
        m.Command(new DeploymentResumed(m.Now));
        var b = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(4);
        m.Succeed(b);
        m.Step();

        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
        Assert.Equal(TimeSpan.FromSeconds(6), m.State.ToView(1).ActiveTime);
    }

    [Fact]
    public void PhaseActiveTime_OfAnUndeploy_CountsOnlyTheTeardown()
    {
        var m = new Machine(Plan(Node("a", teardown: [Op("stop"), Op("delete")])));
        var create = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(10);
        m.Succeed(create);
        m.Step();
        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);

        m.Now = m.Now.AddDays(2);
        m.Command(new UndeployRequested(m.Now));
        var stop = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(1);
        m.Succeed(stop);
        var delete = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(2);
        m.Succeed(delete);
        m.Step();

        var view = m.State.ToView(1);
        Assert.Equal(DeploymentStatus.Undeployed, view.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), view.PhaseActiveTime);
        Assert.Equal(TimeSpan.FromSeconds(13), view.ActiveTime);
    }

    [Fact]
    public void ActiveTime_WhileRunning_CountsUpToTheLastEvent()
    {
        var m = new Machine(Plan(Node("a"), Node("b", ["a"])));
        var a = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(7);
        m.Succeed(a);

        Assert.Equal(TimeSpan.FromSeconds(7), m.State.ToView(1).ActiveTime);
        Assert.Equal(TimeSpan.FromSeconds(7), m.State.ToView(1).PhaseActiveTime);
    }

    [Fact]
    public void Snapshot_KeepsTheActiveTimes()
    {
        var m = new Machine(Plan(Node("a", teardown: [Op("delete")])));
        var create = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(10);
        m.Succeed(create);
        m.Step();
        m.Now = m.Now.AddHours(1);
        m.Command(new UndeployRequested(m.Now));
        var delete = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(2);
        m.Succeed(delete);

        var serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        var saved = serializer.Serialize(m.State.ToSnapshot(m.Submitted));
        var restored = DeploymentState.Restore((DeploymentSnapshot)serializer.Deserialize(saved.Manifest, saved.Payload));

        Assert.Equal(TimeSpan.FromSeconds(12), restored.ToView(1).ActiveTime);
        Assert.Equal(TimeSpan.FromSeconds(2), restored.ToView(1).PhaseActiveTime);
    }

    [Fact]
    public void Snapshot_WrittenBeforeActiveTimesExisted_RestoresWithoutThem()
    {
        var m = new Machine(Plan(Node("a")));
        var create = Assert.Single(m.Step());
        m.Now = m.Now.AddSeconds(10);
        m.Succeed(create);
        var serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        var saved = serializer.Serialize(m.State.ToSnapshot(m.Submitted));
        var json = System.Text.Json.Nodes.JsonNode.Parse(saved.Payload)!.AsObject();
        json.Remove("activeTime");
        json.Remove("phaseActiveTime");
        json.Remove("ActiveTime");
        json.Remove("PhaseActiveTime");

        var restored = DeploymentState.Restore((DeploymentSnapshot)serializer.Deserialize(saved.Manifest, JsonSerializer.SerializeToUtf8Bytes(json)));

        Assert.Equal(TimeSpan.Zero, restored.ToView(1).ActiveTime);
        Assert.Equal(OperationStatus.Succeeded, restored.ToView(1).Nodes[0].Tasks[0].Status);
    }

    [Fact]
    public void RetryWaitingReason_NamesNoRawTimestamp()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", retry: new RetryPolicy(3, TimeSpan.FromSeconds(5)))])));
        var first = Assert.Single(m.Step());
        m.Fail(first, "exit code 3");

        var task = m.State.ToView(1).Nodes[0].Tasks[0];
        Assert.Equal(OperationStatus.RetryWaiting, task.Status);
        Assert.Equal(m.Now.AddSeconds(5), task.RetryAt);
        Assert.DoesNotContain(m.Now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), task.Reason, StringComparison.Ordinal);
        Assert.Contains("attempt 1 of 3 failed (exit code 3)", task.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RevertRequest_RunsTheRevertOperation_AndNamesWhatItReverts()
    {
        var m = new Machine(
            Plan(Node("a", ops: [Op("Standard.create", "create.sh", revert: Op("Standard.delete", "delete.sh"))]), Node("b", ["a"])),
            options: new SubmitOptions(FailureAction.Rollback));
        m.Succeed(Assert.Single(m.Step()));
        m.Fail(Assert.Single(m.Step()));
        var revert = Assert.Single(m.Step());
        Assert.Equal(TaskPhase.Revert, revert.Phase);

        var request = m.State.CreateRequest(revert, TimeSpan.FromMinutes(1));
        var view = m.State.ToView(1).Nodes[0].Tasks.Single(t => t.Phase == TaskPhase.Revert);

        Assert.Equal("Standard.delete", request.Operation);
        Assert.Equal("Standard.create", request.Reverting);
        Assert.Equal("delete.sh", request.Implementation);
        Assert.Equal("Standard.create", view.Operation);
        Assert.Equal("Standard.delete", view.Runs);
    }

    [Fact]
    public void DeployRequest_RevertsNothing()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("Standard.create", "create.sh", revert: Op("Standard.delete", "delete.sh"))])));
        var request = m.State.CreateRequest(Assert.Single(m.Step()), TimeSpan.FromMinutes(1));

        Assert.Equal("Standard.create", request.Operation);
        Assert.Null(request.Reverting);
        Assert.Null(m.State.ToView(1).Nodes[0].Tasks[0].Runs);
    }
}
