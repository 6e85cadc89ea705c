using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Akka.Actor;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Deployments.Actors;
using Orchestra.Engine.Executors;
using Orchestra.Engine.Executors.Internal;
using Orchestra.Engine.Plans;
using Orchestra.Persistence.Provided;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// Runs deployments on an <see cref="ActorSystem"/> against a store: one persistent <c>DeploymentActor</c> per deployment run
/// (persistence id <c>deployment-&lt;id&gt;</c> for run 1, <c>deployment-&lt;id&gt;~N</c> for run N, see <see cref="DeploymentRuns"/>), started on
/// submit, on a command for a deployment not yet running here, or by <see cref="RecoverAllAsync"/>. Every call by name acts on the name's
/// latest run.
/// </summary>
/// <remarks>
/// With <see cref="EngineOptions.LeasesEnabled"/>, a deployment actor runs only under a lease of its persistence id held by
/// <see cref="EngineOptions.Owner"/>: acquired before the actor starts, renewed every <see cref="EngineOptions.LeaseRenewInterval"/>,
/// and every journal write is fenced with it; when a renewal finds that another owner took the lease over, the actor stops (a renewal
/// that throws is tried again at the next tick), and once none has succeeded for a TTL, the lease's <c>LeaseDeadline</c> (a timer outside
/// the mailbox) cancels its running attempts, process groups killed, and the actor journals nothing more. A deployment leased by
/// a live owner elsewhere is read from the store and commands to it are rejected. When an actor stops, the host releases its lease, and
/// a deployment started here again waits for that release to land first, so it takes the lease at a new epoch and the old release can
/// never free the new actor's lease;
/// <see cref="DisposeAsync"/> stops every actor, waits for them (at most <see cref="EngineOptions.CommandTimeout"/>) and then releases
/// every lease this host still holds (best effort, bounded by the same timeout), so that another owner can take over at once instead
/// of waiting for expiry. Thread-safe.
/// </remarks>
public sealed partial class DeploymentsHost : IDeploymentsHost
{
    private readonly Lazy<ActorSystem> _system;
    private readonly Lazy<EngineActorSystem>? _ownedSystem;
    private readonly IPersistence _persistence;
    private readonly EngineOptions _options;
    private readonly ExecutorRegistry _executors;
    private readonly EventSerializer _serializer;
    private readonly DeploymentReader _reader;
    private readonly ILogger _logger;
    private readonly NotificationHub _notifications;
    private long _incarnations;
    private readonly ConcurrentDictionary<string, Incarnation> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IActorRef, TaskCompletionSource<DeploymentUnavailableException?>> _running = new();
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Lease Lease, Task Release)> _releases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private int _disposed;

    /// <summary>Creates the host. Nothing starts until a call needs it (see <see cref="RecoverAllAsync"/> at process start).</summary>
    /// <param name="system">
    /// The actor system the deployment actors run on (see <see cref="EngineActorSystem"/>); notifications also go to its EventStream. Its
    /// journal and snapshot store are <paramref name="persistence"/>'s, given to it here.
    /// </param>
    /// <param name="persistence">The journal, snapshot store and lease store.</param>
    /// <param name="options">The engine options; validated here.</param>
    /// <param name="executors">The executors; <see langword="null"/> for the built-ins and processes.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The actor system already writes to another store.</exception>
    public DeploymentsHost(ActorSystem system, IPersistence persistence, EngineOptions options, ExecutorRegistry? executors = null, ILoggerFactory? loggerFactory = null)
        : this(new Lazy<ActorSystem>(system ?? throw new ArgumentNullException(nameof(system))), null, persistence, options, executors, loggerFactory)
    {
        ProvidedStore.Provide(system, persistence);
    }

    private DeploymentsHost(Lazy<ActorSystem> system, Lazy<EngineActorSystem>? owned, IPersistence persistence, EngineOptions options, ExecutorRegistry? executors, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _system = system;
        _ownedSystem = owned;
        _persistence = persistence;
        _options = options;
        _executors = executors ?? new ExecutorRegistry(options);
        _serializer = EngineActorSystem.DeploymentSerializer;
        _reader = new DeploymentReader(persistence, _serializer);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DeploymentsHost>();
        _notifications = new NotificationHub(_logger);
    }

    /// <summary>
    /// Creates a host that starts its own actor system only when a deployment actor or a subscription first needs it, and terminates it
    /// when disposed: a process that only reads (status, history, logs, a listing) never pays for an actor system's start.
    /// </summary>
    /// <param name="name">The actor system's name.</param>
    /// <param name="persistence">The journal, snapshot store and lease store (the actor system writes through them).</param>
    /// <param name="options">The engine options; validated here.</param>
    /// <param name="executors">The executors; <see langword="null"/> for the built-ins and processes.</param>
    /// <param name="loggerFactory">Where the engine and Akka log; <see langword="null"/> for nowhere.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DeploymentsHost WithActorSystemOnDemand(string name, IPersistence persistence, EngineOptions options, ExecutorRegistry? executors = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(persistence);
        var owned = new Lazy<EngineActorSystem>(() =>
        {
            var system = EngineActorSystem.Create(name, loggerFactory);
            ProvidedStore.Provide(system, persistence);
            return system;
        });
        return new DeploymentsHost(new Lazy<ActorSystem>(() => owned.Value.System), owned, persistence, options, executors, loggerFactory);
    }

    /// <inheritdoc/>
    public async Task<DeploymentView> SubmitAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options = null, CancellationToken cancellationToken = default) =>
        (await SubmitNewAsync(deploymentId, plan, options, cancellationToken).ConfigureAwait(false)).View;

    /// <inheritdoc/>
    public Task<SubmitResult> SubmitNewAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(deploymentId, plan, options, start: true, cancellationToken);

    /// <summary>
    /// Journals a new deployment's submission and starts nothing: it stays <see cref="DeploymentStatus.Pending"/> for whoever drives it
    /// next (<see cref="RecoverAllAsync"/> here or in another process, or a command). Its actor stops once the submission is durable, and
    /// its lease is released.
    /// </summary>
    /// <param name="deploymentId">The id: 1 to 128 characters among letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not only dots.</param>
    /// <param name="plan">The plan; it is validated first.</param>
    /// <param name="options">Failure action override, inputs and labels; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels waiting (the submission may still have been journaled).</param>
    /// <returns>
    /// The view once <see cref="DeploymentSubmitted"/> is durable, and whether this call wrote it; for an id that exists with the same plan,
    /// its current view, and it is not touched (not even recovered, which would run what was running).
    /// </returns>
    /// <exception cref="ArgumentException">The id is malformed.</exception>
    /// <exception cref="PlanValidationException">The plan cannot run, or is too large to journal.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The id is taken by a different plan.</exception>
    public Task<SubmitResult> SubmitWithoutStartingAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(deploymentId, plan, options, start: false, cancellationToken);

    private async Task<SubmitResult> SubmitAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options, bool start, CancellationToken cancellationToken)
    {
        CheckId(deploymentId);
        ArgumentNullException.ThrowIfNull(plan);
        var errors = PlanValidator.Validate(plan, _options.MaxPlanBytes);
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }

        var (run, existing) = await SubmissionRunAsync(deploymentId, plan, cancellationToken).ConfigureAwait(false);

        // Detached: an existing run with the same plan is left as it is (not even recovered, which would run what was running).
        if (!start && existing is { } found)
        {
            return new SubmitResult(found.State.ToView(found.SequenceNr), Created: false);
        }

        for (var attempt = 1; ; attempt++)
        {
            var actor = await ActorForAsync(deploymentId, run, create: true, cancellationToken).ConfigureAwait(false)
                ?? throw new DeploymentCommandRejectedException(deploymentId, DeploymentStatus.Pending, $"deployment '{deploymentId}' is run by another owner");
            var reply = await AskAsync(deploymentId, actor, new SubmitDeployment(plan, options ?? SubmitOptions.Default, start), _options.CommandTimeout, cancellationToken).ConfigureAwait(false);

            // The run ended between the look-up and the submission (an undeploy finishing): the submission starts the next run.
            if (attempt == 1 && reply.Rejection is not null && reply.View is { } seen && DeploymentRuns.HasEnded(seen))
            {
                run++;
                continue;
            }

            return new SubmitResult(Unwrap(deploymentId, reply), reply.Created);
        }
    }

    /// <inheritdoc/>
    public async Task<DeploymentView?> GetAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var run = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        return run == 0 ? null : await GetRunAsync(deploymentId, run, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<DeploymentView?> GetRunAsync(string deploymentId, int run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        if (_actors.TryGetValue(DeploymentRuns.PersistenceId(deploymentId, run), out var actor))
        {
            var reply = await AskAsync(deploymentId, actor, GetDeploymentView.Instance, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (!reply.NotFound)
            {
                return reply.View;
            }
        }

        try
        {
            return await _reader.LoadAsync(deploymentId, run, cancellationToken).ConfigureAwait(false) is { } loaded ? loaded.State.ToView(loaded.SequenceNr) : null;
        }
        catch (Exception e) when (e is EventDeserializationException or JournalCorruptedException)
        {
            throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' cannot be read: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        (await SurveyAsync(cancellationToken).ConfigureAwait(false)).Deployments;

    /// <summary>Like <see cref="ListAsync"/>, and also names the deployments that exist but cannot be read, with why.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The readable deployments' summaries, and one exception per unreadable deployment.</returns>
    public async Task<DeploymentSurvey> SurveyAsync(CancellationToken cancellationToken = default)
    {
        var summaries = new List<DeploymentSummary>();
        var unreadable = new List<DeploymentUnavailableException>();
        foreach (var (id, run) in await _reader.ListLatestRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await GetRunAsync(id, run, cancellationToken).ConfigureAwait(false) is { } view)
                {
                    summaries.Add(view.ToSummary());
                }
            }
            catch (DeploymentUnavailableException e)
            {
                // One unreadable deployment must not hide the others, nor be hidden by them.
                LogUnavailable(e, id);
                unreadable.Add(e);
            }
        }

        return new DeploymentSurvey(summaries, unreadable);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var run = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        return run == 0 ? [] : await GetRunHistoryAsync(deploymentId, run, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> GetRunHistoryAsync(string deploymentId, int run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        try
        {
            return await _reader.HistoryAsync(deploymentId, run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventDeserializationException or JournalCorruptedException)
        {
            throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' cannot be read: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AttemptLog>?> GetLogsAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var run = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (run == 0)
        {
            return null;
        }

        try
        {
            return await _reader.LogsAsync(deploymentId, run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventDeserializationException or JournalCorruptedException)
        {
            throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' cannot be read: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public Task<DeploymentView> CancelAsync(string deploymentId, string? reason = null, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentId, new DeploymentCancelRequested(_options.TimeProvider.GetUtcNow(), reason), cancellationToken);

    /// <inheritdoc/>
    public Task<DeploymentView> PauseAsync(string deploymentId, string? reason = null, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentId, new DeploymentPauseRequested(_options.TimeProvider.GetUtcNow(), reason), cancellationToken);

    /// <inheritdoc/>
    public Task<DeploymentView> ResumeAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentId, new DeploymentResumed(_options.TimeProvider.GetUtcNow()), cancellationToken);

    /// <inheritdoc/>
    public Task<DeploymentView> RetryAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentId, new FailedTasksRetried(_options.TimeProvider.GetUtcNow()), cancellationToken);

    /// <inheritdoc/>
    public Task<DeploymentView> UndeployAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentId, new UndeployRequested(_options.TimeProvider.GetUtcNow()), cancellationToken);

    /// <inheritdoc/>
    public async Task<DeploymentView> WaitAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var run = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var actor = await ActorForAsync(deploymentId, Math.Max(run, 1), create: false, cancellationToken).ConfigureAwait(false);
        if (actor is null)
        {
            // Run elsewhere: poll the store.
            while (true)
            {
                var view = await GetAsync(deploymentId, cancellationToken).ConfigureAwait(false) ?? throw new DeploymentNotFoundException(deploymentId);
                if (view.Status.IsSettled())
                {
                    return view;
                }

                await Task.Delay(_options.LeaseRenewInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        var reply = await AskAsync(deploymentId, actor, WaitUntilSettled.Instance, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return Unwrap(deploymentId, reply);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> RecoverAllAsync(CancellationToken cancellationToken = default)
    {
        var started = new ConcurrentBag<string>();
        // Only a name's latest run can be unsettled: a new run starts only once the previous one has ended.
        var runs = await _reader.ListLatestRunsAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = _options.RecoveryParallelism, CancellationToken = cancellationToken }, async (latest, ct) =>
        {
            var (id, run) = latest;
            try
            {
                var persistenceId = DeploymentRuns.PersistenceId(id, run);
                if (_actors.ContainsKey(persistenceId) || await IsSettledAsync(persistenceId, ct).ConfigureAwait(false))
                {
                    return;
                }

                if (await ActorForAsync(id, run, create: false, ct).ConfigureAwait(false) is { } actor)
                {
                    // Wait until it has recovered, so that the permits bound concurrent recoveries.
                    await AskAsync(id, actor, GetDeploymentView.Instance, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
                    started.Add(id);
                }
            }
            catch (Exception e) when (e is DeploymentUnavailableException or EventDeserializationException or JournalCorruptedException)
            {
                // A deployment whose journal cannot be replayed stays as it is; the others recover.
                LogUnavailable(e, id);
            }
        }).ConfigureAwait(false);

        // What a dead engine left running and nothing re-runs (e.g. a cancel it was finishing) is stopped now; re-run operations
        // stop their own previous process before they start.
        foreach (var line in await _executors.StopOrphansAsync(cancellationToken).ConfigureAwait(false))
        {
            LogOrphanSwept(line);
        }

        return [.. started.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action<DeploymentNotification> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _notifications.Subscribe(handler);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Stops every deployment actor, waits until they have stopped, then releases every lease the host still holds (the epoch is kept,
    /// so another owner acquiring it gets a higher one and fences out anything stale). Each phase is bounded by
    /// <see cref="EngineOptions.CommandTimeout"/>; a failed or late release is logged and left to expire.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Hold the start lock so that no actor (and no lease) is being added while shutting down.
        await _starting.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var incarnation in _actors.Values)
            {
                _system.Value.Stop(incarnation.Actor);
            }

            _actors.Clear();
            var stopped = Task.WhenAll(_running.Values.Select(t => t.Task));
            try
            {
                await stopped.WaitAsync(_options.CommandTimeout, _options.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogStopTimedOut(_running.Count, _options.CommandTimeout);
            }

            // A stopped attempt's process group gets SIGTERM, then SIGKILL after the grace period: wait for that, so that what was
            // running is gone when the process that ran it exits (a process left anyway is stopped by the next engine's sweep).
            try
            {
                await _executors.AttemptsEnded().WaitAsync(_options.KillGracePeriod + _options.CommandTimeout, _options.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogAttemptsOutlivedStop(_executors.AttemptsRunning, _options.KillGracePeriod + _options.CommandTimeout);
            }

            await ReleaseLeasesAsync().ConfigureAwait(false);
            if (_ownedSystem is { IsValueCreated: true })
            {
                await _ownedSystem.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _starting.Release();
            _starting.Dispose();
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        var leases = _leases.Values.ToList();
        _leases.Clear();
        try
        {
            await Task.WhenAll(_releases.Values.Select(r => r.Release)).WaitAsync(_options.CommandTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Logged by the release itself when it fails; a hung store leaves the leases to expire.
        }

        if (leases.Count == 0)
        {
            return;
        }

        // False when it was already released or lost to another owner: nothing to do either way.
        using var timeout = new CancellationTokenSource(_options.CommandTimeout, _options.TimeProvider);
        await Task.WhenAll(leases.Select(lease => ReleaseAsync(lease, timeout.Token))).ConfigureAwait(false);
    }

    private async Task<DeploymentView> CommandAsync(string deploymentId, DeploymentEvent command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var run = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var actor = await ActorForAsync(deploymentId, Math.Max(run, 1), create: false, cancellationToken, command).ConfigureAwait(false);
        if (actor is null)
        {
            var status = (await GetAsync(deploymentId, cancellationToken).ConfigureAwait(false))?.Status ?? throw new DeploymentNotFoundException(deploymentId);
            throw new DeploymentCommandRejectedException(deploymentId, status, $"deployment '{deploymentId}' is run by another owner: send the command there");
        }

        var view = Unwrap(deploymentId, await AskAsync(deploymentId, actor, new DeploymentCommand(command), _options.CommandTimeout, cancellationToken).ConfigureAwait(false));
        if (command is DeploymentCancelRequested)
        {
            // A cancelled operation never runs again, so nothing else would stop the script a dead engine left running for it (the sweep
            // leaves the processes of live engines alone).
            foreach (var line in await _executors.StopOrphansAsync(cancellationToken).ConfigureAwait(false))
            {
                LogOrphanSwept(line);
            }
        }

        return view;
    }

    private static DeploymentView Unwrap(string deploymentId, DeploymentReply reply) =>
        reply.NotFound ? throw new DeploymentNotFoundException(deploymentId)
        : reply.Rejection is { } why ? throw new DeploymentCommandRejectedException(deploymentId, reply.View?.Status ?? DeploymentStatus.Pending, why)
        : reply.View!;

    // Asks the deployment's actor. If it stops before it answers, the ask ends at once instead of waiting for a timeout that may be
    // infinite: with why (a journal it cannot replay, a failed write, a lost lease), or, when it stopped only to free memory (a settled
    // deployment passivated just as the request arrived), by asking its next incarnation.
    private async Task<DeploymentReply> AskAsync(string deploymentId, Incarnation actor, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var ask = actor.Actor.Ask<DeploymentReply>(message, timeout, abandon.Token);
            if (await Task.WhenAny(ask, actor.Stopped).ConfigureAwait(false) == ask || ask.IsCompleted)
            {
                return await ask.ConfigureAwait(false);
            }

            await abandon.CancelAsync().ConfigureAwait(false);
            if (await actor.Stopped.ConfigureAwait(false) is { } why)
            {
                throw why;
            }

            if (_disposed != 0 || attempt == 3)
            {
                throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' stopped before answering (its host is shutting down)", null);
            }

            actor = await ActorForAsync(actor.DeploymentId, actor.Run, create: false, cancellationToken).ConfigureAwait(false)
                ?? throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' is now run by another owner", null);
        }
    }

    // Finds the live actor of a deployment, or starts one (taking its lease first when leases are enabled). Returns null when the
    // deployment does not exist (and create is false) or is leased by another live owner.
    // A command for a deployment not running here is decided by the new incarnation right after recovery (see
    // DeploymentActorSettings.FirstCommand).
    private async Task<Incarnation?> ActorForAsync(string deploymentId, int run, bool create, CancellationToken cancellationToken, DeploymentEvent? firstCommand = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var persistenceId = DeploymentRuns.PersistenceId(deploymentId, run);
        if (_actors.TryGetValue(persistenceId, out var existing))
        {
            return existing;
        }

        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_actors.TryGetValue(persistenceId, out existing))
            {
                return existing;
            }

            if (!create && await _persistence.Journal.ReadHighestSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DeploymentNotFoundException(deploymentId);
            }

            // A stopped incarnation's lease is released again here, awaited, before it is taken: taking a live lease as the same owner
            // keeps its epoch, and the first release, if it lands late, would then free the new incarnation's lease. Released first, the
            // lease is taken at a new epoch, which a late release (naming the old one) leaves alone.
            if (_releases.TryRemove(persistenceId, out var previous))
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(_options.CommandTimeout);
                await _persistence.Leases.ReleaseAsync(previous.Lease, bounded.Token).ConfigureAwait(false);
            }

            Lease? lease = null;
            LeaseDeadline? deadline = null;
            if (_options.LeasesEnabled)
            {
                // Asked for before the store starts the TTL, so the deadline here is never later than the store's expiry.
                var askedAt = _options.TimeProvider.GetUtcNow();
                lease = await _persistence.Leases.TryAcquireAsync(persistenceId, _options.Owner, _options.LeaseTtl, cancellationToken).ConfigureAwait(false);
                if (lease is null)
                {
                    LogLeasedElsewhere(deploymentId);
                    return null;
                }

                _leases[persistenceId] = lease;
                deadline = _executors.Watchdog.Start(deploymentId, askedAt, _options.LeaseTtl);
            }

            var stopped = new TaskCompletionSource<DeploymentUnavailableException?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var settings = new DeploymentActorSettings(deploymentId, _persistence, _serializer, _executors, _options, lease, deadline, (id, stoppedActor, reason) =>
            {
                if (deadline is not null)
                {
                    _executors.Watchdog.End(deadline);
                }

                OnStopped(persistenceId, stoppedActor);
                _running.TryRemove(stoppedActor, out _);
                stopped.TrySetResult(reason);
            }, _logger, _notifications, run, firstCommand is DeploymentPauseRequested or DeploymentCancelRequested ? firstCommand : null);
            // Each incarnation has its own name: a stopped actor's name stays reserved until its parent has processed the stop, and a
            // request may come back for the deployment before that.
            var actor = _system.Value.ActorOf(DeploymentActor.Props(settings), $"{persistenceId}.{Interlocked.Increment(ref _incarnations)}");
            var incarnation = new Incarnation(actor, stopped.Task, deploymentId, run);
            _running[actor] = stopped;
            if (stopped.Task.IsCompleted)
            {
                _running.TryRemove(actor, out _);
            }
            else
            {
                _actors[persistenceId] = incarnation;
            }

            return incarnation;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Whether a deployment actor of <paramref name="deploymentId"/>'s run <paramref name="run"/> runs in this host now (for tests).</summary>
    internal bool IsRunning(string deploymentId, int run = 1) => _actors.ContainsKey(DeploymentRuns.PersistenceId(deploymentId, run));

    // The actor stopped (passivated, failed, lost its lease, or the host is shutting down): forget it and release its lease, so another
    // owner can take over at once. The release names the epoch, so a lease that already moved on is left alone.
    private void OnStopped(string persistenceId, IActorRef actor)
    {
        if (!_actors.TryGetValue(persistenceId, out var current) || !current.Actor.Equals(actor))
        {
            return;
        }

        _actors.TryRemove(new KeyValuePair<string, Incarnation>(persistenceId, current));
        if (_leases.TryRemove(persistenceId, out var lease))
        {
            var release = (lease, ReleaseAsync(lease));
            _releases[persistenceId] = release;
            _ = ForgetWhenReleasedAsync(persistenceId, release);
        }
    }

    // Once the release has landed there is nothing to order a new acquisition after (and a passivated deployment leaves no entry behind).
    private async Task ForgetWhenReleasedAsync(string persistenceId, (Lease Lease, Task Release) release)
    {
        await release.Release.ConfigureAwait(false);
        _releases.TryRemove(new KeyValuePair<string, (Lease Lease, Task Release)>(persistenceId, release));
    }

    private async Task ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        try
        {
            await _persistence.Leases.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the lease expires on its own.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReleaseFailed(ex, lease.EntityId);
        }
    }

    // One life of a deployment run's actor, with the task that completes when it stops (and why, if it stopped on its own).
    private sealed record Incarnation(IActorRef Actor, Task<DeploymentUnavailableException?> Stopped, string DeploymentId, int Run);

    private async Task<bool> IsSettledAsync(string persistenceId, CancellationToken cancellationToken)
    {
        var highest = await _persistence.Journal.ReadHighestSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        await foreach (var last in _persistence.Journal.ReadEventsAsync(persistenceId, highest, highest, 1, cancellationToken).ConfigureAwait(false))
        {
            return _serializer.Deserialize(last) is DeploymentSucceeded or DeploymentCancelled or DeploymentRolledBack or DeploymentUndeployed or DeploymentHalted or DeploymentPaused;
        }

        return false;
    }

    private static void CheckId(string deploymentId)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        if (deploymentId.Length is 0 or > 128 || !deploymentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || deploymentId.All(c => c == '.'))
        {
            throw new ArgumentException($"Deployment id '{deploymentId}' must be 1 to 128 characters among letters, digits, '-', '_' and '.', not only dots.", nameof(deploymentId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} deployment actors did not stop within {Timeout}; releasing their leases anyway")]
    private partial void LogStopTimedOut(int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} stopped operation attempts had not ended within {Timeout}; the next engine on this store stops what is left of their processes")]
    private partial void LogAttemptsOutlivedStop(int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the lease of {EntityId} on shutdown; it will expire on its own")]
    private partial void LogReleaseFailed(Exception exception, string entityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up sweep: {What}")]
    private partial void LogOrphanSwept(string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId} is unavailable (its journal is left as it is)")]
    private partial void LogUnavailable(Exception exception, string deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} is leased by another live owner; not started here")]
    private partial void LogLeasedElsewhere(string deploymentId);
}
