namespace Orchestra.Actors.TestKit;

/// <summary>A clock that moves only when told to: timers created through it fire during <see cref="Advance"/>, in due order.</summary>
/// <remarks>
/// Thread-safe. Timer callbacks run synchronously on the thread that calls <see cref="Advance"/>, outside the
/// provider's lock (a callback may create or change timers). Use it for timers, retries, backoff and leases, so
/// tests never sleep.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private long _timestamp;
    private long _sequence;

    /// <summary>Initializes a clock at <paramref name="start"/>.</summary>
    /// <param name="start">The initial time; 2025-01-01T00:00:00Z when <see langword="null"/>.</param>
    public ManualTimeProvider(DateTimeOffset? start = null) => _utcNow = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the number of armed timers (due at some point): handy to check that timers were cancelled.</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _utcNow;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            Arm(timer, dueTime, period);
        }

        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, each at its own due time.</summary>
    /// <param name="delta">How far to move; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_lock)
        {
            target = _timestamp + delta.Ticks;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).ThenBy(t => t.Sequence).FirstOrDefault();
                if (due is null)
                {
                    MoveTo(target);
                    return;
                }

                MoveTo(due.DueAt!.Value);
                if (due.Period is { } period)
                {
                    due.DueAt += period.Ticks;
                    due.Sequence = ++_sequence;
                }
                else
                {
                    due.DueAt = null;
                }
            }

            due.Fire();
        }
    }

    /// <summary>Sets the wall-clock time without moving the monotonic timestamp or firing timers.</summary>
    /// <param name="utcNow">The new time.</param>
    public void SetUtcNow(DateTimeOffset utcNow)
    {
        lock (_lock)
        {
            _utcNow = utcNow;
        }
    }

    private void MoveTo(long timestamp)
    {
        if (timestamp > _timestamp)
        {
            _utcNow += TimeSpan.FromTicks(timestamp - _timestamp);
            _timestamp = timestamp;
        }
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Sequence = ++_sequence;
        timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _timestamp + Math.Max(0, dueTime.Ticks);
        timer.Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                owner.Arm(this, dueTime, period);
                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
