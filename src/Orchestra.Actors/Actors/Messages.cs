namespace Orchestra.Actors;

/// <summary>Delivered to a watcher when an actor it watches (with <see cref="IActorContext.Watch"/>) has stopped.</summary>
/// <param name="ActorRef">The stopped actor.</param>
/// <remarks>Delivered after every message the stopped actor sent to the watcher. An actor that does not handle it fails with a <see cref="DeathPactException"/>.</remarks>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>A user message that stops the receiving actor once the messages queued before it are processed.</summary>
public sealed class PoisonPill
{
    private PoisonPill()
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static PoisonPill Instance { get; } = new();
}

/// <summary>
/// A user message that makes the receiving actor fail with an <see cref="ActorKilledException"/> when it is processed
/// (after the messages queued before it), so that its supervisor decides what happens to it.
/// </summary>
/// <remarks>
/// Unlike <see cref="PoisonPill"/>, which stops the actor quietly, a kill is a failure: the default decider stops the
/// actor, but a supervisor may restart or resume it instead (all-for-one: with its siblings). The actor never sees the
/// message in its handlers; <c>PreRestart</c> gets it as the failing message.
/// </remarks>
public sealed class Kill
{
    private Kill()
    {
    }

    /// <summary>Gets the single instance.</summary>
    public static Kill Instance { get; } = new();
}

/// <summary>Conventional replies: the outcome of an operation, as a message.</summary>
public static class Status
{
    /// <summary>The operation succeeded.</summary>
    /// <param name="Value">An optional result.</param>
    public sealed record Success(object? Value);

    /// <summary>The operation failed. An <c>Ask</c> that receives this fails with <paramref name="Cause"/>.</summary>
    /// <param name="Cause">What went wrong.</param>
    public sealed record Failure(Exception Cause);
}
