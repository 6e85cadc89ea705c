namespace Orchestra.Actors.Internal;

/// <summary>One behaviour: an ordered, append-only list of handlers (copy on add, so a handler may register others safely).</summary>
internal sealed class HandlerSet
{
    public MessageHandler[] Items { get; private set; } = [];

    public void Add(MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var items = new MessageHandler[Items.Length + 1];
        Items.CopyTo(items, 0);
        items[^1] = handler;
        Items = items;
    }
}

internal abstract class MessageHandler
{
    public abstract bool TryHandle(object message, out ValueTask pending);
}

internal sealed class ActionHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(object message, out ValueTask pending)
    {
        pending = default;
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
        {
            return false;
        }

        _handler(typed);
        return true;
    }
}

internal sealed class AsyncHandler<T>(Func<T, Task> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    private readonly Func<T, Task> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(object message, out ValueTask pending)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
        {
            pending = default;
            return false;
        }

        pending = new ValueTask(_handler(typed) ?? Task.CompletedTask);
        return true;
    }
}
