using System.Threading.Channels;

namespace Orchestra.Actors.Events;

/// <summary>A subscription to the <see cref="EventStream"/> that buffers events in a bounded channel (oldest dropped when full).</summary>
/// <typeparam name="T">The event type.</typeparam>
/// <remarks>Dispose it to unsubscribe; the channel then completes, so a pending read ends.</remarks>
public sealed class EventStreamReader<T> : IDisposable
{
    private readonly EventStream _stream;
    private readonly Channel<T> _channel;

    internal EventStreamReader(EventStream stream, Channel<T> channel)
    {
        _stream = stream;
        _channel = channel;
        Subscription = new ChannelSubscription(channel.Writer);
    }

    /// <summary>Gets the channel's reader.</summary>
    public ChannelReader<T> Reader => _channel.Reader;

    internal EventStream.Subscription Subscription { get; }

    /// <summary>Reads events as they arrive until the subscription is disposed or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Remove(Subscription);
        _channel.Writer.TryComplete();
    }

    private sealed class ChannelSubscription(ChannelWriter<T> writer) : EventStream.Subscription(typeof(T))
    {
        public override void Deliver(object @event) => writer.TryWrite((T)@event);
    }
}
