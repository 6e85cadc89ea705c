using System.Globalization;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Application.Logs;

/// <summary>
/// Which attempts' output to show (<c>orchestra logs NAME [NODE[.OPERATION]] [--attempt N]</c>, <c>GET /api/deployments/{id}/logs</c>):
/// every attempt, one node's, one operation's, and of those one attempt number.
/// </summary>
/// <param name="Node">The node, or <see langword="null"/> for all.</param>
/// <param name="Operation">The operation (its full name, <c>Standard.create</c>, or the part after the last dot, <c>create</c>), or <see langword="null"/> for all.</param>
/// <param name="Attempt">The attempt number, or <see langword="null"/> for all.</param>
public sealed record LogSelection(string? Node = null, string? Operation = null, int? Attempt = null)
{
    /// <summary>Reads <c>NODE</c> or <c>NODE.OPERATION</c>; node names may hold dots themselves, so the longest node name of the plan that fits wins.</summary>
    /// <param name="target">What the user typed, or <see langword="null"/> for every node.</param>
    /// <param name="attempt">The attempt number, if one was asked for.</param>
    /// <param name="plan">The deployment's plan.</param>
    /// <returns>The selection (an unknown node is reported by <see cref="Apply"/>).</returns>
    public static LogSelection Parse(string? target, int? attempt, DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (string.IsNullOrEmpty(target))
        {
            return new LogSelection(null, null, attempt);
        }

        var node = plan.Nodes
            .Select(n => n.Name)
            .Where(name => target == name || target.StartsWith(name + ".", StringComparison.Ordinal))
            .OrderByDescending(name => name.Length)
            .FirstOrDefault();
        return node is null || node.Length == target.Length
            ? new LogSelection(node ?? target, null, attempt)
            : new LogSelection(node, target[(node.Length + 1)..], attempt);
    }

    /// <summary>Checks the node and operation against the plan and names the operation in full (<c>create</c> becomes <c>Standard.create</c>).</summary>
    /// <param name="deploymentId">The deployment, for messages.</param>
    /// <param name="plan">Its plan.</param>
    /// <returns>The same selection, its operation named in full.</returns>
    /// <exception cref="LogSelectionException">The node or operation does not exist, or the attempt number is below 1.</exception>
    public LogSelection Resolve(string deploymentId, DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (Attempt is < 1)
        {
            throw new LogSelectionException($"--attempt must be 1 or more, not {Attempt.Value.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Node is null)
        {
            return Operation is null ? this : throw new LogSelectionException("An operation can only be chosen together with its node.");
        }

        var node = plan.Nodes.FirstOrDefault(n => n.Name == Node)
            ?? throw new LogSelectionException($"Deployment '{deploymentId}' has no node '{Node}'; its nodes: {string.Join(", ", plan.Nodes.Select(n => n.Name))}.");
        return Operation is null ? this : this with { Operation = ResolveOperation(node) };
    }

    /// <summary>Whether an attempt is selected; call it on a <see cref="Resolve">resolved</see> selection.</summary>
    /// <param name="node">The attempt's node.</param>
    /// <param name="operation">Its operation's full name.</param>
    /// <param name="attempt">Its number.</param>
    /// <returns><see langword="true"/> if it is selected.</returns>
    public bool Includes(string node, string operation, int attempt) =>
        (Node is null || Node == node) && (Operation is null || Operation == operation) && (Attempt is null || Attempt == attempt);

    /// <summary>Picks the selected attempts, in the order they started.</summary>
    /// <param name="deploymentId">The deployment, for messages.</param>
    /// <param name="plan">Its plan: what nodes and operations exist.</param>
    /// <param name="attempts">Every attempt (<see cref="Engine.Hosting.IDeploymentsHost.GetLogsAsync"/>).</param>
    /// <returns>The selected attempts (possibly none, when nothing selected has run yet).</returns>
    /// <exception cref="LogSelectionException">The node, operation or attempt does not exist; the message names those that do.</exception>
    public IReadOnlyList<AttemptLog> Apply(string deploymentId, DeploymentPlan plan, IReadOnlyList<AttemptLog> attempts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(attempts);
        var resolved = Resolve(deploymentId, plan);
        var everyAttempt = resolved with { Attempt = null };
        var list = attempts.Where(a => everyAttempt.Includes(a.Node, a.Operation, a.Attempt)).ToList();
        var what = resolved.Node is null ? $"deployment '{deploymentId}'" : resolved.Operation is null ? $"node '{resolved.Node}'" : $"{resolved.Node} {resolved.Operation}";
        if (Attempt is { } number)
        {
            var picked = list.Where(a => a.Attempt == number).ToList();
            if (picked.Count == 0)
            {
                var made = list.Select(a => a.Attempt).Distinct().Order().Select(a => a.ToString(CultureInfo.InvariantCulture)).ToList();
                throw new LogSelectionException(made.Count == 0
                    ? $"There is no attempt {number.ToString(CultureInfo.InvariantCulture)} of {what}: nothing of it has run yet."
                    : $"There is no attempt {number.ToString(CultureInfo.InvariantCulture)} of {what}; its attempts: {string.Join(", ", made)}.");
            }

            list = picked;
        }

        return list;
    }

    private string ResolveOperation(PlanNode node)
    {
        var names = node.Operations.Concat(node.Teardown).Select(o => o.Name).Distinct(StringComparer.Ordinal).ToList();
        if (names.Contains(Operation!, StringComparer.Ordinal))
        {
            return Operation!;
        }

        var matches = names.Where(n => n.EndsWith("." + Operation, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new LogSelectionException($"Node '{node.Name}' has no operation '{Operation}'; its operations: {(names.Count == 0 ? "none" : string.Join(", ", names))}."),
            _ => throw new LogSelectionException($"Operation '{Operation}' of node '{node.Name}' is ambiguous: {string.Join(", ", matches)}; give its full name."),
        };
    }
}

/// <summary>Thrown when a <see cref="LogSelection"/> names a node, operation or attempt that does not exist; the message names what does.</summary>
public sealed class LogSelectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What does not exist, and what does.</param>
    public LogSelectionException(string message)
        : base(message)
    {
    }
}
