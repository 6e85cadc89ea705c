using Orchestra.Engine.Deployments;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary>A refused undeploy suggests only what works in that status.</summary>
[Trait("Category", "Unit")]
public sealed class UndeployRejectionTests
{
    [Fact]
    public void Undeploy_WhileCancelling_SaysWait_NotPause()
    {
        var m = new Machine(Plan(Node("a")));
        m.Step();
        m.Command(new DeploymentCancelRequested(m.Now, null));

        var why = m.State.Reject(new UndeployRequested(m.Now));

        Assert.Equal(DeploymentStatus.Cancelling, m.State.Status);
        Assert.Equal($"deployment '{m.State.DeploymentId}' cannot be undeployed while it is Cancelling: wait until it settles", why);
        Assert.NotNull(m.State.Reject(new DeploymentPauseRequested(m.Now, null)));
    }

    [Fact]
    public void Undeploy_WhileUndeploying_SaysItAlreadyIs()
    {
        var m = new Machine(Plan(Node("a", ops: [Op("create")], teardown: [Op("delete")])));
        m.RunAll();
        m.Command(new UndeployRequested(m.Now));
        m.Step();

        Assert.Equal(DeploymentStatus.Undeploying, m.State.Status);
        Assert.Equal($"deployment '{m.State.DeploymentId}' is already being undeployed", m.State.Reject(new UndeployRequested(m.Now)));
    }
}
