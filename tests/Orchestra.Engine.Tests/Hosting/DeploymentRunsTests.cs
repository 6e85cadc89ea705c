using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>A name used again: runs, the earlier ones readable, delete.</summary>
[Trait("Category", "Unit")]
public sealed class DeploymentRunsTests : EngineTestKit
{
    private readonly InMemoryPersistence _store = new();
    private readonly RecordingExecutor _executor = new();
    private readonly DeploymentsHost _host;

    public DeploymentRunsTests()
        : base(manualTime: true)
    {
        var options = new EngineOptions { TimeProvider = Clock!, LeasesEnabled = true, Owner = "host-1" };
        _host = new DeploymentsHost(Sys, _store, options, new ExecutorRegistry(options).Add(_executor));
    }

    public override async Task DisposeAsync()
    {
        _executor.ReleaseAll();
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    private static readonly PlanOperation[] Teardown = [Op("delete", "test:ok")];

    private static DeploymentPlan Web(string impl = "test:ok") => Plan(Node("web", ops: [Op("create", impl)], teardown: Teardown));

    private Task<DeploymentView> Wait(string id) => _host.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(20));

    private async Task<DeploymentView> DeployAndUndeployAsync(string id, DeploymentPlan plan)
    {
        await _host.SubmitAsync(id, plan);
        Assert.Equal(DeploymentStatus.Succeeded, (await Wait(id)).Status);
        await _host.UndeployAsync(id);
        return await Wait(id);
    }

    [Theory]
    [InlineData("web", 1, "deployment-web")]
    [InlineData("web", 2, "deployment-web~2")]
    [InlineData("a.b-c_d", 12, "deployment-a.b-c_d~12")]
    public void PersistenceId_RoundTrips(string name, int run, string persistenceId)
    {
        Assert.Equal(persistenceId, DeploymentRuns.PersistenceId(name, run));
        Assert.True(DeploymentRuns.TryParse(persistenceId, out var parsedName, out var parsedRun));
        Assert.Equal((name, run), (parsedName, parsedRun));
    }

    [Theory]
    [InlineData("deployment-")]
    [InlineData("deployment-web~1")]
    [InlineData("deployment-web~x")]
    [InlineData("deployment-~2")]
    [InlineData("node-web")]
    public void TryParse_NotARunPersistenceId_IsFalse(string persistenceId) =>
        Assert.False(DeploymentRuns.TryParse(persistenceId, out _, out _));

