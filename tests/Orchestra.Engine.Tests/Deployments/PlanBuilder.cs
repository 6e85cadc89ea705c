using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Tests.Deployments;

/// <summary>Small helpers to write plans in tests.</summary>
internal static class PlanBuilder
{
    public static readonly Dictionary<string, PlanValue> NoInputs = [];

    public static PlanOperation Op(string name, string? implementation = "orchestra:noop", RetryPolicy? retry = null, PlanOperation? revert = null,
        IReadOnlyDictionary<string, PlanValue>? inputs = null, IReadOnlyList<OperationId>? after = null, TimeSpan? timeout = null) =>
        new(name, implementation, inputs ?? NoInputs, timeout, retry, revert, after);

    public static PlanNode Node(string name, IReadOnlyList<string>? dependsOn = null, IReadOnlyList<PlanOperation>? ops = null,
        IReadOnlyList<PlanOperation>? teardown = null, FailureAction? failureAction = null, IReadOnlyDictionary<string, PlanValue>? attributes = null) =>
        new(name, "test", ops ?? [Op("create")], teardown ?? [], dependsOn ?? [], failureAction, attributes);

    public static DeploymentPlan Plan(params PlanNode[] nodes) => new("test", nodes, []);

    /// <summary>A layered graph: <paramref name="layers"/> layers of <paramref name="width"/> nodes, each depending on <paramref name="fanIn"/> nodes of the previous layer.</summary>
    public static DeploymentPlan Layered(int layers, int width, int fanIn, string implementation = "orchestra:noop")
    {
        var nodes = new List<PlanNode>(layers * width);
        for (var l = 0; l < layers; l++)
        {
            for (var i = 0; i < width; i++)
            {
                var deps = l == 0 ? [] : Enumerable.Range(0, Math.Min(fanIn, width)).Select(k => $"n{l - 1}_{(i + k) % width}").ToList();
                nodes.Add(new PlanNode($"n{l}_{i}", "test", [Op("create", implementation)], [], deps));
            }
        }

        return new DeploymentPlan($"layered-{layers}x{width}", nodes, []);
    }
}
