using Microsoft.Extensions.Logging;
using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Events;

/// <summary>Counts, logs (rate-limited) and publishes dead letters.</summary>
internal sealed class DeadLetterOffice(ActorSystem system)
{
    private readonly Lock _logLock = new();
    private long _count;
    private long _windowStart;
    private int _loggedInWindow;
    private long _suppressed;

    public long Count => Interlocked.Read(ref _count);

    public void Publish(object message, IActorRef? sender, IActorRef recipient)
    {
        // A dead letter about a dead letter (a stopped subscriber) would loop: count it only.
        Interlocked.Increment(ref _count);
        if (message is DeadLetter)
        {
            return;
        }

        MaybeLog(message, sender, recipient);
        system.EventStream.Publish(new DeadLetter(message, sender, recipient));
    }

    private void MaybeLog(object message, IActorRef? sender, IActorRef recipient)
    {
        var options = system.Options;
        if (options.DeadLetterLogLimit <= 0 || !system.Logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        long suppressed;
        lock (_logLock)
        {
            var now = system.TimeProvider.GetTimestamp();
            suppressed = 0;
            if (_windowStart == 0 || system.TimeProvider.GetElapsedTime(_windowStart, now) >= options.DeadLetterLogInterval)
            {
                suppressed = _suppressed;
                _suppressed = 0;
                _windowStart = now;
                _loggedInWindow = 0;
            }

            if (_loggedInWindow >= options.DeadLetterLogLimit)
            {
                _suppressed++;
                return;
            }

            _loggedInWindow++;
        }

        if (suppressed > 0)
        {
            Log.DeadLettersSuppressed(system.Logger, suppressed, options.DeadLetterLogInterval);
        }

        Log.DeadLetterLogged(system.Logger, message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path.ToString());
    }
}
