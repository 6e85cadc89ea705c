namespace Orchestra.Actors;

/// <summary>Applies the decision about a failed child to all the children of the supervisor: restart them all or stop them all.</summary>
/// <remarks>
/// <para>For children that only make sense together (they share state or depend on one another), so that one failure
/// restarts the whole group from a consistent start. <see cref="Directive.Resume"/> resumes only the failed child (the
/// others never stopped); <see cref="Directive.Escalate"/> fails the supervisor as with <see cref="OneForOneStrategy"/>.</para>
/// <para>A restart counts against the restart window of every child. If any child would need more than
/// <see cref="MaxNrOfRetries"/> restarts within <see cref="WithinTimeRange"/>, all the children are stopped instead
/// (a crash loop ends). A negative <see cref="MaxNrOfRetries"/> means no limit.</para>
/// <para>Siblings restart with the failed child's exception as the reason (their <c>PreRestart</c> gets no message).</para>
/// </remarks>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Initializes a strategy with a restart bound.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed within the window; negative for no limit, zero to stop all children at the first failure that would restart.</param>
    /// <param name="withinTimeRange">The window; <see cref="Timeout.InfiniteTimeSpan"/> counts restarts over each child's whole life.</param>
    /// <param name="decider">Maps a failure to a directive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decider"/> is null.</exception>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Initializes a strategy without a restart bound.</summary>
    /// <param name="decider">Maps a failure to a directive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decider"/> is null.</exception>
    public AllForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    /// <summary>Gets the number of restarts allowed within <see cref="WithinTimeRange"/>; negative for no limit.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>Gets the window in which restarts are counted.</summary>
    public TimeSpan WithinTimeRange { get; }

    /// <inheritdoc />
    public override Func<Exception, Directive> Decider { get; }

    internal override bool AppliesToAllChildren => true;

    internal override bool RequestRestartPermission(RestartStatistics statistics, TimeProvider timeProvider) =>
        statistics.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, timeProvider);
}
