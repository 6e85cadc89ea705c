namespace Orchestra.Actors;

/// <summary>How a parent handles the failures of its children.</summary>
public abstract class SupervisorStrategy
{
    /// <summary>Gets the decider: maps a failure to a <see cref="Directive"/>.</summary>
    public abstract Func<Exception, Directive> Decider { get; }

    /// <summary>The default decider: <see cref="ActorInitializationException"/> and <see cref="DeathPactException"/> stop the child, anything else restarts it.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The directive.</returns>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
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
}
