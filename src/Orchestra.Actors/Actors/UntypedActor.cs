namespace Orchestra.Actors;

/// <summary>An actor with a single method for every message.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Processes one message; call <see cref="ActorBase.Unhandled"/> for messages it does not understand.</summary>
    /// <param name="message">The message.</param>
    protected abstract void OnReceive(object message);

    private protected sealed override ValueTask OnReceiveCore(object message)
    {
        OnReceive(message);
        return default;
    }
}
