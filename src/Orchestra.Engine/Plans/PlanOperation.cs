namespace Orchestra.Engine.Plans;

/// <summary>One step of a node's lifecycle: what to run, with which inputs, and how to retry and revert it.</summary>
/// <param name="Name">
/// The operation's name, unique within its node, e.g. <c>Standard.create</c> or
/// <c>Configure.pre_configure_source@db</c> for a relationship operation towards node <c>db</c>.
/// </param>
/// <param name="Implementation">
/// What runs: a file path relative to <see cref="DeploymentPlan.BaseDirectory"/> (<c>.sh</c> runs with
/// bash, <c>.py</c> with python3, anything else is executed directly) or a built-in such as
/// <c>orchestra:noop</c>; <see langword="null"/> means the step has nothing to run and succeeds at once.
/// </param>
/// <param name="Inputs">Inputs passed to the implementation as environment variables, by name.</param>
/// <param name="Timeout">How long one attempt may run before it is killed; <see langword="null"/> means the engine default.</param>
/// <param name="Retry">How failed attempts are retried; <see langword="null"/> means one attempt only.</param>
/// <param name="Revert">What to run to undo this operation when the deployment rolls back, if anything.</param>
/// <param name="After">Operation-level edges: operations of other nodes that must have succeeded before this one starts.</param>
/// <param name="Dependencies">Extra files the implementation needs (TOSCA <c>dependencies</c>), relative to the base directory.</param>
/// <param name="Description">A human-readable description, for display.</param>
/// <param name="Host">
/// The address of the machine the implementation acts on, for executors that reach it themselves (a playbook runs against it);
/// <see langword="null"/> (and left out of the journaled plan) for the orchestrator's own machine. For TOSCA, the
/// <c>public_address</c> of the Compute node the operation's node is hosted on.
/// </param>
public sealed record PlanOperation(
    string Name,
    string? Implementation,
    IReadOnlyDictionary<string, PlanValue> Inputs,
    TimeSpan? Timeout = null,
    RetryPolicy? Retry = null,
    PlanOperation? Revert = null,
    IReadOnlyList<OperationId>? After = null,
    IReadOnlyList<string>? Dependencies = null,
    string? Description = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    PlanValue? Host = null);

/// <summary>Names one operation of one node.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Operation">The operation's name within the node.</param>
public readonly record struct OperationId(string Node, string Operation)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Node}/{Operation}";
}
