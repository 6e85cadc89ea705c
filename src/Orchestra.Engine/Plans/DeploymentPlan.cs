namespace Orchestra.Engine.Plans;

/// <summary>
/// An executable deployment: a graph of nodes, each with an ordered list of operations, that the
/// engine runs with as much parallelism as the dependency edges allow.
/// </summary>
/// <remarks>
/// A plan is free of TOSCA: the TOSCA compiler and the C# flow API both produce one. It is
/// immutable and serializable with System.Text.Json (it is journaled when a deployment is
/// submitted, so recovery never needs the original template). Call <see cref="PlanValidator.Validate(DeploymentPlan)"/>
/// before running a plan built by hand.
/// </remarks>
/// <param name="Name">A display name for the plan (usually the template's file name or metadata name).</param>
/// <param name="Nodes">The nodes of the graph, in a stable order (the order of the source template).</param>
/// <param name="Outputs">Values reported when the deployment completes, resolved from node outputs.</param>
/// <param name="BaseDirectory">
/// The directory that relative implementation paths are resolved against and that executors use as
/// their working directory; <see langword="null"/> when the plan names no files.
/// </param>
/// <param name="FailureAction">What the deployment does when an operation finally fails, unless a node overrides it.</param>
public sealed record DeploymentPlan(
    string Name,
    IReadOnlyList<PlanNode> Nodes,
    IReadOnlyList<PlanOutput> Outputs,
    string? BaseDirectory = null,
    FailureAction FailureAction = FailureAction.Halt)
{
    /// <summary>Finds a node by name.</summary>
    /// <param name="name">The node's name.</param>
    /// <returns>The node, or <see langword="null"/> if the plan has none of that name.</returns>
    public PlanNode? FindNode(string name)
    {
        foreach (var node in Nodes)
        {
            if (string.Equals(node.Name, name, StringComparison.Ordinal))
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>What runs to revert a deploy operation: <c>Standard.delete</c> for <c>Standard.create</c>.</summary>
    /// <param name="node">The node's name.</param>
    /// <param name="operation">The deploy operation's name.</param>
    /// <returns>The revert operation's name, or <see langword="null"/> when it has none (or there is no such operation).</returns>
    public string? RevertNameOf(string node, string operation) =>
        FindNode(node)?.Operations.FirstOrDefault(o => string.Equals(o.Name, operation, StringComparison.Ordinal))?.Revert?.Name;

    /// <summary>The total number of deploy operations across all nodes.</summary>
    public int OperationCount => Nodes.Sum(static n => n.Operations.Count);
}
