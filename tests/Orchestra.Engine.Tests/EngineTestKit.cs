using Orchestra.Actors.TestKit;
using Orchestra.Engine.Hosting;
using Xunit;

namespace Orchestra.Engine.Tests;

/// <summary>
/// Akka.TestKit's xunit base on the engine's actor system (<see cref="EngineActorSystem.Setup"/>: the provided-store plugins, the stopping
/// guardian), with an optional manual clock for the tests that drive the engine's timers, and an async dispose for the hosts a test starts.
/// </summary>
public abstract class EngineTestKit : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    /// <summary>Starts the actor system.</summary>
    /// <param name="manualTime">Whether to give the test a <see cref="Clock"/> it advances itself (pass it to <see cref="EngineOptions.TimeProvider"/>).</param>
    protected EngineTestKit(bool manualTime = false)
        : base(EngineActorSystem.Setup(), $"test-{Guid.NewGuid():N}")
    {
        Clock = manualTime ? new ManualTimeProvider() : null;
    }

    /// <summary>The test's clock, when it asked for one.</summary>
    public ManualTimeProvider? Clock { get; }

    /// <summary>Waits until <paramref name="condition"/> holds (polled), failing with <paramref name="message"/> after <paramref name="timeout"/>.</summary>
    /// <param name="condition">What to wait for.</param>
    /// <param name="timeout">How long at most; the test kit's default when <see langword="null"/>.</param>
    /// <param name="message">What the failure says was awaited.</param>
    protected Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, string? message = null) =>
        AwaitConditionAsync(() => Task.FromResult(condition()), timeout, message);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops what the test started; the actor system is shut down after it, by the test kit.</summary>
    public virtual Task DisposeAsync() => Task.CompletedTask;
}
