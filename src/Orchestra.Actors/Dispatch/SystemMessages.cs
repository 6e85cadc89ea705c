namespace Orchestra.Actors.Dispatch;

/// <summary>A lifecycle message; processed before any user message. Also the node of the system queue.</summary>
internal abstract class SystemMessage
{
    public SystemMessage? Next { get; set; }
}

internal sealed class Create : SystemMessage;

internal sealed class Terminate : SystemMessage;

internal sealed class Suspend : SystemMessage;

internal sealed class Resume : SystemMessage;

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Watch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;

    public InternalActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;

    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary>Tells a watcher (or the parent) that an actor has stopped.</summary>
internal sealed class DeathWatchNotification(InternalActorRef actor) : SystemMessage
{
    public InternalActorRef Actor { get; } = actor;
}

/// <summary>Tells a parent that its child failed and is suspended, waiting for a directive.</summary>
internal sealed class Failed(LocalActorRef child, Exception cause) : SystemMessage
{
    public LocalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>A death-watch <see cref="Terminated"/> in transit through the user queue; dropped if the watcher unwatched meanwhile.</summary>
internal sealed record WatchedTerminated(InternalActorRef Actor) : IInternalMessage;

/// <summary>A runtime message carried by the user queue; dropped (not a dead letter) if its actor stops first.</summary>
internal interface IInternalMessage;
