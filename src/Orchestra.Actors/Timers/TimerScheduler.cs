using Orchestra.Actors.Dispatch;

namespace Orchestra.Actors;

/// <summary>The timers of one actor, on the system's <see cref="TimeProvider"/>. Actor thread only, except the firing callbacks.</summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> _timers = [];
    private long _generation;

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_timers.Remove(key, out var entry))
        {
            entry.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Dispose();
        }

        _timers.Clear();
    }

    /// <summary>Tells whether a fired entry is still the current timer for its key (and forgets a single timer).</summary>
    public bool TryConsume(TimerEntry entry)
    {
        if (!_timers.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry))
        {
            return false;
        }

        if (!entry.Periodic)
        {
            _timers.Remove(entry.Key);
            entry.Dispose();
        }

        return true;
    }

    private void Start(object key, object message, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        Cancel(key);
        var entry = new TimerEntry(cell, key, message, ++_generation, period != Timeout.InfiniteTimeSpan);
        _timers[key] = entry;
        entry.Arm(cell.System.TimeProvider, dueTime, period);
    }

    /// <summary>A started timer; also the message it posts to its actor.</summary>
    internal sealed class TimerEntry(ActorCell cell, object key, object message, long generation, bool periodic) : IDisposable, IInternalMessage
    {
        private ITimer? _timer;
        private volatile bool _disposed;

        public object Key { get; } = key;

        public object Message { get; } = message;

        public long Generation { get; } = generation;

        public bool Periodic { get; } = periodic;

        public void Arm(TimeProvider timeProvider, TimeSpan dueTime, TimeSpan period)
        {
            var timer = timeProvider.CreateTimer(static state => ((TimerEntry)state!).Fire(), this, dueTime, period);
            _timer = timer;
            if (_disposed)
            {
                timer.Dispose();
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _timer?.Dispose();
        }

        private void Fire()
        {
            if (!_disposed)
            {
                cell.Post(this, null);
            }
        }
    }
}
