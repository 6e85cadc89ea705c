using System.Diagnostics;
using System.Threading.Channels;
using Xunit;

namespace Orchestra.Actors.TestKit;

/// <summary>An actor driven by a test: it records what it receives, and the test asserts on it, replies, forwards, watches.</summary>
/// <remarks>
/// Expectations wait in real time (not on a manual clock) up to their timeout, then fail the test with a clear
/// message. The probe is a real actor (under <c>/system</c>), stopped with its system. Use one probe from one test
/// thread at a time.
/// </remarks>
public sealed class TestProbe
{
    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Initializes a probe in <paramref name="system"/>.</summary>
    /// <param name="system">The actor system.</param>
    /// <param name="name">The probe's name; generated when <see langword="null"/>.</param>
    /// <param name="defaultTimeout">How long expectations wait by default; 10 seconds when <see langword="null"/> (the machine may be loaded; it normally resolves in milliseconds).</param>
    public TestProbe(ActorSystem system, string? name = null, TimeSpan? defaultTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(10);
        var writer = _received.Writer;
        Ref = system.SystemActorOf(Props.Create(() => new ProbeActor(writer)), name);
    }

    /// <summary>Gets the probe's ref: pass it as a sender, or send to it.</summary>
    public IActorRef Ref { get; }

    /// <summary>Gets the system the probe lives in.</summary>
    public ActorSystem System { get; }

    /// <summary>Gets how long expectations wait when no timeout is given.</summary>
    public TimeSpan DefaultTimeout { get; }

    /// <summary>Gets the sender of the last message taken by an expectation.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>Gets the last message taken by an expectation.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Sends a message to the probe itself.</summary>
    /// <param name="message">The message.</param>
    /// <param name="sender">Its sender.</param>
    public void Tell(object message, IActorRef? sender = null) => Ref.Tell(message, sender);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender (replies come back to the probe).</summary>
    /// <param name="target">The recipient.</param>
    /// <param name="message">The message.</param>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Replies to the sender of the last message, with the probe as sender.</summary>
    /// <param name="message">The reply.</param>
    /// <exception cref="InvalidOperationException">No message was received yet.</exception>
    public void Reply(object message) => (LastSender ?? throw new InvalidOperationException("The probe has not received any message yet.")).Tell(message, Ref);

    /// <summary>Forwards the last message to <paramref name="target"/>, keeping its original sender.</summary>
    /// <param name="target">The recipient.</param>
    /// <exception cref="InvalidOperationException">No message was received yet.</exception>
    public void Forward(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(LastMessage ?? throw new InvalidOperationException("The probe has not received any message yet."), LastSender);
    }

