using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Topology;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Which node templates share a host (TOSCA 1.3 7.2.3.1): each node of a hosting tree with more than one node gets the name of
/// the tree's root, the plan's <see cref="Engine.Plans.PlanNode.ExclusiveGroup"/>, so that their operations run one at a time.
/// </summary>
internal static class HostGroups
{
    public static Dictionary<string, string> Of(TopologyModel topology)
    {
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in topology.NodeTemplates.Values)
        {
            if (FunctionEvaluator.HostOf(node) is not null)
            {
                roots[node.Name] = RootOf(node).Name;
            }
        }

        // A host that hosts something is in its own group; one that hosts nothing and is hosted nowhere is in none.
        foreach (var root in roots.Values.Distinct(StringComparer.Ordinal).ToList())
        {
            roots.TryAdd(root, root);
        }

        return roots;
    }

    private static NodeTemplate RootOf(NodeTemplate node)
    {
        // A hosting cycle is an error of its own (TOS601); the walk stops where it would repeat.
        var seen = new HashSet<NodeTemplate> { node };
        var current = node;
        while (FunctionEvaluator.HostOf(current) is { } host && seen.Add(host))
        {
            current = host;
        }

        return current;
    }
}
