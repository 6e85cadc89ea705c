using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;
using static Orchestra.Engine.Tests.Deployments.PlanBuilder;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary><see cref="PlanNode.ExclusiveGroup"/>: nodes of one group run one operation at a time, others are not held back.</summary>
[Trait("Category", "Unit")]
public sealed class ExclusiveGroupTests
{
    private static PlanNode Grouped(string name, string? group, IReadOnlyList<PlanOperation>? teardown = null) =>
        Node(name, ops: [Op("create"), Op("start")], teardown: teardown) with { ExclusiveGroup = group };

    [Fact]
    public void Decide_StartsOneTaskPerExclusiveGroup_AndTheNextWhenItEnds()
    {
        var m = new Machine(Plan(Grouped("a", "host1"), Grouped("b", "host1"), Grouped("c", "host2"), Grouped("d", null)));

        var first = m.Step();
        Assert.Equal(["a/create", "c/create", "d/create"], first.Select(s => $"{s.Node}/{s.Operation}"));
        Assert.Contains("waiting for a/create", m.State.ToView(0).Nodes.Single(n => n.Name == "b").Tasks[0].Reason, StringComparison.Ordinal);

        m.Succeed(first[0]);
        Assert.Equal(["a/start"], m.Step().Select(s => $"{s.Node}/{s.Operation}"));
    }

    [Fact]
    public void RunAll_NeverOverlapsTwoNodesOfAGroup_InDeployOrTeardown()
    {
        var teardown = new[] { Op("stop"), Op("delete") };
        var m = new Machine(Plan(Grouped("a", "h", teardown), Grouped("b", "h", teardown), Grouped("c", "h", teardown)));
        var overlaps = 0;

        bool Overlap() => m.State.ToView(0).Nodes.Count(n => n.Tasks.Any(t => t.Status == OperationStatus.Running)) > 1;

        m.RunAll(_ => { overlaps += Overlap() ? 1 : 0; return OperationResult.Success; });
        Assert.Equal(DeploymentStatus.Succeeded, m.State.Status);
        m.Command(new UndeployRequested(m.Now));
        m.RunAll(_ => { overlaps += Overlap() ? 1 : 0; return OperationResult.Success; });

        Assert.Equal(DeploymentStatus.Undeployed, m.State.Status);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void PlanJournaledWithoutTheField_ReadsAsNoGroup()
    {
        var json = JsonSerializer.Serialize(Plan(Node("a")), EventSerializer.DefaultJsonOptions);
        var released = json.Replace(",\"exclusiveGroup\":null", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(json, released);

        var plan = JsonSerializer.Deserialize<DeploymentPlan>(released, EventSerializer.DefaultJsonOptions)!;

        Assert.Null(plan.Nodes[0].ExclusiveGroup);
    }
}
