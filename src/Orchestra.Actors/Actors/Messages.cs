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
