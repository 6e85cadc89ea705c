namespace Orchestra.Actors.Dispatch;

/// <summary>The ref of an actor of this process; all it does is enqueue into the actor's cell.</summary>
internal sealed class LocalActorRef : InternalActorRef
{
    public LocalActorRef(ActorSystem system, ActorPath path, Props props, ActorCell? parent)
        : base(system, path) => Cell = new ActorCell(system, this, props, parent);

    public ActorCell Cell { get; }

    public override bool IsTerminated => Cell.IsTerminated;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender ?? ActorCell.Current?.Self);
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.PostSystem(message);
}
