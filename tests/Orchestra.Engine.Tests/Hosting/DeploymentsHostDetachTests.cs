using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Hosting;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// A submission journaled without starting anything (<c>deploy --detach</c>), and a pause or cancel for a deployment that nobody drives:
/// decided right after recovery, before anything runs.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DeploymentsHostDetachTests : EngineTestKit
{
    private readonly InMemoryPersistence _store = new();
    private readonly RecordingExecutor _executor = new();
    private readonly DeploymentsHost _host;

    public DeploymentsHostDetachTests()
        : base(manualTime: true)
    {
        var options = new EngineOptions { TimeProvider = Clock! };
        _host = new DeploymentsHost(Sys, _store, options, new ExecutorRegistry(options).Add(_executor));
    }

    public override async Task DisposeAsync()
    {
        _executor.ReleaseAll();
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    private static DeploymentPlan Chain() => Plan(
        Node("a", null, ops: [Op("create", "test:ok")]),
        Node("b", ["a"], ops: [Op("create", "test:ok")]));

    private async Task<string[]> KindsAsync(string id) => [.. (await _host.GetHistoryAsync(id)).Select(h => h.Kind)];

    [Fact]
    public async Task SubmitWithoutStarting_JournalsOnlyTheSubmission_AndTheNextDriverRunsIt()
    {
        var submitted = await _host.SubmitWithoutStartingAsync("held", Chain());

        Assert.True(submitted.Created);
        Assert.Equal(DeploymentStatus.Pending, submitted.View.Status);
        Assert.Empty(_executor.Attempts);
        Assert.Equal(["deployment-submitted"], await KindsAsync("held"));

        Assert.Equal(["held"], await _host.RecoverAllAsync());
        Assert.Equal(DeploymentStatus.Succeeded, (await _host.WaitAsync("held").WaitAsync(TimeSpan.FromSeconds(20))).Status);
        Assert.Equal(2, _executor.Attempts.Count);
    }

    [Fact]
    public async Task Pause_OfAPendingDeploymentNobodyDrives_PausesItWithoutStartingAnything()
    {
        await _host.SubmitWithoutStartingAsync("held", Chain());

        var view = await _host.PauseAsync("held", "from another terminal");
        var settled = await _host.WaitAsync("held").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(DeploymentStatus.Paused, settled.Status);
        Assert.Contains(view.Status, new[] { DeploymentStatus.Pausing, DeploymentStatus.Paused });
        Assert.Empty(_executor.Attempts);
        Assert.Equal(["deployment-submitted", "deployment-pause-requested", "deployment-paused"], await KindsAsync("held"));
    }

    [Fact]
    public async Task Cancel_OfAPendingDeploymentNobodyDrives_CancelsItWithoutStartingAnything()
    {
        await _host.SubmitWithoutStartingAsync("held", Chain());

        await _host.CancelAsync("held", "not wanted");
        var settled = await _host.WaitAsync("held").WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(DeploymentStatus.Cancelled, settled.Status);
        Assert.Empty(_executor.Attempts);
        Assert.Equal(["deployment-submitted", "deployment-cancel-requested", "deployment-cancelled"], await KindsAsync("held"));
    }

    [Fact]
    public async Task SubmitWithoutStarting_OfAnExistingId_IsRejectedOrIdempotent_AndStartsNothing()
    {
        await _host.SubmitWithoutStartingAsync("held", Chain());

        var again = await _host.SubmitWithoutStartingAsync("held", Chain());

        Assert.False(again.Created);
        await Assert.ThrowsAsync<DeploymentCommandRejectedException>(() => _host.SubmitWithoutStartingAsync("held", Plan(Node("c", null, ops: [Op("create", "test:ok")]))));
        Assert.Empty(_executor.Attempts);
    }
}
