namespace Orchestra.Actors;

/// <content>The interception points for specialised actors of this assembly (persistent actors).</content>
public abstract partial class ActorBase
{
    /// <summary>Wraps the processing of every user message. The mailbox delivers nothing else until the returned task completes.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The processing.</returns>
    private protected virtual ValueTask AroundReceive(object message) => OnReceiveCore(message);

    /// <summary>Wraps <see cref="PreStart"/>.</summary>
    private protected virtual void AroundPreStart() => PreStart();

    /// <summary>Wraps <see cref="PostStop"/>.</summary>
    private protected virtual void AroundPostStop() => PostStop();

    /// <summary>Wraps <see cref="PreRestart"/>.</summary>
    private protected virtual void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    /// <summary>Wraps <see cref="PostRestart"/>.</summary>
    private protected virtual void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal ValueTask InvokeReceive(object message) => AroundReceive(message);

    internal void InvokePreStart() => AroundPreStart();

    internal void InvokePostStop() => AroundPostStop();

    internal void InvokePreRestart(Exception reason, object? message) => AroundPreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => AroundPostRestart(reason);
}
