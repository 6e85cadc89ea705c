using Orchestra.Engine.Plans;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>The host a playbook runs against, as xOpera finds it.</summary>
internal sealed partial class PlanCompiler
{
    private const string ComputeType = "tosca.nodes.Compute";

    /// <summary>
    /// The address of the machine an operation of <paramref name="node"/> acts on: the <c>public_address</c> of the first Compute node
    /// down its HostedOn chain (not the node itself: a Compute's own operations, such as creating it, run on the orchestrator's
    /// machine), as a reference the engine evaluates when the operation starts; <see langword="null"/> when there is none, which
    /// means the orchestrator's own machine.
    /// </summary>
    private static OutputReference? HostAddress(NodeTemplate node)
    {
        var seen = new HashSet<NodeTemplate>();
        for (var host = FunctionEvaluator.HostOf(node); host is not null && seen.Add(host); host = FunctionEvaluator.HostOf(host))
        {
            if (host.Type?.IsDerivedFrom(ComputeType) == true)
            {
                return new OutputReference(host.Name, null, "public_address");
            }
        }

        return null;
    }
}