    [Fact]
    public void HasEnded_OnlyUndeployed_OrCancelledOrRolledBackWithNothingDeployed()
    {
        foreach (var status in Enum.GetValues<DeploymentStatus>())
        {
            foreach (var deployed in new[] { 0, 2 })
            {
                var view = new DeploymentView("d", "p", status, "", DeploymentPhase.Deploy, default, default, SubmitOptions.Default, [], new Dictionary<string, System.Text.Json.JsonElement>(), 1)
                {
                    DeployedNodes = deployed,
                };
                var expected = status == DeploymentStatus.Undeployed || (deployed == 0 && status is DeploymentStatus.Cancelled or DeploymentStatus.RolledBack);
                Assert.True(expected == DeploymentRuns.HasEnded(view), $"{status} with {deployed} deployed");
                if (!expected)
                {
                    // A pending run has run nothing: cancelled, it has ended, so undeploying it is not part of the way forward.
                    var way = status switch
                    {
                        DeploymentStatus.Undeploying => "wait until it is Undeployed",
                        DeploymentStatus.Pending => "cancel it, then deploy again",
                        _ => "undeploy it",
                    };
                    Assert.Contains(way, DeploymentRuns.WayForward(view), StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Submit_AfterUndeploy_StartsRun2_AndRun1StaysReadable()
    {
        var first = await DeployAndUndeployAsync("web", Web());
        Assert.Equal((1, DeploymentStatus.Undeployed, 0), (first.Run, first.Status, first.DeployedNodes));

        var second = await _host.SubmitNewAsync("web", Web());
        Assert.True(second.Created);
        Assert.Equal(2, second.View.Run);
        var settled = await Wait("web");
        Assert.Equal((2, DeploymentStatus.Succeeded, 1), (settled.Run, settled.Status, settled.DeployedNodes));

        Assert.Equal(DeploymentStatus.Undeployed, (await _host.GetRunAsync("web", 1))!.Status);
        Assert.Contains(await _host.GetRunHistoryAsync("web", 1), h => h.Kind == "deployment-undeployed");
        Assert.DoesNotContain(await _host.GetHistoryAsync("web"), h => h.Kind == "deployment-undeployed");
        Assert.Null(await _host.GetRunAsync("web", 3));
        var only = Assert.Single(await _host.ListAsync());
        Assert.Equal(("web", 2, DeploymentStatus.Succeeded), (only.DeploymentId, only.Run, only.Status));
        Assert.Equal(2, _executor.Attempts.Count(a => a.Operation == "create"));
        var keys = _executor.Attempts.Where(a => a.Operation == "create").Select(a => a.IdempotencyKey).ToArray();
        Assert.Equal(["web/web/create/deploy", "web~2/web/create/deploy"], keys);
        Assert.NotNull(await _store.Leases.GetAsync("deployment-web~2"));
    }

    [Fact]
    public async Task Submit_IdenticalConcurrently_AfterUndeploy_CreatesExactlyOneRun()
    {
        await DeployAndUndeployAsync("same", Web());

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _host.SubmitNewAsync("same", Web())));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(2, r.View.Run));
        await Wait("same");
        Assert.Equal(2, (await _host.GetAsync("same"))!.Run);
    }

    [Fact]
    public async Task Submit_DifferentPlanOnALiveRun_IsRefusedNamingUndeploy_AndTheSamePlanIsIdempotent()
    {
        await _host.SubmitAsync("live", Web());
        await Wait("live");

        var again = await _host.SubmitNewAsync("live", Web());
        var refused = await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.SubmitAsync("live", Plan(Node("other", ops: [Op("create", "test:ok")]))));

        Assert.False(again.Created);
        Assert.Equal(1, again.View.Run);
        Assert.Equal(DeploymentStatus.Succeeded, refused.Status);
        Assert.Contains("is Succeeded with 1 node deployed: undeploy it first", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not supported yet", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_AfterARollbackThatRevertedEverything_StartsTheNextRun()
    {
        var plan = Plan(Node("web", ops: [Op("create", "test:ok", revert: Op("undo", "test:ok")), Op("configure", "test:fail")], failureAction: FailureAction.Rollback));
        await _host.SubmitAsync("rb", plan);
        var rolledBack = await Wait("rb");
        Assert.Equal((DeploymentStatus.RolledBack, 0), (rolledBack.Status, rolledBack.DeployedNodes));

        var next = await _host.SubmitNewAsync("rb", Web());

        Assert.True(next.Created);
        Assert.Equal(2, next.View.Run);
    }

    [Fact]
    public async Task Delete_Undeployed_ErasesEveryRun_AndTheNameStartsAgainAtRun1()
    {
        await DeployAndUndeployAsync("gone", Web());
        await _host.SubmitAsync("gone", Web());
        await Wait("gone");
        await _host.UndeployAsync("gone");
        await Wait("gone");

        Assert.Equal(2, await _host.DeleteAsync("gone"));

        Assert.Null(await _host.GetAsync("gone"));
        Assert.Empty(await _host.ListAsync());
        Assert.Equal(0, await _store.Journal.ReadHighestSequenceNrAsync("deployment-gone~2"));
        Assert.Null(await _store.Leases.GetAsync("deployment-gone"));
        await Assert.ThrowsAsync<DeploymentNotFoundException>(() => _host.DeleteAsync("gone"));
        var fresh = await _host.SubmitNewAsync("gone", Web());
        Assert.Equal((true, 1), (fresh.Created, fresh.View.Run));
    }

    [Fact]
    public async Task Delete_ALiveDeployment_IsRefusedSayingWhatToDoFirst()
    {
        await _host.SubmitAsync("up", Web());
        await Wait("up");

        var refused = await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.DeleteAsync("up"));

        Assert.Equal("deployment 'up' cannot be deleted: it is Succeeded with 1 node deployed: undeploy it first, then delete it", refused.Message);
        Assert.Equal(DeploymentStatus.Succeeded, (await _host.GetAsync("up"))!.Status);
    }

    [Fact]
    public async Task Submit_DifferentPlanOntoAnInterruptedRun_IsRefusedFromTheStore_WithoutStartingIt()
    {
        var store = new InMemoryPersistence();
        var options = new EngineOptions { TimeProvider = Clock! };
        // Two processes on one store: each has its own actor system.
        await using (var firstSystem = EngineActorSystem.Create("first"))
        await using (var first = new DeploymentsHost(firstSystem, store, options, new ExecutorRegistry(options).Add(_executor)))
        {
            await first.SubmitAsync("held", Plan(Node("a", ops: [Op("create", "test:gate")])));
            await AwaitConditionAsync(() => _executor.Attempts.Count == 1, TimeSpan.FromSeconds(20));
        }

        await using var secondSystem = EngineActorSystem.Create("second");
        await using var second = new DeploymentsHost(secondSystem, store, options, new ExecutorRegistry(options).Add(_executor));
        var refused = await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => second.SubmitAsync("held", Web()));

        Assert.Contains("it is Running: cancel it (or wait until it settles), then undeploy it", refused.Message, StringComparison.Ordinal);
        Assert.False(second.IsRunning("held"));
        Assert.Single(_executor.Attempts);
    }
}
