namespace Orchestra.Actors;

/// <summary>Applies the decision to the failed child only.</summary>
/// <remarks>
/// A child that needs more than <see cref="MaxNrOfRetries"/> restarts within <see cref="WithinTimeRange"/> is
/// stopped instead (a crash loop ends). A negative <see cref="MaxNrOfRetries"/> means no limit.
/// </remarks>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Initializes a strategy with a restart bound.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed within the window; negative for no limit, zero to stop at the first failure that would restart.</param>
    /// <param name="withinTimeRange">The window; <see cref="Timeout.InfiniteTimeSpan"/> counts restarts over the child's whole life.</param>
    /// <param name="decider">Maps a failure to a directive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decider"/> is null.</exception>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Initializes a strategy without a restart bound.</summary>
    /// <param name="decider">Maps a failure to a directive.</param>
    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    /// <summary>Gets the number of restarts allowed within <see cref="WithinTimeRange"/>; negative for no limit.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>Gets the window in which restarts are counted.</summary>
    public TimeSpan WithinTimeRange { get; }

    /// <inheritdoc />
    public override Func<Exception, Directive> Decider { get; }

    internal override bool RequestRestartPermission(RestartStatistics statistics, TimeProvider timeProvider) =>
        statistics.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, timeProvider);
}
