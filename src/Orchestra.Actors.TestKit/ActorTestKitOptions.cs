using Microsoft.Extensions.Logging;

namespace Orchestra.Actors.TestKit;

/// <summary>Settings of an <see cref="ActorTestKit"/>.</summary>
public sealed class ActorTestKitOptions
{
    /// <summary>Gets or sets a value indicating whether the system runs on a <see cref="ManualTimeProvider"/> (timers fire only on <c>Clock.Advance</c>).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UseManualTime { get; set; }

    /// <summary>Gets or sets the options of the system under test.</summary>
    /// <value>The default is the runtime's defaults.</value>
    public ActorSystemOptions? SystemOptions { get; set; }

    /// <summary>Gets or sets the logger factory of the system under test.</summary>
    /// <value>The default is none (no logs).</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets how long probe expectations wait by default.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long the system may take to shut down at the end of a test before the test fails.</summary>
    /// <value>The default is 20 seconds.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
