namespace Orchestra.Actors.Dispatch;

/// <content>Death watch: who watches this actor, whom it watches, and the notifications when one stops.</content>
internal sealed partial class ActorCell
{
    private HashSet<InternalActorRef>? _watching;
    private HashSet<InternalActorRef>? _watchedBy;

    public IActorRef Watch(IActorRef actor)
    {
        var target = AsInternal(actor);
        if (!ReferenceEquals(target, _self) && (_watching ??= []).Add(target))
        {
            target.SendSystemMessage(new Watch(target, _self));
        }

        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        var target = AsInternal(actor);
        if (_watching is not null && _watching.Remove(target))
        {
            target.SendSystemMessage(new Unwatch(target, _self));
        }

        return actor;
    }

    private static InternalActorRef AsInternal(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor as InternalActorRef
            ?? throw new ArgumentException($"Only refs created by an ActorSystem can be watched, not {actor.GetType().Name}.", nameof(actor));
    }

    private void HandleWatch(Watch watch)
    {
        if (ReferenceEquals(watch.Watchee, _self) && !ReferenceEquals(watch.Watcher, _self))
        {
            (_watchedBy ??= []).Add(watch.Watcher);
        }
    }

    private void HandleDeathWatchNotification(InternalActorRef actor)
    {
        if (_watching is not null && _watching.Contains(actor))
        {
            // Through the user queue, so Terminated arrives after everything the dead actor sent us.
            Post(new WatchedTerminated(actor), null);
        }

        if (actor is LocalActorRef child && ReferenceEquals(child.Cell._parent, this))
        {
            HandleChildTerminated(child);
        }
    }

    private void NotifyWatchersAndParent()
    {
        var parent = _parent?._self;
        if (_watchedBy is not null)
        {
            foreach (var watcher in _watchedBy)
            {
                if (!ReferenceEquals(watcher, parent))
                {
                    watcher.SendSystemMessage(new DeathWatchNotification(_self));
                }
            }

            _watchedBy = null;
        }

        if (_watching is not null)
        {
            foreach (var watched in _watching)
            {
                watched.SendSystemMessage(new Unwatch(watched, _self));
            }

            _watching = null;
        }

        parent?.SendSystemMessage(new DeathWatchNotification(_self));
    }
}
