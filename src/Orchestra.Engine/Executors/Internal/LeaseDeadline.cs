namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// How long the lease of one deployment incarnation is known to be valid here: the time of the last renewal that succeeded plus
/// the TTL. Its timer runs on the <see cref="TimeProvider"/>, not in any actor's mailbox, so a coordinator that is held back (a busy
/// or paused mailbox, a store that does not answer) cannot hold it back: once the deadline passes, <see cref="Expired"/> fires and
/// every attempt running under the lease is cancelled (the process executor stops its process group: SIGTERM, then SIGKILL after
/// <see cref="EngineOptions.KillGracePeriod"/>).
/// </summary>
/// <remarks>
/// <para><b>States.</b> Valid → Expired (no renewal succeeded for a TTL, or the lease was lost to another owner) → Disposed; Valid →
/// Disposed (the incarnation stopped). Expired is final: a renewal that lands later does not revive it.</para>
/// <para><b>Invariants.</b> <see cref="ValidUntil"/> only moves later. The coordinator decides with the same <see cref="ValidUntil"/>
/// and <see cref="IsExpired"/>, so it never journals the result of an attempt the deadline stopped. Thread-safe.</para>
/// </remarks>
internal sealed class LeaseDeadline : IDisposable
{
    private readonly CancellationTokenSource _expired = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private DateTimeOffset _validUntil;
    private string? _reason;
    private bool _disposed;

    /// <summary>Starts watching a lease just taken.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="acquiredAt">When it was asked for (no later than the store's own clock started its TTL).</param>
    /// <param name="ttl">The lease TTL.</param>
    /// <param name="time">The clock.</param>
    /// <param name="onExpired">Told once, on the timer's thread, when the deadline passes, with why.</param>
    public LeaseDeadline(string deploymentId, DateTimeOffset acquiredAt, TimeSpan ttl, TimeProvider time, Action<LeaseDeadline, string> onExpired)
    {
        DeploymentId = deploymentId;
        Ttl = ttl;
        _time = time;
        _validUntil = acquiredAt + ttl;
        OnExpired = onExpired;
        _timer = time.CreateTimer(_ => Check(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            Arm();
        }
    }

    /// <summary>The deployment.</summary>
    public string DeploymentId { get; }

    /// <summary>The lease TTL.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>Until when the lease is known valid: the last successful renewal's send time plus <see cref="Ttl"/>.</summary>
    public DateTimeOffset ValidUntil
    {
        get
        {
            lock (_lock)
            {
                return _validUntil;
            }
        }
    }

    /// <summary>Fires once the deadline passed or the lease was lost; attempts running under the lease link it into their token.</summary>
    public CancellationToken Expired => _expired.Token;

    /// <summary>Whether <see cref="Expired"/> fired.</summary>
    public bool IsExpired => _expired.IsCancellationRequested;

    /// <summary>Why it expired, in words (for results and logs), or <see langword="null"/> while valid.</summary>
    public string? Reason
    {
        get
        {
            lock (_lock)
            {
                return _reason;
            }
        }
    }

    private Action<LeaseDeadline, string> OnExpired { get; }

    /// <summary>A renewal sent at <paramref name="sentAt"/> succeeded: the lease is valid until then plus the TTL.</summary>
    /// <param name="sentAt">When the renewal was sent (the store's expiry is at least that late).</param>
    public void Renewed(DateTimeOffset sentAt)
    {
        lock (_lock)
        {
            if (!_expired.IsCancellationRequested && sentAt + Ttl > _validUntil)
            {
                _validUntil = sentAt + Ttl;
            }
        }
    }

    /// <summary>The lease moved to another owner: expire now.</summary>
    public void Lost() => Expire($"the lease of deployment '{DeploymentId}' moved to another owner");

    /// <summary>Stops the timer (the incarnation stopped; its attempts are cancelled by their actors).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    // On the timer's thread. A renewal since the timer was armed moved the deadline: arm again for the new one.
    private void Check()
    {
        DateTimeOffset validUntil;
        lock (_lock)
        {
            if (_disposed || _expired.IsCancellationRequested)
            {
                return;
            }

            if (_time.GetUtcNow() < _validUntil)
            {
                Arm();
                return;
            }

            validUntil = _validUntil;
        }

        Expire($"no renewal of the lease of deployment '{DeploymentId}' succeeded for {Ttl} (valid until {validUntil:O}): another owner may run it now");
    }

    private void Expire(string reason)
    {
        lock (_lock)
        {
            if (_disposed || _reason is not null)
            {
                return;
            }

            _reason = reason;
        }

        OnExpired(this, reason);
        try
        {
            _expired.Cancel();
        }
        catch (AggregateException)
        {
            // A plugin's cancellation callback threw: the other attempts are cancelled all the same, and this runs on a timer's thread,
            // where an exception would end the process.
        }
    }

    private void Arm()
    {
        var due = _validUntil - _time.GetUtcNow();
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }
}
