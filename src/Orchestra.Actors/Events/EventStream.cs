using System.Collections.Concurrent;
using System.Threading.Channels;
using Orchestra.Actors.Dispatch;
using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Events;

/// <summary>The system's publish/subscribe bus for notifications (task started, node state changed, dead letters...).</summary>
/// <remarks>
/// Thread-safe. A subscription to a type receives events of that type and of its subtypes (subscribe to
/// <see cref="object"/> for everything). Actors receive events as messages (with no sender) and are unsubscribed
/// when they stop; code outside actors subscribes with a callback or a bounded channel reader.
/// Publishing costs one dictionary lookup when nobody listens.
/// </remarks>
public sealed class EventStream
{
    private readonly ActorSystem _system;
    private readonly Lock _lock = new();
    private Registry _registry = new([]);

    internal EventStream(ActorSystem system) => _system = system;

    /// <summary>Subscribes an actor to events of <paramref name="channel"/> (and subtypes).</summary>
    /// <param name="subscriber">The actor.</param>
    /// <param name="channel">The event type.</param>
    /// <returns><see langword="true"/> if the subscription is new.</returns>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            if (_registry.Subscriptions.Any(s => s is ActorSubscription a && a.Subscriber.Equals(subscriber) && a.Channel == channel))
            {
                return false;
            }

            Add(new ActorSubscription(subscriber, channel));
        }

        if (subscriber is LocalActorRef local)
        {
            local.Cell.SubscribedToEvents = true;
        }

        return true;
    }

    /// <summary>Unsubscribes an actor from one event type.</summary>
    /// <param name="subscriber">The actor.</param>
    /// <param name="channel">The event type it subscribed to.</param>
    /// <returns><see langword="true"/> if it was subscribed.</returns>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return RemoveWhere(s => s is ActorSubscription a && a.Subscriber.Equals(subscriber) && a.Channel == channel);
    }

    /// <summary>Unsubscribes an actor from every event type.</summary>
    /// <param name="subscriber">The actor.</param>
    /// <returns><see langword="true"/> if it was subscribed to anything.</returns>
    public bool Unsubscribe(IActorRef subscriber) => RemoveWhere(s => s is ActorSubscription a && a.Subscriber.Equals(subscriber));

    /// <summary>Calls <paramref name="handler"/> for every event of type <typeparamref name="T"/> (and subtypes), on the publisher's thread.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="handler">A fast, thread-safe callback; its exceptions are logged and ignored.</param>
    /// <returns>Disposing it ends the subscription.</returns>
    public IDisposable Subscribe<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new CallbackSubscription<T>(this, handler);
        lock (_lock)
        {
            Add(subscription);
        }

        return subscription;
    }

    /// <summary>Buffers every event of type <typeparamref name="T"/> in a bounded channel, for a consumer that reads at its own pace (a progress view, a server-sent-events stream).</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="capacity">How many events are buffered; when full, the oldest is dropped. The default is 1024.</param>
    /// <returns>The reader; disposing it ends the subscription and completes the channel.</returns>
    public EventStreamReader<T> CreateReader<T>(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = false,
            SingleWriter = false,
        });
        var reader = new EventStreamReader<T>(this, channel);
        lock (_lock)
        {
            Add(reader.Subscription);
        }

        return reader;
    }

    /// <summary>Delivers <paramref name="event"/> to every subscriber of its type or a base type.</summary>
    /// <param name="event">The event; should be an immutable record.</param>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var registry = Volatile.Read(ref _registry);
        if (registry.Subscriptions.Length == 0)
        {
            return;
        }

        var matching = registry.ByType.GetOrAdd(@event.GetType(), static (type, r) => r.Match(type), registry);
        foreach (var subscription in matching)
        {
            try
            {
                subscription.Deliver(@event);
            }
            catch (Exception ex)
            {
                Log.SubscriberFailed(_system.Logger, @event.GetType().Name, ex);
            }
        }
    }

    internal void Remove(Subscription subscription) => RemoveWhere(s => ReferenceEquals(s, subscription));

    private void Add(Subscription subscription) => _registry = new Registry([.. _registry.Subscriptions, subscription]);

    private bool RemoveWhere(Func<Subscription, bool> predicate)
    {
        lock (_lock)
        {
            var kept = _registry.Subscriptions.Where(s => !predicate(s)).ToArray();
            if (kept.Length == _registry.Subscriptions.Length)
            {
                return false;
            }

            _registry = new Registry(kept);
            return true;
        }
    }

    /// <summary>An immutable set of subscriptions with its own per-type cache, swapped whole on every change.</summary>
    private sealed class Registry(Subscription[] subscriptions)
    {
        public Subscription[] Subscriptions { get; } = subscriptions;

        public ConcurrentDictionary<Type, Subscription[]> ByType { get; } = new();

        public Subscription[] Match(Type type) => [.. Subscriptions.Where(s => s.Channel.IsAssignableFrom(type))];
    }

    internal abstract class Subscription(Type channel)
    {
        public Type Channel { get; } = channel;

        public abstract void Deliver(object @event);
    }

    private sealed class ActorSubscription(IActorRef subscriber, Type channel) : Subscription(channel)
    {
        public IActorRef Subscriber { get; } = subscriber;

        public override void Deliver(object @event)
        {
            if (Subscriber is LocalActorRef local)
            {
                local.Cell.Post(@event, null);
            }
            else
            {
                Subscriber.Tell(@event);
            }
        }
    }

    private sealed class CallbackSubscription<T>(EventStream stream, Action<T> handler) : Subscription(typeof(T)), IDisposable
    {
        public override void Deliver(object @event) => handler((T)@event);

        public void Dispose() => stream.Remove(this);
    }
}
