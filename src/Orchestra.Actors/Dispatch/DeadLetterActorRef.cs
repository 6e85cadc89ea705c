namespace Orchestra.Actors.Dispatch;

/// <summary>The system's dead-letter office: what is sent here is counted, logged (rate-limited) and published.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : InternalActorRef(system, path)
{
    public override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.DeadLetterOffice.Publish(message, sender ?? ActorCell.Current?.Self, this);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }
}
