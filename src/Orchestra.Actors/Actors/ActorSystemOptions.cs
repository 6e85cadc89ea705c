namespace Orchestra.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/>.</summary>
public sealed class ActorSystemOptions
{
    /// <summary>Gets or sets how many user messages an actor processes in one turn before it yields its thread.</summary>
    /// <value>The default is 100. Higher favours throughput, lower favours fairness between actors.</value>
    public int Throughput { get; set; } = 100;

    /// <summary>Gets or sets the timeout of an <c>Ask</c> that does not name one.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan DefaultAskTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many dead letters are logged per <see cref="DeadLetterLogInterval"/>; the others are only counted (and summarised). Zero disables the log.</summary>
    /// <value>The default is 10.</value>
    public int DeadLetterLogLimit { get; set; } = 10;

    /// <summary>Gets or sets the window of <see cref="DeadLetterLogLimit"/>.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan DeadLetterLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many restarts the default supervisor strategy allows a child within <see cref="DefaultRestartWindow"/> before it stops it (a crash loop ends). Negative means no limit.</summary>
    /// <value>The default is 10.</value>
    public int DefaultMaxRestarts { get; set; } = 10;

    /// <summary>Gets or sets the window of <see cref="DefaultMaxRestarts"/>.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan DefaultRestartWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many persistent actors may recover (load snapshot and replay events) at the same time, system-wide; the others wait their turn.</summary>
    /// <value>The default is 16.</value>
    public int MaxConcurrentRecoveries { get; set; } = 16;

    internal ActorSystemOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Throughput, 1, nameof(Throughput));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultAskTimeout, TimeSpan.Zero, nameof(DefaultAskTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DeadLetterLogInterval, TimeSpan.Zero, nameof(DeadLetterLogInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRecoveries, 1, nameof(MaxConcurrentRecoveries));
        return this;
    }
}
