namespace Orchestra.Engine.Plans;

/// <summary>How an operation's failed attempts are retried.</summary>
/// <param name="MaxAttempts">The total number of attempts, the first included; at least 1.</param>
/// <param name="Delay">The wait before the first retry.</param>
/// <param name="Backoff">How the wait grows between retries.</param>
/// <param name="MaxDelay">The longest wait between two attempts, if bounded.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan Delay, BackoffKind Backoff = BackoffKind.Fixed, TimeSpan? MaxDelay = null)
{
    /// <summary>A single attempt, no retry.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero);

    /// <summary>The wait before attempt number <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    /// <param name="nextAttempt">The 1-based number of the attempt about to be made; at least 2.</param>
    /// <returns>The delay, capped by <see cref="MaxDelay"/>.</returns>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        var delay = Backoff switch
        {
            BackoffKind.Exponential => TimeSpan.FromTicks((long)Math.Min(
                Delay.Ticks * Math.Pow(2, nextAttempt - 2), TimeSpan.MaxValue.Ticks / 2.0)),
            _ => Delay,
        };
        return MaxDelay is { } max && delay > max ? max : delay;
    }
}

/// <summary>How the delay between retries grows.</summary>
public enum BackoffKind
{
    /// <summary>The same delay before every retry.</summary>
    Fixed,

    /// <summary>The delay doubles after every retry.</summary>
    Exponential,
}

/// <summary>What a deployment does when an operation has failed its last attempt.</summary>
public enum FailureAction
{
    /// <summary>Stop starting work and leave everything as it is for the operator (who may retry or undeploy).</summary>
    Halt,

    /// <summary>Revert what was done, in reverse order, then stop.</summary>
    Rollback,
}
