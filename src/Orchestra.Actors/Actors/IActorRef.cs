namespace Orchestra.Actors;

/// <summary>An immutable, thread-safe handle to an actor: the only way to talk to it.</summary>
/// <remarks>
/// Refs compare by identity: two refs are equal when they designate the same incarnation of an
/// actor. A ref to a stopped actor stays valid; whatever is sent to it becomes a <see cref="Events.DeadLetter"/>.
/// Asking (request/response) is offered by <see cref="ActorRefExtensions.Ask{T}(IActorRef, object, TimeSpan, CancellationToken)"/>.
/// </remarks>
public interface IActorRef
{
    /// <summary>Gets the hierarchical path of the actor (for logs and diagnostics).</summary>
    ActorPath Path { get; }

    /// <summary>Sends <paramref name="message"/> to the actor without waiting (fire and forget).</summary>
    /// <param name="message">The message; should be immutable.</param>
    /// <param name="sender">
    /// The ref that replies go to. When <see langword="null"/> and the call is made by an actor while it processes
    /// a message (synchronously), that actor is the sender; otherwise there is no sender and replies become dead letters.
    /// </param>
    /// <remarks>Never blocks and never throws for a stopped actor (the message becomes a dead letter).</remarks>
    void Tell(object message, IActorRef? sender = null);
}
