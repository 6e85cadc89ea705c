namespace Orchestra.Actors;

/// <summary>What an actor knows about itself and its surroundings while it runs.</summary>
/// <remarks>Use it only from the actor's own message processing (including the continuations of its async handlers).</remarks>
public interface IActorContext
{
    /// <summary>Gets this actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>Gets the sender of the message being processed; the system's dead-letter ref when there is none.</summary>
    IActorRef Sender { get; }

    /// <summary>Gets the parent (the supervisor) of this actor.</summary>
    IActorRef Parent { get; }

    /// <summary>Gets the actor system.</summary>
    ActorSystem System { get; }

    /// <summary>Creates a child actor supervised by this actor.</summary>
    /// <param name="props">How to create it.</param>
    /// <param name="name">A name unique among this actor's children; generated when <see langword="null"/>.</param>
    /// <returns>The child's ref. The child starts asynchronously; messages sent meanwhile are queued.</returns>
    /// <exception cref="InvalidActorNameException">The name is taken or invalid.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Finds a live child by name.</summary>
    /// <param name="name">The child's name.</param>
    /// <returns>The child, or <see langword="null"/>.</returns>
    IActorRef? Child(string name);

    /// <summary>Gets the current children.</summary>
    /// <returns>A snapshot of the children.</returns>
    IReadOnlyList<IActorRef> GetChildren();

    /// <summary>Stops an actor (a child, or this actor itself) asynchronously: it finishes its current message, stops its children, then runs PostStop.</summary>
    /// <param name="actor">The actor to stop.</param>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="actor"/>: a <see cref="Terminated"/> message arrives when it stops (at once if it already has).</summary>
    /// <param name="actor">The actor to watch.</param>
    /// <returns><paramref name="actor"/>.</returns>
    IActorRef Watch(IActorRef actor);

    /// <summary>Stops watching <paramref name="actor"/>; no <see cref="Terminated"/> for it is delivered afterwards.</summary>
    /// <param name="actor">The watched actor.</param>
    /// <returns><paramref name="actor"/>.</returns>
    IActorRef Unwatch(IActorRef actor);
}
