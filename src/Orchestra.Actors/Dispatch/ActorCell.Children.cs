namespace Orchestra.Actors.Dispatch;

/// <content>Children: creation with unique names, stop, and the bookkeeping of their termination.</content>
internal sealed partial class ActorCell
{
    private ChildrenContainer? _children;

    public IActorRef ActorOf(Props props, string? name = null) => Spawn(props, name);

    public LocalActorRef Spawn(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        var children = Children;
        name ??= children.NextName();
        ChildrenContainer.Validate(name);
        var child = new LocalActorRef(_system, Path.Child(name), props, this);
        children.Add(name, child, Path);
        return child;
    }

    public IActorRef? Child(string name) => _children?.Get(name);

    public IReadOnlyList<IActorRef> GetChildren() => _children?.Snapshot() ?? [];

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is InternalActorRef target)
        {
            target.SendSystemMessage(new Terminate());
        }
    }

    private ChildrenContainer Children
    {
        get
        {
            var children = Volatile.Read(ref _children);
            if (children is null)
            {
                Interlocked.CompareExchange(ref _children, new ChildrenContainer(), null);
                children = _children!;
            }

            return children;
        }
    }

    private bool IsChild(LocalActorRef child) => _children?.Contains(child) == true;

    /// <summary>Sends a stop to every child; returns how many are still to terminate.</summary>
    private int StopAllChildren(bool close)
    {
        var children = _children;
        if (children is null)
        {
            if (close)
            {
                Children.Close();
            }

            return 0;
        }

        var snapshot = close ? children.Close() : children.Snapshot();
        foreach (var child in snapshot)
        {
            ((LocalActorRef)child).SendSystemMessage(new Terminate());
        }

        return snapshot.Count;
    }

    private void SendToChildren(Func<SystemMessage> message)
    {
        var children = _children;
        if (children is null)
        {
            return;
        }

        foreach (var child in children.Snapshot())
        {
            ((LocalActorRef)child).SendSystemMessage(message());
        }
    }

    private void HandleChildTerminated(LocalActorRef child)
    {
        var remaining = _children!.Remove(child);
        if (remaining > 0)
        {
            return;
        }

        if (_state == CellState.Terminating)
        {
            FinishTerminate();
        }
        else if (_state == CellState.Restarting)
        {
            FinishRecreate();
        }
    }
}
