namespace Orchestra.Engine.Plans;

/// <summary>One node of a deployment graph: something to bring up, with its lifecycle.</summary>
/// <remarks>
/// The node's <see cref="Operations"/> run one after another, in order, once every node named in
/// <see cref="DependsOn"/> has completed all of its own operations (for TOSCA: a node's
/// <c>create</c> waits until every node it requires is started). <see cref="Teardown"/> runs on
/// undeploy, in reverse dependency order.
/// </remarks>
/// <param name="Name">The node's name, unique within the plan.</param>
/// <param name="Type">A descriptive type name (for display only, e.g. a TOSCA node type).</param>
/// <param name="Operations">The deploy operations, in the order they run.</param>
/// <param name="Teardown">The undeploy operations, in the order they run (for TOSCA: stop, remove_*, delete).</param>
/// <param name="DependsOn">Names of the nodes that must complete before this node starts.</param>
/// <param name="FailureAction">Overrides the plan's failure action for this node's operations, if set.</param>
/// <param name="Attributes">
/// Initial attribute values known at compile time (TOSCA attribute defaults and property values),
/// used when a run-time reference names an attribute no operation has produced yet.
/// </param>
/// <param name="ExclusiveGroup">
/// Nodes that share a value here never run operations at the same time: one of them runs at a time, in plan order
/// (for TOSCA: node templates hosted on the same host, section 7.2.3.1). <see langword="null"/>, the default and what plans
/// journaled before this field existed read as, puts the node in no group.
/// </param>
public sealed record PlanNode(
    string Name,
    string? Type,
    IReadOnlyList<PlanOperation> Operations,
    IReadOnlyList<PlanOperation> Teardown,
    IReadOnlyList<string> DependsOn,
    FailureAction? FailureAction = null,
    IReadOnlyDictionary<string, PlanValue>? Attributes = null,
    string? ExclusiveGroup = null);
