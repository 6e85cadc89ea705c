using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Deployments;

[Trait("Category", "Unit")]
public sealed class DeploymentStateTests
{
    private static string Names(IEnumerable<TaskStarted> started) => string.Join(",", started.Select(s => s.Node + "/" + s.Operation));

    [Fact]
    public void Decide_StartsOnlyNodesWhoseDependenciesCompleted()
    {
        var m = new Machine(Plan(Node("c", ["b"]), Node("b", ["a"]), Node("a", ops: [Op("create"), Op("start")])));

        var first = m.Step();
        Assert.Equal("a/create", Names(first));
        m.Succeed(first[0]);
        var second = m.Step();
        Assert.Equal("a/start", Names(second));
        Assert.Equal(NodeStatus.Waiting, m.State.NodeStatusOf("b"));
        m.Succeed(second[0]);
        Assert.Equal(NodeStatus.Deployed, m.State.NodeStatusOf("a"));
        Assert.Equal("b/create", Names(m.Step()));
    }

    [Fact]
    public void Decide_StartsIndependentBranchesTogether()
    {
        var m = new Machine(Plan(Node("a"), Node("b", ["a"]), Node("c", ["a"]), Node("d", ["b", "c"])));
        m.Succeed(m.Step().Single());

        var branches = m.Step();
        Assert.Equal("b/create,c/create", Names(branches));
        m.Succeed(branches[0]);
        Assert.Empty(m.Step());
        m.Succeed(branches[1]);
        Assert.Equal("d/create", Names(m.Step()));
    }

    [Fact]
    public void Decide_NeverRunsMoreThanTheConcurrencyBound()
    {
        var m = new Machine(Plan([.. Enumerable.Range(0, 10).Select(i => Node($"n{i}"))]), maxConcurrent: 3);

        var first = m.Step();
        Assert.Equal(3, first.Count);
        Assert.Equal(3, m.State.RunningCount);
        m.Succeed(first[1]);
        var next = m.Step();
        Assert.Equal("n3/create", Names(next));
        Assert.Equal(3, m.State.RunningCount);

        var peak = 0;
        foreach (var s in new[] { first[0], first[2], next[0] })
        {
            m.Succeed(s);
        }

        m.RunAll(s => { peak = Math.Max(peak, m.State.RunningCount); return OperationResult.Success; });
        Assert.True(peak <= 3, $"peak {peak}");
        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
    }

    [Fact]
    public void OperationEdge_WaitsForTheNamedOperationOnly()
    {
        var m = new Machine(Plan(
            Node("db", ops: [Op("create"), Op("start")]),
            Node("app", ops: [Op("create"), Op("configure", after: [new OperationId("db", "start")])])));

        Assert.Equal("db/create,app/create", Names(m.Step().OrderBy(s => s.Node == "app")));
        var started = m.Journal.OfType<TaskStarted>().ToList();
        m.Succeed(started.Single(s => s.Node == "app"));
        Assert.Empty(m.Step());
        Assert.Contains("waiting for db/start", m.State.ToView(0).Nodes.Single(n => n.Name == "app").Tasks[1].Reason, StringComparison.Ordinal);
        m.Succeed(started.Single(s => s.Node == "db"));
        var dbStart = m.Step().Single();
        m.Succeed(dbStart);
        Assert.Equal("app/configure", Names(m.Step()));
    }

