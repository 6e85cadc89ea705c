namespace Orchestra.Actors;

/// <summary>Puts messages aside to process them later (e.g. while an actor is not ready for them).</summary>
/// <remarks>
/// The stash survives a restart: its messages are put back at the front of the mailbox. When the actor stops,
/// stashed messages become dead letters.
/// </remarks>
public interface IStash
{
    /// <summary>Gets the number of stashed messages.</summary>
    int Count { get; }

    /// <summary>Stashes the message being processed (with its sender).</summary>
    /// <exception cref="InvalidOperationException">The current message is already stashed, or there is no current message.</exception>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts every stashed message back at the front of the mailbox, in their original order.</summary>
    void UnstashAll();
}
