using System.Text.Json;
using Orchestra.Engine.Plans;
using Orchestra.Tosca.Diagnostics;
using Orchestra.Tosca.Functions;
using Orchestra.Tosca.Parsing;
using Orchestra.Tosca.Topology;
using Orchestra.Tosca.Types;
using Orchestra.Tosca.Validation;
using TopologyModel = Orchestra.Tosca.Topology.Topology;

namespace Orchestra.Tosca.Compilation;

/// <summary>
/// Applies <c>orchestra.policies.Retry</c> and <c>orchestra.policies.OnFailure</c>: to the node templates they
/// target, to the members of the groups they target, or, with no targets, to the whole plan.
/// </summary>
internal sealed class PolicyApplier(TopologyModel topology, TypeRegistry registry, FunctionEvaluator evaluator, DiagnosticBag diagnostics)
{
    public const string RetryType = "orchestra.policies.Retry";
    public const string OnFailureType = "orchestra.policies.OnFailure";
    public const string ConcurrentOnHostType = "orchestra.policies.ConcurrentOnHost";

    /// <summary>Whether an <c>orchestra.policies.ConcurrentOnHost</c> policy lets the node run beside others on its host.</summary>
    public bool ConcurrentOnHost(NodeTemplate node) => Policies(ConcurrentOnHostType).Any(p => Applies(p, node));

    public RetryPolicy? RetryFor(NodeTemplate node)
    {
        foreach (var policy in Policies(RetryType))
        {
            if (Applies(policy, node))
            {
                return ReadRetry(policy);
            }
        }

        return null;
    }

    public FailureAction? FailureActionFor(NodeTemplate node)
    {
        foreach (var policy in Policies(OnFailureType))
        {
            if (policy.Targets.Count > 0 && Applies(policy, node))
            {
                return ReadAction(policy);
            }
        }

        return null;
    }

    public FailureAction PlanFailureAction() =>
        Policies(OnFailureType).Where(p => p.Targets.Count == 0).Select(ReadAction).FirstOrDefault() ?? FailureAction.Halt;

    private IEnumerable<GroupOrPolicy> Policies(string type) => topology.Policies.Where(p => p.Type?.IsDerivedFrom(type) == true);

    private bool Applies(GroupOrPolicy policy, NodeTemplate node) =>
        policy.Targets.Count == 0 || policy.Targets.Any(t => t.Text == node.Name || (topology.Groups.TryGetValue(t.Text, out var group) && group.Targets.Any(m => m.Text == node.Name)));

    private JsonElement? Property(GroupOrPolicy policy, string name)
    {
        var value = policy.Properties?[name] ?? (policy.Type is { } t && registry.AllProperties(t).TryGetValue(name, out var d) ? d.Default : null);
        return value is null ? null : (evaluator.Evaluate(value, new EvaluationContext(null)) as LiteralValue)?.Value;
    }

    private RetryPolicy? ReadRetry(GroupOrPolicy policy)
    {
        var attempts = Property(policy, "max_attempts") is { ValueKind: JsonValueKind.Number } a && a.TryGetInt32(out var n) ? n : 3;
        var delay = Time(Property(policy, "delay")) ?? TimeSpan.FromSeconds(1);
        var backoff = Property(policy, "backoff") is { ValueKind: JsonValueKind.String } b && b.GetString() == "exponential" ? BackoffKind.Exponential : BackoffKind.Fixed;
        return new RetryPolicy(Math.Max(1, attempts), delay, backoff, Time(Property(policy, "max_delay")));
    }

    private static TimeSpan? Time(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } s && ScalarUnit.TryParse(s.GetString()!, "scalar-unit.time", out var unit)
            ? TimeSpan.FromSeconds(unit.BaseValue)
            : null;

    private FailureAction? ReadAction(GroupOrPolicy policy) =>
        Property(policy, "action") is { ValueKind: JsonValueKind.String } s ? (s.GetString() == "rollback" ? FailureAction.Rollback : FailureAction.Halt) : null;

    // Two policies of the same Orchestra type on one node would make the outcome depend on their order: an error.
    public void CheckConflicts()
    {
        foreach (var kind in new[] { RetryType, OnFailureType })
        {
            var owner = new Dictionary<string, GroupOrPolicy>(StringComparer.Ordinal);
            foreach (var policy in topology.Policies.Where(p => p.Type?.IsDerivedFrom(kind) == true))
            {
                var nodes = policy.Targets.Count == 0
                    ? ["*"]
                    : policy.Targets.SelectMany(t => topology.Groups.TryGetValue(t.Text, out var g) ? g.Targets.Select(m => m.Text) : [t.Text]);
                foreach (var node in nodes.Distinct())
                {
                    if (owner.TryGetValue(node, out var first))
                    {
                        diagnostics.Error(ErrorCodes.InvalidPolicy, policy.Location,
                            $"policy '{policy.Name}' and policy '{first.Name}' are both {kind} policies for {(node == "*" ? "the whole topology" : $"node template '{node}'")}; keep one");
                    }
                    else
                    {
                        owner[node] = policy;
                    }
                }
            }
        }
    }
}
