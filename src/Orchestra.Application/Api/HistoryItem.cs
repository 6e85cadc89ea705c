using Orchestra.Engine.Deployments;

namespace Orchestra.Application.Api;

/// <summary>One entry of <c>GET /api/deployments/{id}/history</c>: a journaled event, in words.</summary>
/// <param name="SequenceNr">Its sequence number in the deployment's journal.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">The event's kind, e.g. <c>task-succeeded</c>.</param>
/// <param name="Node">The node concerned, if any.</param>
/// <param name="Operation">The operation concerned, if any.</param>
/// <param name="Phase">The task phase, for task events.</param>
/// <param name="Attempt">The attempt, for task events.</param>
/// <param name="Message">What happened.</param>
public sealed record HistoryItem(
    long SequenceNr, DateTimeOffset At, string Kind, string? Node, string? Operation, TaskPhase? Phase, int? Attempt, string Message)
{
    /// <summary>Converts an engine history entry (leaving out the raw event).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The item.</returns>
    public static HistoryItem From(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.SequenceNr, entry.At, entry.Kind, entry.Node, entry.Operation, entry.Phase, entry.Attempt, entry.Message);
    }
}
