namespace Orchestra.Actors;

/// <summary>How a parent handles the failures of its children.</summary>
/// <remarks>Use <see cref="OneForOneStrategy"/> (the decision applies to the failed child) or <see cref="AllForOneStrategy"/> (to all its siblings too).</remarks>
public abstract class SupervisorStrategy
{
    /// <summary>Gets the decider: maps a failure to a <see cref="Directive"/>.</summary>
    public abstract Func<Exception, Directive> Decider { get; }

    /// <summary>Gets a value indicating whether a restart or stop applies to every child of the supervisor, not only to the failed one.</summary>
    internal virtual bool AppliesToAllChildren => false;

    /// <summary>
    /// The default decider: <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
    /// <see cref="DeathPactException"/> stop the child, anything else restarts it.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The directive.</returns>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Decides whether a child may restart once more, updating its statistics.</summary>
    internal abstract bool RequestRestartPermission(RestartStatistics statistics, TimeProvider timeProvider);
}

/// <summary>The restart history of one child, kept by its parent.</summary>
internal sealed class RestartStatistics
{
    public int Count { get; set; }

    public long WindowStart { get; set; }

    /// <summary>Counts one more restart and says whether it stays within <paramref name="maxNrOfRetries"/> in <paramref name="withinTimeRange"/>.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed in the window; negative for no limit, zero for none.</param>
    /// <param name="withinTimeRange">The window; zero or negative (e.g. <see cref="Timeout.InfiniteTimeSpan"/>) counts over the child's whole life.</param>
    /// <param name="timeProvider">The clock.</param>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan withinTimeRange, TimeProvider timeProvider)
    {
        if (maxNrOfRetries < 0)
        {
            return true;
        }

        if (maxNrOfRetries == 0)
        {
            return false;
        }

        if (withinTimeRange > TimeSpan.Zero)
        {
            var now = timeProvider.GetTimestamp();
            if (Count == 0 || timeProvider.GetElapsedTime(WindowStart, now) > withinTimeRange)
            {
                WindowStart = now;
                Count = 1;
                return true;
            }
        }

        Count++;
        return Count <= maxNrOfRetries;
    }
}
