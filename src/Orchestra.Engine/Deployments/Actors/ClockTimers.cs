using Akka.Actor;

namespace Orchestra.Engine.Deployments.Actors;

/// <summary>
/// Keyed timers that tell an actor a message on the engine's <see cref="TimeProvider"/> (so a test's fake clock drives the deployment's
/// retries, lease renewals and passivation), with the semantics of Akka's <c>ITimerScheduler</c>: starting a key replaces its timer, and
/// a message from a replaced or cancelled timer is never handled.
/// </summary>
/// <remarks>
/// Akka's own scheduler runs on the wall clock, which a test cannot advance. Each firing is wrapped with the timer's generation and
/// checked by <see cref="TryUnwrap"/> in the actor's mailbox, as Akka does for its timers. Actor thread only, except the firing callbacks.
/// </remarks>
internal sealed class ClockTimers(IActorRef self, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, (ITimer Timer, long Generation, bool Periodic)> _timers = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Tells <paramref name="message"/> once after <paramref name="dueTime"/>, replacing the timer named <paramref name="key"/>.</summary>
    public void StartSingleTimer(string key, object message, TimeSpan dueTime) => Start(key, message, dueTime, Timeout.InfiniteTimeSpan);

    /// <summary>Tells <paramref name="message"/> every <paramref name="interval"/>, replacing the timer named <paramref name="key"/>.</summary>
    public void StartPeriodicTimer(string key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    /// <summary>Returns the message of a firing that is still current, or <see langword="null"/> for one of a replaced or cancelled timer.</summary>
    public object? TryUnwrap(Fired fired)
    {
        if (!_timers.TryGetValue(fired.Key, out var timer) || timer.Generation != fired.Generation)
        {
            return null;
        }

        if (!timer.Periodic)
        {
            _timers.Remove(fired.Key);
            timer.Timer.Dispose();
        }

        return fired.Message;
    }

    /// <summary>Cancels every timer.</summary>
    public void Dispose()
    {
        foreach (var (timer, _, _) in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }

    private void Start(string key, object message, TimeSpan dueTime, TimeSpan period)
    {
        if (_timers.Remove(key, out var previous))
        {
            previous.Timer.Dispose();
        }

        var fired = new Fired(key, ++_generation, message);
        _timers[key] = (time.CreateTimer(_ => self.Tell(fired, ActorRefs.NoSender), null, dueTime, period), fired.Generation, period != Timeout.InfiniteTimeSpan);
    }

    /// <summary>A timer fired (told to the actor).</summary>
    /// <param name="Key">The timer.</param>
    /// <param name="Generation">Which start of it.</param>
    /// <param name="Message">What it tells.</param>
    public sealed record Fired(string Key, long Generation, object Message);
}
