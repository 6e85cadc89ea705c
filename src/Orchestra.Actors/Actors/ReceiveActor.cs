using Orchestra.Actors.Internal;

namespace Orchestra.Actors;

/// <summary>An actor whose behaviour is a list of typed handlers, registered in its constructor (or in <see cref="Become"/>).</summary>
/// <remarks>
/// For each message the first handler whose type (and predicate) matches runs; when none matches,
/// <see cref="ActorBase.Unhandled"/> is called. An async handler (<see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T}?)"/>)
/// suspends the mailbox until its task completes: the actor still processes one message at a time, across awaits.
/// System messages (stop, watch, a child's failure) wait too, so a stop takes effect only once the task completes:
/// keep awaits short and pipe long work back with <c>PipeTo</c>. After an await, an implicit sender is no longer
/// set: pass <c>Self</c> explicitly to <c>Tell</c> there.
/// A handler that throws (or whose task faults) fails the actor, and its parent's strategy decides what happens.
/// </remarks>
public abstract class ReceiveActor : ActorBase
{
    private HandlerSet _behavior = new();
    private HandlerSet? _building;
    private Stack<HandlerSet>? _stacked;

    /// <summary>Handles messages of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The message type (subtypes match too).</typeparam>
    /// <param name="handler">The handler.</param>
    protected void Receive<T>(Action<T> handler) => Add(new ActionHandler<T>(handler, null));

    /// <summary>Handles messages of type <typeparamref name="T"/> that satisfy <paramref name="shouldHandle"/>.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="shouldHandle">Filters the messages.</param>
    /// <param name="handler">The handler.</param>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Add(new ActionHandler<T>(handler, shouldHandle));

    /// <summary>Handles messages of type <typeparamref name="T"/> asynchronously; no other message is processed until the task completes.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="handler">The handler.</param>
    /// <param name="shouldHandle">Optionally filters the messages.</param>
    /// <remarks>Keep such handlers short: long work (a script, an HTTP call) should be started and its result piped back with <c>PipeTo</c>, so the actor stays responsive.</remarks>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null) => Add(new AsyncHandler<T>(handler, shouldHandle));

    /// <summary>Handles any message not taken by an earlier handler.</summary>
    /// <param name="handler">The handler.</param>
    protected void ReceiveAny(Action<object> handler) => Add(new ActionHandler<object>(handler, null));

    /// <summary>Handles any message not taken by an earlier handler, asynchronously.</summary>
    /// <param name="handler">The handler.</param>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => Add(new AsyncHandler<object>(handler, null));

    /// <summary>Replaces the current behaviour: the handlers registered by <paramref name="configure"/> take over from the next message.</summary>
    /// <param name="configure">Registers the new handlers (calls to <c>Receive</c>).</param>
    protected void Become(Action configure)
    {
        _behavior = Build(configure);
        _stacked?.Clear();
    }

    /// <summary>Pushes a new behaviour, keeping the current one to return to with <see cref="Unbecome"/>.</summary>
    /// <param name="configure">Registers the new handlers.</param>
    protected void BecomeStacked(Action configure)
    {
        var next = Build(configure);
        (_stacked ??= new Stack<HandlerSet>()).Push(_behavior);
        _behavior = next;
    }

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/>; does nothing if there is none.</summary>
    protected void Unbecome()
    {
        if (_stacked is { Count: > 0 })
        {
            _behavior = _stacked.Pop();
        }
    }

    private protected sealed override ValueTask OnReceiveCore(object message)
    {
        var handlers = _behavior.Items;
        for (var i = 0; i < handlers.Length; i++)
        {
            if (handlers[i].TryHandle(message, out var pending))
            {
                return pending;
            }
        }

        CallUnhandled(message);
        return default;
    }

    private HandlerSet Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = _building;
        _building = new HandlerSet();
        try
        {
            configure();
            return _building;
        }
        finally
        {
            _building = previous;
        }
    }

    private void Add(MessageHandler handler) => (_building ?? _behavior).Add(handler);
}