    [Fact]
    public void Retry_WaitsForTheBackoffScheduleThenRunsTheNextAttempt()
    {
        var retry = new RetryPolicy(3, TimeSpan.FromSeconds(10), BackoffKind.Exponential);
        var m = new Machine(Plan(Node("a", ops: [Op("create", retry: retry)])));
        var t0 = m.Now;

        var attempt1 = m.Step().Single();
        var failed = Assert.IsType<TaskAttemptFailed>(m.Fail(attempt1, "exit 3", 3));
        Assert.Equal(t0.AddSeconds(10), failed.RetryAt);
        Assert.Empty(m.Step());
        Assert.Equal(t0.AddSeconds(10), m.WakeAt);

        m.Now = t0.AddSeconds(9);
        Assert.Empty(m.Step());
        m.Now = t0.AddSeconds(10);
        var attempt2 = m.Step().Single();
        Assert.Equal(2, attempt2.Attempt);
        Assert.Equal(attempt1.IdempotencyKey, attempt2.IdempotencyKey);

        var failed2 = Assert.IsType<TaskAttemptFailed>(m.Fail(attempt2));
        Assert.Equal(m.Now.AddSeconds(20), failed2.RetryAt);
        m.Now = failed2.RetryAt;
        var attempt3 = m.Step().Single();
        Assert.IsType<TaskFailed>(m.Fail(attempt3, "still broken"));
        m.Step();
        Assert.Equal(DeploymentStatus.Halted, m.State.Status);
        Assert.Contains("still broken", m.State.StatusReason, StringComparison.Ordinal);
        Assert.Contains("a/create", m.State.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Halt_LetsRunningTasksFinishStartsNothingNewAndRetryResumes()
    {
        var m = new Machine(Plan(Node("a"), Node("b"), Node("c", ["b"])));
        var first = m.Step();
        m.Fail(first.Single(s => s.Node == "a"));
        Assert.Equal(DeploymentStatus.Halting, m.State.Status);
        m.Succeed(first.Single(s => s.Node == "b"));
        Assert.Empty(m.Step());
        Assert.Equal(DeploymentStatus.Halted, m.State.Status);
        Assert.Equal(OperationStatus.Ready, m.State.StatusOf(new TaskRef("c", "create", TaskPhase.Deploy)));

        m.Command(new FailedTasksRetried(m.Now));
        var again = m.Step();
        Assert.Equal("a/create,c/create", Names(again));
        Assert.Equal(2, again[0].Attempt);
        m.RunAll();
        foreach (var s in again)
        {
            m.Succeed(s);
        }

        m.Step();
        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
    }

    [Fact]
    public void Retry_IsRejectedUnlessHalted()
    {
        var m = new Machine(Plan(Node("a")));
        m.Step();
        Assert.NotNull(m.State.Reject(new FailedTasksRetried(m.Now)));
        Assert.NotNull(m.State.Reject(new DeploymentResumed(m.Now)));
        Assert.NotNull(m.State.Reject(new UndeployRequested(m.Now)));
        Assert.Null(m.State.Reject(new DeploymentPauseRequested(m.Now, null)));
    }

    [Fact]
    public void Rollback_RevertsInReverseCompletionOrder_FailedOperationFirst()
    {
        static PlanOperation Reverted(string name) => Op(name, revert: Op("undo-" + name));
        var m = new Machine(Plan(
            Node("a", ops: [Reverted("create"), Reverted("start")]),
            Node("b", ["a"], ops: [Reverted("create")]),
            Node("c", ["a"], ops: [Op("create")]),
            Node("d", ["b", "c"], ops: [Reverted("create")])), options: new SubmitOptions(FailureAction.Rollback));

        var order = m.RunAll(s => s.Phase == TaskPhase.Deploy && s.Node == "d" ? OperationResult.Failed("d broke") : OperationResult.Success);

        Assert.Equal(DeploymentStatus.RolledBack, m.State.Status);
        var reverts = order.Where(o => o.EndsWith("/Revert", StringComparison.Ordinal)).ToList();
        var deploys = order.Where(o => o.EndsWith("/Deploy", StringComparison.Ordinal)).ToList();
        Assert.Equal(["a/create/Deploy", "a/start/Deploy", "b/create/Deploy", "c/create/Deploy", "d/create/Deploy"], deploys);
        Assert.Equal(["d/create/Revert", "b/create/Revert", "a/start/Revert", "a/create/Revert"], reverts);
        Assert.Contains("d broke", m.State.StatusReason, StringComparison.Ordinal);
        Assert.Equal(NodeStatus.RolledBack, m.State.NodeStatusOf("a"));
    }

    [Fact]
    public void Rollback_RunsOneRevertAtATime()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => Node($"n{i}", ops: [Op("create", revert: Op("delete"))])).ToList();
        nodes.Add(Node("bad", [.. Enumerable.Range(0, 5).Select(i => $"n{i}")]));
        var m = new Machine(Plan([.. nodes]), options: new SubmitOptions(FailureAction.Rollback));
        var peak = 0;
        m.RunAll(s =>
        {
            if (s.Phase == TaskPhase.Revert)
            {
                peak = Math.Max(peak, m.State.RunningCount);
            }

            return s.Node == "bad" ? OperationResult.Failed("x") : OperationResult.Success;
        });
        Assert.Equal(1, peak);
        Assert.Equal(DeploymentStatus.RolledBack, m.State.Status);
    }

