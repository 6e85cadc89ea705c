using System.Collections.Concurrent;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class DeploymentsHostTests : EngineTestKit
{
    private readonly InMemoryPersistence _store = new();
    private readonly RecordingExecutor _executor = new();
    private readonly ConcurrentQueue<DeploymentNotification> _notifications = new();
    private readonly DeploymentsHost _host;

    public DeploymentsHostTests()
        : this(new EngineOptions { MaxConcurrentTasks = 3 })
    {
    }

    private DeploymentsHostTests(EngineOptions options)
        : base(manualTime: true)
    {
        options.TimeProvider = Clock!;
        _host = new DeploymentsHost(Sys, _store, options, new ExecutorRegistry(options).Add(_executor));
        _host.Subscribe(_notifications.Enqueue);
    }

    public override async Task DisposeAsync()
    {
        _executor.ReleaseAll();
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    private static PlanNode N(string name, string impl = "test:ok", IReadOnlyList<string>? deps = null, RetryPolicy? retry = null, PlanOperation? revert = null, IReadOnlyList<PlanOperation>? teardown = null, IReadOnlyDictionary<string, PlanValue>? inputs = null) =>
        Node(name, deps, ops: [Op("create", impl, retry: retry, revert: revert, inputs: inputs)], teardown: teardown);

    private Task<DeploymentView> Wait(string id) => _host.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(20));

    private Task Until(Func<bool> condition, string what) => AwaitConditionAsync(condition, TimeSpan.FromSeconds(20), message: what);

    [Fact]
    public async Task Submit_RunsTheGraphGatedOnDependencies_AndNotifies()
    {
        await _host.SubmitAsync("d1", Plan(N("a"), N("b", deps: ["a"]), N("c", deps: ["a"]), N("d", deps: ["b", "c"])));
        var view = await Wait("d1");

        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        var order = _executor.Order();
        Assert.Equal("a/create", order[0]);
        Assert.Equal("d/create", order[^1]);
        await Until(() => _notifications.Any(n => n.Kind == NotificationKind.StatusChanged && n.Status == DeploymentStatus.Succeeded), "succeeded notification");
        Assert.Equal(4, _notifications.Count(n => n.Kind == NotificationKind.TaskSucceeded));
        var history = await _host.GetHistoryAsync("d1");
        Assert.Equal("deployment-submitted", history[0].Kind);
        Assert.Equal("deployment-succeeded", history[^1].Kind);
    }

    [Fact]
    public async Task Submit_IsIdempotentPerId_AndRejectsADifferentPlan()
    {
        var plan = Plan(N("a"));
        await _host.SubmitAsync("same", plan);
        await _host.SubmitAsync("same", plan);
        await Wait("same");
        Assert.Single(_executor.Attempts);
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.SubmitAsync("same", Plan(N("b"))));
        await Assert.ThrowsAsync<PlanValidationException>(() => _host.SubmitAsync("bad", Plan(N("x", deps: ["nope"]))));
    }

    [Fact]
    public async Task IndependentBranches_RunInParallel_BoundedByTheLimit()
    {
        await _host.SubmitAsync("wide", Plan([.. Enumerable.Range(0, 8).Select(i => N($"n{i}", "test:gate"))]));
        await Until(() => _executor.Attempts.Count == 3, "three running");
        Assert.Equal(3, _executor.Peak);
        _executor.ReleaseAll();
        await Until(() => _executor.Attempts.Count >= 4, "next one starts");
        while ((await _host.GetAsync("wide"))!.Status != DeploymentStatus.Succeeded)
        {
            _executor.ReleaseAll();
            await Task.Delay(10);
        }

        Assert.Equal(3, _executor.Peak);
        Assert.Equal(8, _executor.Attempts.Count);
    }

    [Fact]
    public async Task Retries_WaitForTheBackoffOnTheClock()
    {
        await _host.SubmitAsync("r", Plan(N("a", "orchestra:fail", retry: new RetryPolicy(3, TimeSpan.FromSeconds(10)), inputs: new Dictionary<string, PlanValue> { ["times"] = PlanValue.Literal(2) })));
        await Until(() => _notifications.Count(n => n.Kind == NotificationKind.TaskAttemptFailed) == 1, "first failure");
        Clock!.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, _notifications.Count(n => n.Kind == NotificationKind.TaskStarted));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Until(() => _notifications.Count(n => n.Kind == NotificationKind.TaskAttemptFailed) == 2, "second failure");
        Clock.Advance(TimeSpan.FromSeconds(10));
        var view = await Wait("r");
        Assert.Equal(DeploymentStatus.Succeeded, view.Status);
        Assert.Equal(3, view.Nodes[0].Tasks[0].Attempt);
    }

    [Fact]
    public async Task Timeout_FailsTheAttemptWithAClearError()
    {
        var op = Op("create", "orchestra:sleep", inputs: new Dictionary<string, PlanValue> { ["seconds"] = PlanValue.Literal(3600) }, timeout: TimeSpan.FromSeconds(5));
        await _host.SubmitAsync("t", Plan(Node("a", ops: [op])));
        await Until(() => _notifications.Any(n => n.Kind == NotificationKind.TaskStarted), "started");

        // TaskStarted is published before the attempt arms its timeout timer, so one 5 s jump can land before the timer exists:
        // advance a second at a time (far less than the hour the sleep would take) until the deployment settles.
        var settled = Wait("t");
        for (var i = 0; i < 300 && !settled.IsCompleted; i++)
        {
            Clock!.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(settled, Task.Delay(20));
        }

        var view = await settled;
        Assert.Equal(DeploymentStatus.Halted, view.Status);
        Assert.Contains("timed out", view.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HaltThenRetry_RerunsOnlyTheFailedTask()
    {
        await _host.SubmitAsync("h", Plan(N("a"), N("b", "orchestra:fail", deps: ["a"], inputs: new Dictionary<string, PlanValue> { ["times"] = PlanValue.Literal(1) }), N("c", deps: ["b"])));
        var halted = await Wait("h");
        Assert.Equal(DeploymentStatus.Halted, halted.Status);
        Assert.Equal(NodeStatus.Failed, halted.Nodes[1].Status);
        Assert.Equal(NodeStatus.Waiting, halted.Nodes[2].Status);
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.PauseAsync("h"));

        await _host.RetryAsync("h");
        var done = await Wait("h");
        Assert.Equal(DeploymentStatus.Succeeded, done.Status);
        Assert.Equal(["a/create", "c/create"], _executor.Order());
        Assert.Equal(2, done.Nodes[1].Tasks[0].Attempt);
    }

    [Fact]
    public async Task Cancel_KillsRunningTasksAndStartsNothingNew()
    {
        await _host.SubmitAsync("c", Plan(N("a", "test:gate"), N("b", deps: ["a"])));
        await Until(() => _executor.Attempts.Count == 1, "a running");
        await _host.CancelAsync("c", "changed my mind");
        var view = await Wait("c");
        Assert.Equal(DeploymentStatus.Cancelled, view.Status);
        Assert.Equal(OperationStatus.Cancelled, view.Nodes[0].Tasks[0].Status);
        Assert.Equal(["a/create"], _executor.Order());
    }

    [Fact]
    public async Task PauseAndResume()
    {
        await _host.SubmitAsync("p", Plan(N("a", "test:gate"), N("b", deps: ["a"])));
        await Until(() => _executor.Attempts.Count == 1, "a running");
        Assert.Equal(DeploymentStatus.Pausing, (await _host.PauseAsync("p")).Status);
        _executor.Release("a");
        var paused = await Wait("p");
        Assert.Equal(DeploymentStatus.Paused, paused.Status);
        Assert.Single(_executor.Attempts);
        await _host.ResumeAsync("p");
        await Until(() => _executor.Attempts.Count == 2, "b after resume");
        Assert.Equal(DeploymentStatus.Succeeded, (await Wait("p")).Status);
    }

    [Fact]
    public async Task Rollback_RevertsInReverseCompletionOrder()
    {
        PlanOperation Revert(string n) => Op("delete", "test:ok");
        await _host.SubmitAsync("rb", Plan(N("a", revert: Revert("a")), N("b", deps: ["a"], revert: Revert("b")), N("c", "test:fail", deps: ["b"])),
            new SubmitOptions(FailureAction.Rollback));
        var view = await Wait("rb");
        Assert.Equal(DeploymentStatus.RolledBack, view.Status);
        // Each revert runs its own operation (delete) and names the one it reverts.
        Assert.Equal(["b/delete", "a/delete"], _executor.Order(TaskPhase.Revert));
        Assert.Equal(["create", "create"], _executor.Attempts.Where(a => a.Phase == TaskPhase.Revert).Select(a => a.Reverting));
    }

    [Fact]
    public async Task Undeploy_TearsDownInReverseDependencyOrder()
    {
        var teardown = new[] { Op("stop", "test:ok"), Op("delete", "test:ok") };
        await _host.SubmitAsync("u", Plan(N("db", teardown: teardown), N("app", deps: ["db"], teardown: teardown), N("web", deps: ["app"], teardown: teardown)));
        await Wait("u");
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.RetryAsync("u"));
        await _host.UndeployAsync("u");
        var view = await Wait("u");
        Assert.Equal(DeploymentStatus.Undeployed, view.Status);
        Assert.Equal(["web/stop", "web/delete", "app/stop", "app/delete", "db/stop", "db/delete"], _executor.Order(TaskPhase.Teardown));
    }

    [Fact]
    public async Task Outputs_FlowIntoLaterInputs()
    {
        var inputs = new Dictionary<string, PlanValue> { ["ENDPOINT"] = new ConcatValue([new OutputReference("server", null, "IP"), PlanValue.Literal(":80")]) };
        await _host.SubmitAsync("o", Plan(
            N("server", inputs: new Dictionary<string, PlanValue> { ["IP"] = PlanValue.Literal("10.1.2.3") }),
            N("client", deps: ["server"], inputs: inputs)));
        var view = await Wait("o");
        Assert.Equal("10.1.2.3:80", _executor.Attempts.Single(a => a.Node == "client").Inputs["ENDPOINT"]);
        Assert.Equal("10.1.2.3:80", view.Nodes[1].Attributes["ENDPOINT"]);
    }

    [Fact]
    public async Task UnknownDeployment_IsNotFound()
    {
        Assert.Null(await _host.GetAsync("ghost"));
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => _host.CancelAsync("ghost"));
    }

    [Fact]
    public async Task ASettledDeployment_IsPassivatedWhenUnasked_AndComesBackOnTheNextRequest()
    {
        var teardown = new[] { Op("delete", "test:ok") };
        await _host.SubmitAsync("p", Plan(N("a", teardown: teardown)));
        Assert.Equal(DeploymentStatus.Succeeded, (await Wait("p")).Status);
        Assert.True(_host.IsRunning("p"));

        // Requests keep it in memory (the second Get also flushes the actor's mailbox: a passivation would have come before it, and a
        // new incarnation would have announced its recovery)...
        Clock!.Advance(TimeSpan.FromMinutes(4));
        await _host.GetAsync("p");
        Clock.Advance(TimeSpan.FromMinutes(4));
        await _host.GetAsync("p");
        Assert.True(_host.IsRunning("p"));
        Assert.DoesNotContain(_notifications, n => n.DeploymentId == "p" && n.Kind == NotificationKind.Recovered);

        // ...until it has gone unasked for PassivateSettledAfter (5 minutes by default).
        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await Until(() => !_host.IsRunning("p"), "passivated");
        Assert.Equal(DeploymentStatus.Succeeded, (await _host.GetAsync("p"))!.Status);

        // A command brings it back from the journal: nothing already done runs again.
        await _host.UndeployAsync("p");
        Assert.Equal(DeploymentStatus.Undeployed, (await Wait("p")).Status);
        Assert.Equal(["a/create"], _executor.Order(TaskPhase.Deploy));
        Assert.Equal(["a/delete"], _executor.Order(TaskPhase.Teardown));
        Assert.Single(_notifications, n => n.DeploymentId == "p" && n.Kind == NotificationKind.Recovered);
    }
}
