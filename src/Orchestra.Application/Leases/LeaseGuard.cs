using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Application.Configuration;
using Orchestra.Engine.Hosting;

namespace Orchestra.Application.Leases;

/// <summary>
/// Makes sure no other live process drives a deployment before this one does: two processes must never drive the
/// same deployment.
/// </summary>
/// <remarks>
/// A lease held by this process, expired or released is free. A lease held by a process of this machine that no
/// longer exists (after a crash or <c>kill -9</c>) is released at once: its journal writes are fenced by epoch, so the
/// dead holder can never write again. A lease held by a live process of this machine is refused at once, with its pid.
/// A lease held on another machine (or by an owner whose liveness cannot be checked) is waited for until it expires,
/// at most <see cref="LeaseOptions.AcquireTimeout"/>, saying so.
/// </remarks>
public sealed partial class LeaseGuard
{
    private readonly ILeaseStore _leases;
    private readonly string _owner;
    private readonly LeaseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the guard.</summary>
    /// <param name="leases">The lease store the engine uses.</param>
    /// <param name="owner">This process's owner name.</param>
    /// <param name="options">Timeouts.</param>
    /// <param name="time">The clock (the lease store's).</param>
    /// <param name="logger">Where waiting and takeovers are logged.</param>
    public LeaseGuard(ILeaseStore leases, string owner, LeaseOptions options, TimeProvider time, ILogger logger)
    {
        _leases = leases;
        _owner = owner;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The lease entity of a deployment (the persistence id of its actor, which the journal fences).</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <returns><c>deployment-ID</c>.</returns>
    public static string EntityId(string deploymentId) => "deployment-" + deploymentId;

    /// <summary>The lease entity of one run of a deployment: each run is leased on its own (see <see cref="DeploymentRuns"/>).</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="run">The run, from 1.</param>
    /// <returns><c>deployment-ID</c> for run 1, <c>deployment-ID~RUN</c> after it.</returns>
    public static string EntityId(string deploymentId, int run) => DeploymentRuns.PersistenceId(deploymentId, run);

    /// <summary>Returns once this process may drive run 1 of <paramref name="deploymentId"/>.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="wait">Whether to wait for a lease held elsewhere to expire (otherwise refuse at once).</param>
    /// <param name="progress">Told what is happening (taking over from a dead process, waiting for expiry).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="DeploymentLeaseHeldException">Another live process holds the lease (and waiting is not allowed or timed out).</exception>
    public Task EnsureFreeAsync(string deploymentId, bool wait, Action<string>? progress, CancellationToken cancellationToken) =>
        EnsureFreeAsync(deploymentId, 1, wait, progress, cancellationToken);

    /// <summary>Returns once this process may drive run <paramref name="run"/> of <paramref name="deploymentId"/>.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="run">The run, from 1.</param>
    /// <param name="wait">Whether to wait for a lease held elsewhere to expire (otherwise refuse at once).</param>
    /// <param name="progress">Told what is happening (taking over from a dead process, waiting for expiry).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="DeploymentLeaseHeldException">Another live process holds the lease (and waiting is not allowed or timed out).</exception>
    public async Task EnsureFreeAsync(string deploymentId, int run, bool wait, Action<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.AcquireTimeout;
        var announced = false;
        while (true)
        {
            var lease = await _leases.GetAsync(EntityId(deploymentId, run), cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (lease is null || lease.IsExpiredAt(now) || string.Equals(lease.Owner, _owner, StringComparison.Ordinal))
            {
                return;
            }

            LeaseOwnerIdentity.TryParse(lease.Owner, out var holder);
            if (holder is { IsOnThisMachine: true })
            {
                if (holder.IsDeadLocalProcess())
                {
                    await _leases.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
                    LogTakeover(_logger, deploymentId, holder.ProcessId);
                    progress?.Invoke($"The previous run of '{deploymentId}' (process {holder.ProcessId}) is gone; taking over.");
                    return;
                }

                throw new DeploymentLeaseHeldException(deploymentId, lease.Owner,
                    $"Deployment '{deploymentId}' is being driven by process {holder.ProcessId} on this machine. " +
                    "Two processes must never drive the same deployment: wait for it to finish, stop it (Ctrl-C), " +
                    "or act on it through the server that runs it (--server).");
            }

            if (!wait || now >= deadline)
            {
                throw new DeploymentLeaseHeldException(deploymentId, lease.Owner,
                    $"Deployment '{deploymentId}' is leased by '{lease.Owner}' until {lease.ExpiresAt:u}" +
                    (wait ? $"; gave up after waiting {_options.AcquireTimeout}." : "."));
            }

            if (!announced)
            {
                announced = true;
                LogWaiting(_logger, deploymentId, lease.Owner, lease.ExpiresAt);
                progress?.Invoke($"Deployment '{deploymentId}' is leased by '{lease.Owner}', which cannot be checked from here; " +
                    $"waiting for the lease to expire at {lease.ExpiresAt:u} (at most {_options.AcquireTimeout}).");
            }

            var pause = lease.ExpiresAt - now;
            if (pause > _options.AcquirePollInterval)
            {
                pause = _options.AcquirePollInterval;
            }

            await Task.Delay(pause < TimeSpan.Zero ? TimeSpan.Zero : pause, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who holds the lease of run <paramref name="run"/> of <paramref name="deploymentId"/> now, if anyone (an expired lease is held by no one).</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="run">The run, from 1 (<see cref="Nodes.OrchestraNode.LeaseHolderAsync"/> finds the latest).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holder's owner name (<see cref="LeaseOwnerIdentity"/> for a local process), or <see langword="null"/>.</returns>
    public async Task<string?> HolderAsync(string deploymentId, int run, CancellationToken cancellationToken)
    {
        var lease = await _leases.GetAsync(EntityId(deploymentId, run), cancellationToken).ConfigureAwait(false);
        return lease is null || lease.IsExpiredAt(_time.GetUtcNow()) ? null : lease.Owner;
    }

    /// <summary>Releases the lease of run 1 of <paramref name="deploymentId"/> if its holder is a process of this machine that no longer exists.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether a dead holder's lease was released.</returns>
    public Task<bool> ReleaseIfHolderDeadAsync(string deploymentId, CancellationToken cancellationToken) =>
        ReleaseIfHolderDeadAsync(deploymentId, 1, cancellationToken);

    /// <summary>Releases the lease of run <paramref name="run"/> of <paramref name="deploymentId"/> if its holder is a process of this machine that no longer exists.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="run">The run, from 1.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether a dead holder's lease was released.</returns>
    public async Task<bool> ReleaseIfHolderDeadAsync(string deploymentId, int run, CancellationToken cancellationToken)
    {
        var lease = await _leases.GetAsync(EntityId(deploymentId, run), cancellationToken).ConfigureAwait(false);
        if (lease is null || lease.IsExpiredAt(_time.GetUtcNow()) || string.Equals(lease.Owner, _owner, StringComparison.Ordinal)
            || !LeaseOwnerIdentity.TryParse(lease.Owner, out var holder) || !holder.IsDeadLocalProcess())
        {
            return false;
        }

        var released = await _leases.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        if (released)
        {
            LogTakeover(_logger, deploymentId, holder.ProcessId);
        }

        return released;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId}: lease holder process {ProcessId} is dead; lease released")]
    private static partial void LogTakeover(ILogger logger, string deploymentId, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId}: waiting for the lease of {Owner} to expire at {ExpiresAt}")]
    private static partial void LogWaiting(ILogger logger, string deploymentId, string owner, DateTimeOffset expiresAt);
}
