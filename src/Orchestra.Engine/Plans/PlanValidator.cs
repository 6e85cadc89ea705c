using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Plans;

/// <summary>
/// Checks that a plan can run: names are unique, every edge and reference (nested ones included) points at something, no value
/// nests deeper than <see cref="PlanValue.MaxDepth"/>, every operation input has a name <see cref="ScriptEnvironment.IsAllowedInputName"/>
/// allows, the graph has no cycle and, given a limit, the plan is no larger than the journal is meant to hold in one event.
/// </summary>
public static class PlanValidator
{
    /// <summary>
    /// Everything <see cref="Validate(DeploymentPlan)"/> finds, and whether the plan, as the JSON it is journaled as, is larger than
    /// <paramref name="maxBytes"/> (a <see cref="PlanErrorKind.TooLarge"/> error naming the node that brings it past the limit).
    /// </summary>
    /// <param name="plan">The plan to check.</param>
    /// <param name="maxBytes">The most UTF-8 bytes its JSON may take (<see cref="EngineOptions.MaxPlanBytes"/> for a submission).</param>
    /// <returns>Every problem found; empty when the plan can run.</returns>
    /// <remarks>Measuring stops at the limit, so a huge plan costs no more than a plan of the limit's size.</remarks>
    public static IReadOnlyList<PlanError> Validate(DeploymentPlan plan, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var errors = new List<PlanError>(Validate(plan));
        if (PlanSize.Measure(plan, maxBytes) is null)
        {
            // The node that brings the running total past the limit; measuring stops there, so the work stays bounded by the limit.
            PlanNode? crossing = null;
            long total = 0;
            foreach (var node in plan.Nodes)
            {
                total += PlanSize.Measure(node, maxBytes - total) ?? maxBytes + 1;
                if (total > maxBytes)
                {
                    crossing = node;
                    break;
                }
            }

            errors.Add(new PlanError(
                $"the plan takes more than the limit of {maxBytes} bytes of JSON in the journal (EngineOptions.MaxPlanBytes)"
                + (crossing is null ? string.Empty : $"; node '{crossing.Name}' brings it past the limit"),
                crossing?.Name, Kind: PlanErrorKind.TooLarge));
        }

        return errors;
    }

    /// <summary>How many UTF-8 bytes <paramref name="plan"/> takes as the JSON it is journaled as (in its deployment's first event).</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The size in bytes.</returns>
    public static long SizeOf(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return PlanSize.Measure(plan, long.MaxValue)!.Value;
    }

    /// <summary>How many UTF-8 bytes one node takes inside its plan's JSON (for compilers that bound a plan while they build it).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The size in bytes.</returns>
    public static long SizeOf(PlanNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return PlanSize.Measure(node, long.MaxValue)!.Value;
    }

    /// <summary>Finds everything that would stop <paramref name="plan"/> from running.</summary>
    /// <param name="plan">The plan to check.</param>
    /// <returns>Every problem found, in a stable order; empty when the plan can run.</returns>
    public static IReadOnlyList<PlanError> Validate(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanError>();
        var nodes = new Dictionary<string, PlanNode>(StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            if (!nodes.TryAdd(node.Name, node))
            {
                errors.Add(new PlanError($"node '{node.Name}' is defined more than once", node.Name));
            }
        }

        foreach (var node in plan.Nodes)
        {
            CheckNode(node, nodes, errors);
        }

        foreach (var output in plan.Outputs)
        {
            CheckValue(output.Value, nodes, errors, $"output '{output.Name}'", null, null);
        }

        if (FindCycle(plan) is { } cycle)
        {
            errors.Add(new PlanError($"dependency cycle: {string.Join(" -> ", cycle)}", cycle[0], Kind: PlanErrorKind.Cycle));
        }

        return errors;
    }

    /// <summary>Orders the nodes so that every node comes after the nodes it depends on.</summary>
    /// <param name="plan">A plan without cycles.</param>
    /// <returns>The node names in dependency order; ties keep the plan's order.</returns>
    /// <exception cref="InvalidOperationException">The plan has a dependency cycle.</exception>
    public static IReadOnlyList<string> TopologicalOrder(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var edges = Edges(plan);
        var indegree = plan.Nodes.ToDictionary(n => n.Name, _ => 0, StringComparer.Ordinal);
        foreach (var (_, successors) in edges)
        {
            foreach (var s in successors)
            {
                indegree[s]++;
            }
        }

        var ready = new Queue<string>(plan.Nodes.Where(n => indegree[n.Name] == 0).Select(n => n.Name));
        var order = new List<string>(plan.Nodes.Count);
        while (ready.TryDequeue(out var name))
        {
            order.Add(name);
            foreach (var s in edges[name])
            {
                if (--indegree[s] == 0)
                {
                    ready.Enqueue(s);
                }
            }
        }

        return order.Count == indegree.Count
            ? order
            : throw new InvalidOperationException($"The plan has a dependency cycle: {string.Join(" -> ", FindCycle(plan) ?? [])}");
    }

