namespace Orchestra.Actors.Dispatch;

/// <summary>The runtime's side of a ref: system messages and termination state.</summary>
internal abstract class InternalActorRef(ActorSystem system, ActorPath path) : IActorRef
{
    public ActorPath Path { get; } = path;

    public ActorSystem System { get; } = system;

    public abstract bool IsTerminated { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    public abstract void SendSystemMessage(SystemMessage message);

    public override string ToString() => Path.ToString();
}
