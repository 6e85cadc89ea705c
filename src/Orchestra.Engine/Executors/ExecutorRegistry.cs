using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestra.Engine.Executors.Internal;

namespace Orchestra.Engine.Executors;

/// <summary>Chooses the executor of an implementation: plugins first (last added wins), then the built-ins, then playbooks, then processes.</summary>
/// <remarks>Add plugins before the host starts; lookups are thread-safe once it runs.</remarks>
public sealed class ExecutorRegistry
{
    private readonly List<IOperationExecutor> _executors = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task<OperationResult>, byte> _attempts = new();

    /// <summary>Creates a registry with the built-in executor, the Ansible executor (playbooks) and the process executor.</summary>
    /// <param name="options">The engine options (interpreter paths, limits, clock).</param>
    /// <param name="loggerFactory">Loggers for the executors (the process executor logs the orphans it stops); <see langword="null"/> for none.</param>
    public ExecutorRegistry(EngineOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Watchdog = new LeaseWatchdog(options.TimeProvider, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LeaseWatchdog>());
        _executors.Add(new BuiltinExecutor(options.TimeProvider));
        var processes = new ProcessExecutor(options, loggerFactory?.CreateLogger<ProcessExecutor>());
        _executors.Add(new AnsibleExecutor(options, processes));
        _executors.Add(processes);
    }

    /// <summary>The lease deadlines of the deployments that run attempts through this registry (started and ended by the host).</summary>
    internal LeaseWatchdog Watchdog { get; }

    /// <summary>Adds a plugin executor; it is asked before every executor added earlier.</summary>
    /// <param name="executor">The executor.</param>
    /// <returns>This registry.</returns>
    public ExecutorRegistry Add(IOperationExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executors.Insert(0, executor);
        return this;
    }

    /// <summary>Stops the processes that a previous, dead engine process left running (see <see cref="ProcessExecutor.StopOrphansAsync"/>).</summary>
    /// <param name="cancellationToken">Stops the sweep between records.</param>
    /// <returns>What was done, one line per record acted on.</returns>
    internal async Task<IReadOnlyList<string>> StopOrphansAsync(CancellationToken cancellationToken)
    {
        var done = new List<string>();
        foreach (var process in _executors.OfType<ProcessExecutor>())
        {
            done.AddRange(await process.StopOrphansAsync(cancellationToken).ConfigureAwait(false));
        }

        return done;
    }

    /// <summary>How many attempts run now.</summary>
    internal int AttemptsRunning => _attempts.Count;

    /// <summary>Completes when every attempt running now has ended (a cancelled one once its process group is gone).</summary>
    /// <returns>A task that never faults.</returns>
    internal Task AttemptsEnded() => Task.WhenAll(_attempts.Keys);

    /// <summary>Finds the executor of an implementation.</summary>
    /// <param name="implementation">The implementation.</param>
    /// <returns>The executor, or <see langword="null"/> if none claims it (an unknown <c>orchestra:</c> name).</returns>
    public IOperationExecutor? Find(string implementation)
    {
        foreach (var executor in _executors)
        {
            if (executor.CanExecute(implementation))
            {
                return executor;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs one attempt with its timeout: the executor's token fires on timeout, on <paramref name="cancellationToken"/>, or when the
    /// lease the deployment runs under here has gone a whole TTL without a successful renewal (or was lost); the outcome says which
    /// (cancelled, with the lease's reason, for the last). An executor that throws gives a failed attempt with the exception's message;
    /// it never escapes.
    /// </summary>
    /// <param name="request">The attempt.</param>
    /// <param name="timeProvider">The clock of the timeout.</param>
    /// <param name="cancellationToken">Fires when the deployment is cancelled.</param>
    /// <returns>The outcome.</returns>
    public async Task<OperationResult> RunAsync(OperationRequest request, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attempt = RunAttemptAsync(request, timeProvider, cancellationToken);
        _attempts.TryAdd(attempt, 0);
        try
        {
            return await attempt.ConfigureAwait(false);
        }
        finally
        {
            _attempts.TryRemove(attempt, out _);
        }
    }

    private async Task<OperationResult> RunAttemptAsync(OperationRequest request, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var executor = Find(request.Implementation);
        if (executor is null)
        {
            return OperationResult.Failed($"no executor for implementation '{request.Implementation}' (built-ins are orchestra:noop, orchestra:sleep, orchestra:fail)");
        }

        var lease = Watchdog.Of(request.DeploymentId);
        if (lease is { IsExpired: true, Reason: { } expired })
        {
            return OperationResult.Cancelled() with { Error = "not started: " + expired };
        }

        using var timeout = new CancellationTokenSource(request.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, lease?.Expired ?? CancellationToken.None);
        OperationResult result;
        try
        {
            result = await executor.ExecuteAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            result = OperationResult.Cancelled();
        }
#pragma warning disable CA1031 // A plugin's bug must become a failed attempt, never a crashed coordinator.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return OperationResult.Failed($"{executor.GetType().Name} threw {ex.GetType().Name}: {ex.Message}");
        }

        // The executor's warnings (e.g. an orphan it stopped first) survive the translation.
        if (result.Outcome != OperationOutcome.Succeeded && lease is { IsExpired: true, Reason: { } why })
        {
            return OperationResult.Cancelled() with { Error = "stopped: " + why, Warnings = result.Warnings, Stdout = result.Stdout, Stderr = result.Stderr };
        }

        if (result.Outcome != OperationOutcome.Succeeded && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return OperationResult.TimedOut(request.Timeout) with { Warnings = result.Warnings, Stdout = result.Stdout, Stderr = result.Stderr };
        }

        return result.Outcome == OperationOutcome.Failed && cancellationToken.IsCancellationRequested
            ? OperationResult.Cancelled() with { Warnings = result.Warnings, Stdout = result.Stdout, Stderr = result.Stderr }
            : result;
    }
}
