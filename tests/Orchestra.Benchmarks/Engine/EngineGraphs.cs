using Orchestra.Engine.Plans;

namespace Orchestra.Benchmarks.Engine;

/// <summary>The graph shapes of the engine benchmark (the same shapes as ../shared/bench's TaskFlow scripts).</summary>
internal static class EngineGraphs
{
    private static readonly Dictionary<string, PlanValue> NoInputs = [];

    /// <summary>
    /// <c>layered</c>: <paramref name="layers"/> layers of tasks/layers nodes, each depending on <paramref name="fanIn"/> nodes of the previous
    /// layer (node i of layer l depends on nodes i, i+1, ... i+fanIn-1 mod width of layer l-1); <c>chain</c>: t0 → t1 → ...;
    /// <c>wide</c>: independent nodes. One <c>orchestra:noop</c> operation per node.
    /// </summary>
    public static DeploymentPlan Create(string shape, int tasks, int layers = 10, int fanIn = 3, string implementation = "orchestra:noop")
    {
        var nodes = new List<PlanNode>(tasks);
        switch (shape)
        {
            case "chain":
                for (var i = 0; i < tasks; i++)
                {
                    nodes.Add(Node($"t{i}", i == 0 ? [] : [$"t{i - 1}"], implementation));
                }

                break;
            case "wide":
                for (var i = 0; i < tasks; i++)
                {
                    nodes.Add(Node($"t{i}", [], implementation));
                }

                break;
            case "layered":
                var width = tasks / layers;
                for (var l = 0; l < layers; l++)
                {
                    for (var i = 0; i < width; i++)
                    {
                        var deps = l == 0 ? [] : Enumerable.Range(0, Math.Min(fanIn, width)).Select(k => $"t{l - 1}_{(i + k) % width}").ToList();
                        nodes.Add(Node($"t{l}_{i}", deps, implementation));
                    }
                }

                break;
            default:
                throw new ArgumentException($"unknown shape '{shape}' (chain, wide, layered)", nameof(shape));
        }

        return new DeploymentPlan($"{shape}-{tasks}", nodes, []);
    }

    private static PlanNode Node(string name, IReadOnlyList<string> deps, string implementation) =>
        new(name, "bench", [new PlanOperation("create", implementation, NoInputs)], [], deps);
}