    /// <summary>Watches <paramref name="target"/>, so its <see cref="Terminated"/> arrives at the probe.</summary>
    /// <param name="target">The actor to watch.</param>
    /// <returns>A task that completes once the watch is registered.</returns>
    public Task WatchAsync(IActorRef target)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Ref.Tell(new ProbeWatch(target, done));
        return done.Task.WaitAsync(DefaultTimeout);
    }

    /// <summary>Watches <paramref name="target"/> (synchronous form of <see cref="WatchAsync"/>).</summary>
    /// <param name="target">The actor to watch.</param>
    public void Watch(IActorRef target) => WatchAsync(target).GetAwaiter().GetResult();

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    /// <param name="target">The watched actor.</param>
    /// <returns>A task that completes once the watch is removed.</returns>
    public Task UnwatchAsync(IActorRef target)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Ref.Tell(new ProbeUnwatch(target, done));
        return done.Task.WaitAsync(DefaultTimeout);
    }

    /// <summary>Waits for the next message and asserts it is a <typeparamref name="T"/> (matching <paramref name="predicate"/>).</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="predicate">An optional extra condition.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when <see langword="null"/>.</param>
    /// <returns>The message.</returns>
    public async Task<T> ExpectMsgAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var received = await ReceiveOneAsync(timeout, $"a {typeof(T).Name}").ConfigureAwait(false);
        if (received.Message is not T typed)
        {
            Assert.Fail($"Expected a {typeof(T).Name} but received {Describe(received.Message)}.");
            throw new InvalidOperationException();
        }

        if (predicate is not null && !predicate(typed))
        {
            Assert.Fail($"Received {Describe(received.Message)}, which does not match the expected condition.");
        }

        return typed;
    }

    /// <summary>Waits for the next message and asserts it equals <paramref name="expected"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="expected">The expected message.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The message.</returns>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null)
    {
        var received = await ReceiveOneAsync(timeout, Describe(expected!)).ConfigureAwait(false);
        if (!Equals(received.Message, expected))
        {
            Assert.Fail($"Expected {Describe(expected!)} but received {Describe(received.Message)}.");
        }

        return (T)received.Message;
    }

    /// <summary>Synchronous form of <see cref="ExpectMsgAsync{T}(Func{T, bool}?, TimeSpan?)"/>.</summary>
    /// <typeparam name="T">The expected type.</typeparam>
    /// <param name="predicate">An optional extra condition.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The message.</returns>
    public T ExpectMsg<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null) => ExpectMsgAsync(predicate, timeout).GetAwaiter().GetResult();

    /// <summary>Asserts that no message arrives during <paramref name="duration"/>.</summary>
    /// <param name="duration">How long to watch.</param>
    /// <returns>A task.</returns>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        using var cts = new CancellationTokenSource(duration);
        try
        {
            var received = await _received.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            Assert.Fail($"Expected no message for {duration} but received {Describe(received.Message)}.");
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    /// <summary>Synchronous form of <see cref="ExpectNoMsgAsync"/>.</summary>
    /// <param name="duration">How long to watch.</param>
    public void ExpectNoMsg(TimeSpan duration) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    /// <summary>Waits for the <see cref="Terminated"/> of <paramref name="target"/> (the probe must watch it).</summary>
    /// <param name="target">The watched actor.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The message.</returns>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(target), timeout);

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/>.</summary>
    /// <param name="isTheOne">Recognises the wanted message.</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <returns>The wanted message.</returns>
    public async Task<object> FishForMessageAsync(Func<object, bool> isTheOne, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var total = timeout ?? DefaultTimeout;
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = total - Stopwatch.GetElapsedTime(start);
            var received = await ReceiveOneAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), "a matching message").ConfigureAwait(false);
            if (isTheOne(received.Message))
            {
                return received.Message;
            }
        }
    }

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfying <paramref name="isTheOne"/> arrives.</summary>
    /// <typeparam name="T">The wanted type.</typeparam>
    /// <param name="isTheOne">An optional extra condition.</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <returns>The wanted message.</returns>
    public async Task<T> FishForMessageAsync<T>(Func<T, bool>? isTheOne = null, TimeSpan? timeout = null) =>
        (T)await FishForMessageAsync(m => m is T t && (isTheOne is null || isTheOne(t)), timeout).ConfigureAwait(false);

    /// <summary>Receives the next <paramref name="count"/> messages, whatever they are.</summary>
    /// <param name="count">How many.</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <returns>The messages, in order.</returns>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var total = timeout ?? DefaultTimeout;
        var start = Stopwatch.GetTimestamp();
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var remaining = total - Stopwatch.GetElapsedTime(start);
            var received = await ReceiveOneAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), $"message {messages.Count + 1} of {count}").ConfigureAwait(false);
            messages.Add(received.Message);
        }

        return messages;
    }

    /// <summary>Receives the next message, whatever it is, with its sender.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The message and its sender.</returns>
    public Task<ReceivedMessage> ReceiveOneAsync(TimeSpan? timeout = null) => ReceiveOneAsync(timeout, "a message");

    private async Task<ReceivedMessage> ReceiveOneAsync(TimeSpan? timeout, string expectation)
    {
        var wait = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(wait);
        try
        {
            var received = await _received.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            LastMessage = received.Message;
            LastSender = received.Sender;
            return received;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after {wait} waiting for {expectation} at probe {Ref.Path}.");
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"Probe {Ref.Path} stopped while waiting for {expectation}.");
            throw;
        }
    }

    private static string Describe(object message) => $"{message.GetType().Name} ({message})";
}