    /// <summary>Finds one dependency cycle among the nodes, if there is any.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The cycle as node names, the first repeated at the end (<c>a -> b -> a</c>), or <see langword="null"/>.</returns>
    public static IReadOnlyList<string>? FindCycle(DeploymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var edges = Edges(plan);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the stack, 2 = done
        var stack = new List<string>();
        foreach (var node in plan.Nodes)
        {
            if (Visit(node.Name) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        // Iterative DFS so that very deep chains cannot overflow the stack.
        List<string>? Visit(string root)
        {
            if (state.ContainsKey(root))
            {
                return null;
            }

            var work = new Stack<(string Name, IEnumerator<string> Next)>();
            state[root] = 1;
            stack.Add(root);
            work.Push((root, edges[root].GetEnumerator()));
            while (work.Count > 0)
            {
                var (name, next) = work.Peek();
                if (next.MoveNext())
                {
                    var successor = next.Current;
                    if (!state.TryGetValue(successor, out var s))
                    {
                        state[successor] = 1;
                        stack.Add(successor);
                        work.Push((successor, edges[successor].GetEnumerator()));
                    }
                    else if (s == 1)
                    {
                        var start = stack.IndexOf(successor);
                        return [.. stack.Skip(start), successor];
                    }
                }
                else
                {
                    state[name] = 2;
                    stack.RemoveAt(stack.Count - 1);
                    work.Pop();
                }
            }

            return null;
        }
    }

    // Edges point from a node to the nodes that wait for it: node-level dependencies and
    // operation-level edges alike (an operation of B waiting on A makes B wait on A).
    private static Dictionary<string, List<string>> Edges(DeploymentPlan plan)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            edges.TryAdd(node.Name, []);
        }

        foreach (var node in plan.Nodes)
        {
            var predecessors = node.DependsOn
                .Concat(node.Operations.SelectMany(o => o.After ?? []).Select(a => a.Node))
                .Where(p => edges.ContainsKey(p) && !string.Equals(p, node.Name, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal);
            foreach (var p in predecessors)
            {
                edges[p].Add(node.Name);
            }
        }

        return edges;
    }

    private static void CheckNode(PlanNode node, Dictionary<string, PlanNode> nodes, List<PlanError> errors)
    {
        foreach (var (name, value) in node.Attributes ?? new Dictionary<string, PlanValue>())
        {
            if (value.Depth > PlanValue.MaxDepth)
            {
                errors.Add(new PlanError($"attribute '{name}' of node '{node.Name}' nests {value.Depth} levels deep; a plan value may nest at most {PlanValue.MaxDepth}", node.Name));
            }
        }

        foreach (var dependency in node.DependsOn)
        {
            if (string.Equals(dependency, node.Name, StringComparison.Ordinal))
            {
                errors.Add(new PlanError($"node '{node.Name}' depends on itself", node.Name));
            }
            else if (!nodes.ContainsKey(dependency))
            {
                errors.Add(new PlanError($"node '{node.Name}' depends on unknown node '{dependency}'", node.Name));
            }
        }

        foreach (var (phase, operations) in new[] { ("operation", node.Operations), ("teardown operation", node.Teardown) })
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                if (!names.Add(operation.Name))
                {
                    errors.Add(new PlanError($"{phase} '{operation.Name}' appears more than once in node '{node.Name}'", node.Name, operation.Name));
                }

                CheckOperation(node, operation, nodes, errors);
            }
        }
    }

    private static void CheckOperation(PlanNode node, PlanOperation operation, Dictionary<string, PlanNode> nodes, List<PlanError> errors)
    {
        if (operation.Retry is { MaxAttempts: < 1 })
        {
            errors.Add(new PlanError($"operation '{operation.Name}' of node '{node.Name}' must allow at least one attempt", node.Name, operation.Name));
        }

        if (operation.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add(new PlanError($"operation '{operation.Name}' of node '{node.Name}' has a non-positive timeout", node.Name, operation.Name));
        }

        foreach (var after in operation.After ?? [])
        {
            if (!nodes.TryGetValue(after.Node, out var target) || !target.Operations.Any(o => string.Equals(o.Name, after.Operation, StringComparison.Ordinal)))
            {
                errors.Add(new PlanError($"operation '{operation.Name}' of node '{node.Name}' waits for unknown operation '{after}'", node.Name, operation.Name));
            }
        }

        foreach (var (variable, inputs) in ScriptEnvironment.Collisions(operation.Inputs.Keys))
        {
            errors.Add(new PlanError($"operation '{operation.Name}' of node '{node.Name}': {ScriptEnvironment.DescribeCollision(variable, inputs)}", node.Name, operation.Name));
        }

        foreach (var (variable, inputs) in ScriptEnvironment.Collisions(operation.Revert?.Inputs.Keys ?? Enumerable.Empty<string>()))
        {
            errors.Add(new PlanError($"the revert of operation '{operation.Name}' of node '{node.Name}': {ScriptEnvironment.DescribeCollision(variable, inputs)}", node.Name, operation.Name));
        }

        foreach (var (input, value) in operation.Inputs)
        {
            CheckInputName(input, errors, $"input '{input}' of operation '{operation.Name}' of node '{node.Name}'", node.Name, operation.Name);
            CheckValue(value, nodes, errors, $"input '{input}' of operation '{operation.Name}' of node '{node.Name}'", node.Name, operation.Name);
        }

        foreach (var (input, value) in operation.Revert?.Inputs ?? new Dictionary<string, PlanValue>())
        {
            CheckInputName(input, errors, $"input '{input}' of the revert of operation '{operation.Name}' of node '{node.Name}'", node.Name, operation.Name);
            CheckValue(value, nodes, errors, $"input '{input}' of the revert of operation '{operation.Name}' of node '{node.Name}'", node.Name, operation.Name);
        }

        if (operation.Host is { } host)
        {
            CheckValue(host, nodes, errors, $"the host of operation '{operation.Name}' of node '{node.Name}'", node.Name, operation.Name);
        }
    }

    // Inputs become environment variables of the operation's process: the executor checks again, this refuses the plan up front.
    private static void CheckInputName(string input, List<PlanError> errors, string where, string node, string operation)
    {
        if (!ScriptEnvironment.IsAllowedInputName(input, out var reason))
        {
            errors.Add(new PlanError($"{where} cannot be an environment variable of its script: {reason}", node, operation));
        }
    }

    private static void CheckValue(PlanValue value, Dictionary<string, PlanNode> nodes, List<PlanError> errors, string where, string? node, string? operation)
    {
        if (value.Depth > PlanValue.MaxDepth)
        {
            errors.Add(new PlanError($"{where} nests {value.Depth} levels deep; a plan value may nest at most {PlanValue.MaxDepth}", node, operation));
            return;
        }

        foreach (var reference in value.References())
        {
            CheckReference(reference, nodes, errors, where, node, operation);
        }
    }

    private static void CheckReference(OutputReference reference, Dictionary<string, PlanNode> nodes, List<PlanError> errors, string where, string? node, string? operation)
    {
        if (!nodes.TryGetValue(reference.Node, out var target))
        {
            errors.Add(new PlanError($"{where} refers to unknown node '{reference.Node}'", node, operation));
        }
        else if (reference.Operation is { } op && !target.Operations.Concat(target.Teardown).Any(o => string.Equals(o.Name, op, StringComparison.Ordinal)))
        {
            errors.Add(new PlanError($"{where} refers to unknown operation '{op}' of node '{reference.Node}'", node, operation));
        }
    }
}

/// <summary>A reason a plan cannot run.</summary>
/// <param name="Message">What is wrong, naming the node and operation.</param>
/// <param name="Node">The node concerned, if any (for <see cref="PlanErrorKind.TooLarge"/>: the one that brings the plan past the limit).</param>
/// <param name="Operation">The operation concerned, if any.</param>
/// <param name="Kind">What sort of problem it is, for callers that report kinds differently.</param>
public sealed record PlanError(string Message, string? Node = null, string? Operation = null, PlanErrorKind Kind = PlanErrorKind.Invalid)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>The sorts of <see cref="PlanError"/>.</summary>
public enum PlanErrorKind
{
    /// <summary>The plan is malformed: a duplicate name, an unknown reference, a value nested too deeply, a bad policy.</summary>
    Invalid,

    /// <summary>The nodes depend on each other in a cycle.</summary>
    Cycle,

    /// <summary>The plan is larger than the limit it was checked against.</summary>
    TooLarge,
}
