namespace Orchestra.Engine.Deployments;

/// <summary>Names one task of a deployment: an operation of a node in a phase.</summary>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation's name (for a revert: the deploy operation it reverts).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
public readonly record struct TaskRef(string Node, string Operation, TaskPhase Phase)
{
    /// <inheritdoc/>
    public override string ToString() => Phase == TaskPhase.Deploy ? $"{Node}/{Operation}" : $"{Node}/{Operation} ({Phase.ToString().ToLowerInvariant()})";
}

/// <summary>What <see cref="DeploymentState.Decide"/> says to do next.</summary>
/// <param name="Events">Events to journal (in one atomic write) and then apply, in order; a <see cref="TaskStarted"/> among them means: run that attempt once it is durable.</param>
/// <param name="WakeAt">When to decide again even if nothing happens (the earliest retry time), or <see langword="null"/>.</param>
public sealed record Decision(IReadOnlyList<DeploymentEvent> Events, DateTimeOffset? WakeAt)
{
    /// <summary>Nothing to do.</summary>
    public static Decision None { get; } = new([], null);
}
