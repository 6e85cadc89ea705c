using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Actors.Dispatch;
using Orchestra.Actors.Events;
using Orchestra.Actors.Internal;

namespace Orchestra.Actors;

/// <summary>A hierarchy of actors sharing a thread pool, an event stream, a dead-letter office and a clock.</summary>
/// <remarks>
/// Top-level actors (<see cref="ActorOf"/>) live under <c>/user</c>. <see cref="TerminateAsync"/> stops every
/// actor, children before their parents, each running its <c>PostStop</c>. All members are thread-safe.
/// </remarks>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly LocalActorRef _root;
    private readonly LocalActorRef _userGuardian;
    private readonly LocalActorRef _systemGuardian;
    private readonly ActorPath _tempPath;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SemaphoreSlim? _recoveryPermits;
    private long _pendingAsks;
    private long _tempCounter;
    private int _terminating;

    private ActorSystem(string name, ActorSystemOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        Name = name;
        Options = options;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("Orchestra.Actors.ActorSystem");
        TimeProvider = timeProvider;
        Throughput = options.Throughput;
        DefaultSupervisorStrategy = new OneForOneStrategy(options.DefaultMaxRestarts, options.DefaultRestartWindow, SupervisorStrategy.DefaultDecider);
        EventStream = new EventStream(this);
        DeadLetterOffice = new DeadLetterOffice(this);
        var rootPath = ActorPath.Root(name);
        DeadLetters = new DeadLetterActorRef(this, rootPath.Child("deadLetters"));
        _tempPath = rootPath.Child("temp");
        var guardian = Props.Create(static () => new GuardianActor());
        _root = new LocalActorRef(this, rootPath, guardian, parent: null);
        _root.SendSystemMessage(new Create());
        _userGuardian = _root.Cell.Spawn(guardian, "user");
        _systemGuardian = _root.Cell.Spawn(guardian, "system");
    }

    /// <summary>Gets the system's name (the first element of its actors' paths).</summary>
    public string Name { get; }

    /// <summary>Gets the settings.</summary>
    public ActorSystemOptions Options { get; }

    /// <summary>Gets the logger factory given at creation (actors may use it too).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the clock of timers and ask timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the event stream.</summary>
    public EventStream EventStream { get; }

    /// <summary>Gets the dead-letter ref: what is sent to it is counted, logged (rate-limited) and published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Gets the number of dead letters since the system started.</summary>
    public long DeadLetterCount => DeadLetterOffice.Count;

    /// <summary>Gets the number of unhandled messages since the system started.</summary>
    public long UnhandledCount => Interlocked.Read(ref _unhandled);

    /// <summary>Gets the number of asks waiting for a reply (their temporary refs are alive). Zero when idle: asks never leak.</summary>
    public long PendingAskCount => Interlocked.Read(ref _pendingAsks);

    /// <summary>Gets a task that completes when the system has terminated.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal ILogger Logger { get; }

    internal int Throughput { get; }

    internal SupervisorStrategy DefaultSupervisorStrategy { get; }

    internal DeadLetterOffice DeadLetterOffice { get; }

    internal SemaphoreSlim RecoveryPermits
    {
        get
        {
            var permits = Volatile.Read(ref _recoveryPermits);
            if (permits is null)
            {
                permits = new SemaphoreSlim(Options.MaxConcurrentRecoveries, Options.MaxConcurrentRecoveries);
                if (Interlocked.CompareExchange(ref _recoveryPermits, permits, null) is { } existing)
                {
                    permits.Dispose();
                    permits = existing;
                }
            }

            return permits;
        }
    }

    private long _unhandled;

    /// <summary>Creates and starts an actor system.</summary>
    /// <param name="name">The system's name (letters, digits, '-' and '_').</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where the runtime logs; nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The running system.</returns>
    /// <exception cref="ArgumentException">The name is empty or invalid.</exception>
    public static ActorSystem Create(string name, ActorSystemOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Invalid actor system name '{name}': use letters, digits, '-' and '_'.", nameof(name));
        }

        var system = new ActorSystem(name, (options ?? new ActorSystemOptions()).Validate(), loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
        Log.SystemStarted(system.Logger, name);
        return system;
    }

    /// <summary>Creates a top-level actor (under <c>/user</c>).</summary>
    /// <param name="props">How to create it.</param>
    /// <param name="name">A unique name among top-level actors; generated when <see langword="null"/>.</param>
    /// <returns>Its ref.</returns>
    /// <exception cref="InvalidActorNameException">The name is taken or invalid.</exception>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return _userGuardian.Cell.Spawn(props, name);
    }

    /// <summary>Stops an actor asynchronously (see <see cref="IActorContext.Stop"/>).</summary>
    /// <param name="actor">The actor.</param>
    public void Stop(IActorRef actor) => _userGuardian.Cell.Stop(actor);

    /// <summary>Stops every actor, children before parents, and completes when all have run their <c>PostStop</c>.</summary>
    /// <param name="cancellationToken">Stops the waiting (not the termination, which goes on).</param>
    /// <returns>A task that completes when the system has terminated.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task TerminateAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
        {
            Log.SystemTerminating(Logger, Name);
            _root.SendSystemMessage(new Terminate());
        }

        return _terminated.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Terminates the system (see <see cref="TerminateAsync"/>).</summary>
    /// <returns>A task that completes when the system has terminated.</returns>
    public async ValueTask DisposeAsync() => await TerminateAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Name})";

    internal LocalActorRef SystemActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return _systemGuardian.Cell.Spawn(props, name);
    }

    internal ActorPath NewTempPath() => _tempPath.Child("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal void AskStarted() => Interlocked.Increment(ref _pendingAsks);

    internal void AskEnded() => Interlocked.Decrement(ref _pendingAsks);

    internal void PublishUnhandled(UnhandledMessage unhandled)
    {
        Interlocked.Increment(ref _unhandled);
        Log.Unhandled(Logger, unhandled.Message.GetType().Name, unhandled.Recipient.Path.ToString());
        EventStream.Publish(unhandled);
    }

    internal void OnRootTerminated()
    {
        Log.SystemTerminated(Logger, Name);
        _recoveryPermits?.Dispose();
        _terminated.TrySetResult();
    }

    private void ThrowIfTerminating()
    {
        if (Volatile.Read(ref _terminating) != 0)
        {
            throw new InvalidOperationException($"Actor system {Name} is terminating.");
        }
    }
}