    [Fact]
    public void Rollback_WhoseRevertFails_HaltsAndRetryContinuesTheRollback()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", revert: Op("delete"))]), Node("b", ["a"])), options: new SubmitOptions(FailureAction.Rollback));
        var failRevert = true;
        m.RunAll(s => s.Phase == TaskPhase.Deploy && s.Node == "b" ? OperationResult.Failed("b") : s.Phase == TaskPhase.Revert && failRevert ? OperationResult.Failed("revert broke") : OperationResult.Success);
        Assert.Equal(DeploymentStatus.Halted, m.State.Status);
        Assert.Equal(DeploymentPhase.Rollback, m.State.Phase);

        failRevert = false;
        m.Command(new FailedTasksRetried(m.Now));
        m.RunAll();
        Assert.Equal(DeploymentStatus.RolledBack, m.State.Status);
    }

    [Fact]
    public void Undeploy_TearsDownInReverseDependencyOrder_OnlyNodesPastCreate()
    {
        static PlanNode WithTeardown(string name, IReadOnlyList<string>? deps = null) =>
            Node(name, deps, ops: [Op("create"), Op("start")], teardown: [Op("stop"), Op("delete")]);
        var m = new Machine(Plan(WithTeardown("net"), WithTeardown("db", ["net"]), WithTeardown("app", ["db"]), WithTeardown("web", ["app"]), WithTeardown("side", ["net"])));
        m.RunAll(s => s.Node == "web" ? OperationResult.Failed("web broke") : OperationResult.Success);
        Assert.Equal(DeploymentStatus.Halted, m.State.Status);

        m.Command(new UndeployRequested(m.Now));
        var order = m.RunAll();

        Assert.Equal(DeploymentStatus.Undeployed, m.State.Status);
        Assert.DoesNotContain(order, o => o.StartsWith("web/", StringComparison.Ordinal));
        int At(string s) => order.IndexOf(s);
        Assert.True(At("app/stop/Teardown") < At("app/delete/Teardown"));
        Assert.True(At("app/delete/Teardown") < At("db/stop/Teardown"));
        Assert.True(At("db/delete/Teardown") < At("net/stop/Teardown"));
        Assert.True(At("side/delete/Teardown") < At("net/stop/Teardown"));
        Assert.Equal(10 - 2, order.Count);
        Assert.All(m.State.ToView(0).Nodes, n => Assert.Equal(NodeStatus.TornDown, n.Status));
    }

    [Fact]
    public void Undeploy_IsRejectedWhileRunning()
    {
        var m = new Machine(Plan(Node("a")));
        m.Step();
        Assert.Contains("cancel or pause it first", m.State.Reject(new UndeployRequested(m.Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void PauseAndResume_StopAndRestartNewWork()
    {
        var m = new Machine(Plan(Node("a"), Node("b", ["a"])));
        var a = m.Step().Single();
        m.Command(new DeploymentPauseRequested(m.Now, "maintenance"));
        Assert.Equal(DeploymentStatus.Pausing, m.State.Status);
        Assert.Empty(m.Step());
        m.Succeed(a);
        Assert.Empty(m.Step());
        Assert.Equal(DeploymentStatus.Paused, m.State.Status);
        Assert.IsType<DeploymentPaused>(m.Journal[^1]);

        m.Command(new DeploymentResumed(m.Now));
        Assert.Equal("b/create", Names(m.Step()));
    }

    [Fact]
    public void Cancel_StartsNothingAndSettlesWhenRunningTasksReport()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", retry: new RetryPolicy(5, TimeSpan.FromMinutes(1)))]), Node("b"), Node("c", ["b"])));
        var first = m.Step();
        m.Fail(first.Single(s => s.Node == "a"));
        m.Command(new DeploymentCancelRequested(m.Now, "operator"));
        Assert.Equal(OperationStatus.Cancelled, m.State.StatusOf(new TaskRef("a", "create", TaskPhase.Deploy)));
        Assert.Empty(m.Step());
        var cancelled = m.Complete(first.Single(s => s.Node == "b"), OperationResult.Cancelled());
        Assert.IsType<TaskCancelled>(cancelled);
        m.Step();
        Assert.Equal(DeploymentStatus.Cancelled, m.State.Status);
        Assert.Equal(NodeStatus.Cancelled, m.State.NodeStatusOf("c"));
    }

    [Fact]
    public void Outputs_FlowIntoLaterInputs_ByOperationAndByAttribute()
    {
        var url = new ConcatValue([PlanValue.Literal("http://"), new OutputReference("server", null, "ip"), PlanValue.Literal(":"), new OutputReference("server", null, "port")]);
        var token = new OutputReference("server", "create", "token");
        var m = new Machine(Plan(
            Node("server", attributes: new Dictionary<string, PlanValue> { ["port"] = PlanValue.Literal(8080) }),
            Node("client", ["server"], ops: [Op("create", inputs: new Dictionary<string, PlanValue> { ["URL"] = url, ["TOKEN"] = token, ["MISSING"] = new OutputReference("server", null, "nope") })])));

        m.Succeed(m.Step().Single(), ("ip", "10.0.0.7"), ("token", "s3cret"));
        var client = m.Step().Single();
        var request = m.State.CreateRequest(client, TimeSpan.FromMinutes(1));

        Assert.Equal("http://10.0.0.7:8080", request.Inputs["URL"]);
        Assert.Equal("s3cret", request.Inputs["TOKEN"]);
        Assert.Equal(string.Empty, request.Inputs["MISSING"]);
        Assert.Equal("d1/client/create/deploy", request.IdempotencyKey);
    }

    [Fact]
    public void TaskWithoutImplementation_SucceedsWithoutRunning()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", implementation: null), Op("start")])));
        var started = m.Step();
        Assert.Equal("a/start", Names(started));
        Assert.DoesNotContain(m.Journal.OfType<TaskStarted>(), s => s.Operation == "create");
    }

    [Fact]
    public void EmptyPlan_SucceedsAtOnce()
    {
        var m = new Machine(Plan(Node("a", ops: []), Node("b", ["a"], ops: [])));
        m.Step();
        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
    }

    [Fact]
    public void Recovery_RerunsInFlightTasksWithTheSameKey_NeverSucceededOnes()
    {
        var m = new Machine(Plan(Node("a"), Node("b"), Node("c", ["a"])));
        var first = m.Step();
        m.Succeed(first.Single(s => s.Node == "a"));
        var c = m.Step().Single();

        // The process dies here: b and c are journaled as started, a as succeeded.
        var recovered = m.Replay();
        var events = recovered.Recover(m.Now);

        var restarted = events.Cast<TaskStarted>().ToList();
        Assert.Equal("b/create,c/create", Names(restarted));
        Assert.All(restarted, s => Assert.True(s.Recovered));
        Assert.Equal(first.Single(s => s.Node == "b").IdempotencyKey, restarted[0].IdempotencyKey);
        Assert.Equal(c.IdempotencyKey, restarted[1].IdempotencyKey);
        Assert.Equal(1, restarted[0].Attempt);
        Assert.Equal(OperationStatus.Succeeded, recovered.StatusOf(new TaskRef("a", "create", TaskPhase.Deploy)));
        foreach (var e in events)
        {
            recovered.Apply(e);
        }

        Assert.Empty(recovered.Decide(m.Now, 16).Events);
    }

    [Fact]
    public void Recovery_WhileCancelling_RecordsInFlightTasksAsCancelled()
    {
        var m = new Machine(Plan(Node("a")));
        m.Step();
        m.Command(new DeploymentCancelRequested(m.Now, null));
        var recovered = m.Replay();
        Assert.IsType<TaskCancelled>(Assert.Single(recovered.Recover(m.Now)));
    }

    [Fact]
    public void StaleResult_IsIgnored()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", retry: new RetryPolicy(2, TimeSpan.Zero))])));
        var a1 = m.Step().Single();
        m.Fail(a1);
        m.Step();
        Assert.Null(m.State.ResultEvent(new TaskRef("a", "create", TaskPhase.Deploy), 1, OperationResult.Success, m.Now));
    }

    public static TheoryData<int> Cutoffs => new() { 3, 7, 12, 20, 31 };

    [Theory]
    [MemberData(nameof(Cutoffs))]
    public void Snapshot_RestoresTheSameStateAsReplayingEvents(int cutoff)
    {
        var m = new Machine(Layered(4, 5, 2) with { }, maxConcurrent: 3);
        var events = 0;
        var queue = new Queue<TaskStarted>(m.Step());
        while (queue.TryDequeue(out var s) && events++ < cutoff)
        {
            m.Complete(s, s.Node == "n2_3" ? OperationResult.Failed("x") : OperationResult.Success);
            foreach (var next in m.Step())
            {
                queue.Enqueue(next);
            }
        }

        var serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        var saved = serializer.Serialize(m.State.ToSnapshot(m.Submitted));
        var restored = DeploymentState.Restore((DeploymentSnapshot)serializer.Deserialize(saved.Manifest, saved.Payload));

        Assert.Equal(JsonSerializer.Serialize(m.State.ToView(1)), JsonSerializer.Serialize(restored.ToView(1)));
        Assert.Equal(Describe(m.State.Decide(m.Now, 3)), Describe(restored.Decide(m.Now, 3)));
    }

    [Fact]
    public void Snapshot_DuringUndeployAndRollback_RestoresTheSameState()
    {
        var m = new Machine(Plan(
            Node("a", ops: [Op("create", revert: Op("delete"))], teardown: [Op("delete")]),
            Node("b", ["a"], ops: [Op("create", revert: Op("delete"))], teardown: [Op("delete")]),
            Node("c", ["b"])), options: new SubmitOptions(FailureAction.Rollback));
        var queue = new Queue<TaskStarted>(m.Step());
        var serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        while (queue.TryDequeue(out var s))
        {
            m.Complete(s, s.Node == "c" ? OperationResult.Failed("c") : OperationResult.Success);
            foreach (var next in m.Step())
            {
                queue.Enqueue(next);
            }

            var saved = serializer.Serialize(m.State.ToSnapshot(m.Submitted));
            var restored = DeploymentState.Restore((DeploymentSnapshot)serializer.Deserialize(saved.Manifest, saved.Payload));
            Assert.Equal(JsonSerializer.Serialize(m.State.ToView(1)), JsonSerializer.Serialize(restored.ToView(1)));
        }

        Assert.Equal(DeploymentStatus.RolledBack, m.State.Status);
    }

    [Fact]
    public void Events_RoundTripThroughTheSerializerUnderStableManifests()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create", retry: new RetryPolicy(2, TimeSpan.FromSeconds(1)))])));
        m.RunAll(s => s.Attempt == 1 ? OperationResult.Failed("x", 2) : OperationResult.Succeeded(new Dictionary<string, string> { ["k"] = "v" }));
        m.Now = m.Now.AddSeconds(1);
        m.RunAll();
        var serializer = new EventSerializer(DeploymentEventTypes.Register(new EventTypeRegistry()));
        var replayed = DeploymentState.Create((DeploymentSubmitted)Roundtrip(m.Journal[0]));
        foreach (var e in m.Journal.Skip(1))
        {
            var back = Roundtrip(e);
            Assert.Equal(e.GetType(), back.GetType());
            replayed.Apply(back);
        }

        Assert.Equal(DeploymentStatus.Succeeded, replayed.Status);
        Assert.Equal(JsonSerializer.Serialize(m.State.ToView(1)), JsonSerializer.Serialize(replayed.ToView(1)));
        Assert.Contains(m.Journal, e => e is TaskAttemptFailed);

        DeploymentEvent Roundtrip(DeploymentEvent e)
        {
            var s = serializer.Serialize(e);
            Assert.StartsWith("engine.", s.Manifest, StringComparison.Ordinal);
            return (DeploymentEvent)serializer.Deserialize(s.Manifest, s.Payload);
        }
    }

    [Fact]
    public void LayeredGraph_RunsEveryOperationOnceInDependencyOrder()
    {
        var plan = Layered(10, 50, 3);
        var m = new Machine(plan, maxConcurrent: 64);
        var order = m.RunAll();
        Assert.Equal(500, order.Count);
        Assert.Equal(500, order.Distinct().Count());
        var position = order.Select((o, i) => (o.Split('/')[0], i)).ToDictionary(x => x.Item1, x => x.i);
        foreach (var node in plan.Nodes)
        {
            Assert.All(node.DependsOn, d => Assert.True(position[d] < position[node.Name]));
        }

        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
    }

    [Fact]
    public void History_DescribesEveryEvent()
    {
        var m = new Machine(Plan(Node("a")));
        m.RunAll(_ => OperationResult.Succeeded(new Dictionary<string, string> { ["ip"] = "1.2.3.4" }));
        var history = m.Journal.Select((e, i) => DeploymentHistory.Describe(i + 1, e)).ToList();
        Assert.Equal(["deployment-submitted", "task-started", "task-succeeded", "deployment-succeeded"], history.Select(h => h.Kind));
        Assert.Contains("ip=1.2.3.4", history[2].Message, StringComparison.Ordinal);
    }

    private static string Describe(Decision d) => string.Join(";", d.Events.Select(e => e.ToString())) + "|" + d.WakeAt;
}
