using Xunit;

namespace Orchestra.Actors.TestKit;

/// <summary>An xunit base class: a fresh actor system per test (optionally on a manual clock), shut down after it.</summary>
/// <remarks>
/// The system exists from the constructor on. After the test it is terminated; if that takes longer than
/// <see cref="ActorTestKitOptions.ShutdownTimeout"/> (an actor stuck in a hook or handler), the test fails.
/// </remarks>
public abstract class ActorTestKit : IAsyncLifetime, IDisposable
{
    private readonly ActorTestKitOptions _options;
    private TestProbe? _testActor;
    private int _disposed;

    /// <summary>Initializes the kit and its system.</summary>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    protected ActorTestKit(ActorTestKitOptions? options = null)
    {
        _options = options ?? new ActorTestKitOptions();
        Clock = _options.UseManualTime ? new ManualTimeProvider() : null;
        Sys = ActorSystem.Create($"test-{Guid.NewGuid():N}", _options.SystemOptions, _options.LoggerFactory, Clock);
    }

    /// <summary>Gets the system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>Gets the manual clock, when <see cref="ActorTestKitOptions.UseManualTime"/> is set.</summary>
    public ManualTimeProvider? Clock { get; }

    /// <summary>Gets a default probe, created on first use.</summary>
    public TestProbe TestActor => _testActor ??= CreateTestProbe("testActor");

    /// <summary>Creates a probe in the system under test.</summary>
    /// <param name="name">Its name; generated when <see langword="null"/>.</param>
    /// <returns>The probe.</returns>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name, _options.DefaultTimeout);

    /// <summary>Waits until <paramref name="assertion"/> passes (see <see cref="AwaitUtilities.AwaitAssertAsync"/>).</summary>
    /// <param name="assertion">The assertion.</param>
    /// <param name="timeout">The total wait.</param>
    /// <param name="interval">The pause between tries.</param>
    /// <returns>A task.</returns>
    public Task AwaitAssertAsync(Action assertion, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        AwaitUtilities.AwaitAssertAsync(assertion, timeout ?? _options.DefaultTimeout, interval);

    /// <summary>Waits until <paramref name="condition"/> holds (see <see cref="AwaitUtilities.AwaitConditionAsync"/>).</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">The total wait.</param>
    /// <param name="interval">The pause between tries.</param>
    /// <param name="message">Describes the condition.</param>
    /// <returns>A task.</returns>
    public Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null, string? message = null) =>
        AwaitUtilities.AwaitConditionAsync(condition, timeout ?? _options.DefaultTimeout, interval, message);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Terminates the system; fails if it does not terminate within the shutdown timeout.</summary>
    /// <returns>A task.</returns>
    public virtual async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Sys.TerminateAsync().WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Actor system {Sys.Name} did not shut down within {_options.ShutdownTimeout}.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the system synchronously if <see cref="DisposeAsync"/> did not run.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().GetAwaiter().GetResult();
        }
    }
}
