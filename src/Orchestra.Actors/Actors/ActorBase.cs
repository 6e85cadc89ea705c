using Orchestra.Actors.Dispatch;
using Orchestra.Actors.Events;

namespace Orchestra.Actors;

/// <summary>The base of every actor: identity, context, lifecycle hooks and supervision of its children.</summary>
/// <remarks>
/// An actor processes one message at a time; its state needs no locks. Instances are created only by the runtime
/// from <see cref="Props"/>; constructing one directly throws. Derive from <see cref="ReceiveActor"/> (typed
/// handlers) or <see cref="UntypedActor"/> (one method).
/// </remarks>
public abstract partial class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Initializes the actor; only valid while the runtime creates it from <see cref="Props"/>.</summary>
    /// <exception cref="InvalidOperationException">The actor is constructed outside <c>ActorOf</c>.</exception>
    protected ActorBase()
    {
        _cell = ActorCell.Constructing
            ?? throw new InvalidOperationException($"Actor {GetType().Name} must be created with ActorOf(Props), not with new.");
        ActorCell.Constructing = null;
    }

    /// <summary>Gets this actor's context: children, watch, stop, system.</summary>
    protected IActorContext Context => _cell;

    /// <summary>Gets this actor's ref.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>Gets the sender of the message being processed (the dead-letter ref when there is none).</summary>
    /// <remarks>Stays valid in the continuations of an async handler, since no other message runs until it completes.</remarks>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>Gets this actor's timers (created on first use).</summary>
    protected ITimerScheduler Timers => _cell.Timers;

    /// <summary>Gets this actor's stash (created on first use).</summary>
    protected IStash Stash => _cell.Stash;

    internal ActorCell Cell => _cell;

    /// <summary>Called after the actor is created and before it processes its first message.</summary>
    /// <remarks>An exception here fails the actor with an <see cref="ActorInitializationException"/> (by default: stopped).</remarks>
    protected virtual void PreStart()
    {
    }

    /// <summary>Called once, after the actor and all its children have stopped. Release resources here.</summary>
    /// <remarks>Exceptions are logged and otherwise ignored.</remarks>
    protected virtual void PostStop()
    {
    }

    /// <summary>Called on the failed instance before a restart. The default calls <see cref="PostStop"/>.</summary>
    /// <param name="reason">The failure.</param>
    /// <param name="message">The message being processed when it failed, if any.</param>
    /// <remarks>Children are stopped after this hook, before the new instance is created.</remarks>
    protected virtual void PreRestart(Exception reason, object? message) => PostStop();

    /// <summary>Called on the new instance after a restart. The default calls <see cref="PreStart"/>.</summary>
    /// <param name="reason">The failure that caused the restart.</param>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Returns how this actor supervises its children; called once per incarnation.</summary>
    /// <returns>The strategy. The default is the system's (<see cref="ActorSystemOptions.DefaultMaxRestarts"/>).</returns>
    protected virtual SupervisorStrategy CreateSupervisorStrategy() => _cell.System.DefaultSupervisorStrategy;

    /// <summary>Called for a message no handler took. Publishes an <see cref="UnhandledMessage"/>; an unhandled <see cref="Terminated"/> fails the actor with a <see cref="DeathPactException"/>.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="DeathPactException">The message is a <see cref="Terminated"/>.</exception>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }

        _cell.System.PublishUnhandled(new UnhandledMessage(message, _cell.CurrentSender, Self));
    }

    /// <summary>Processes one message; completes when the actor is ready for the next.</summary>
    /// <param name="message">The message.</param>
    /// <returns>A task; a synchronous handler returns a completed one.</returns>
    private protected abstract ValueTask OnReceiveCore(object message);

    internal SupervisorStrategy GetSupervisorStrategy() => CreateSupervisorStrategy();

    internal void CallUnhandled(object message) => Unhandled(message);
}
