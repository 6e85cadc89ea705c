using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// The lease deadline of every deployment incarnation of a host (see <see cref="LeaseDeadline"/>), by deployment: the host starts
/// one when it takes a lease and ends it when the incarnation stops; <see cref="ExecutorRegistry.RunAsync"/> links the current one
/// into each attempt's token, so an attempt never outlives the lease it was started under by more than the kill grace period.
/// </summary>
/// <remarks>Thread-safe. Deployments run without leases have no deadline and are never stopped by it.</remarks>
internal sealed partial class LeaseWatchdog(TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, LeaseDeadline> _deadlines = new(StringComparer.Ordinal);

    /// <summary>Starts the deadline of a lease just taken; it replaces the deadline of the deployment's previous incarnation.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="acquiredAt">When the lease was asked for.</param>
    /// <param name="ttl">The lease TTL.</param>
    /// <returns>The deadline, to renew and to end with <see cref="End"/>.</returns>
    public LeaseDeadline Start(string deploymentId, DateTimeOffset acquiredAt, TimeSpan ttl)
    {
        var deadline = new LeaseDeadline(deploymentId, acquiredAt, ttl, time, (d, reason) => LogExpired(logger, d.DeploymentId, reason));
        if (_deadlines.TryGetValue(deploymentId, out var previous))
        {
            End(previous);
        }

        _deadlines[deploymentId] = deadline;
        return deadline;
    }

    /// <summary>Ends a deadline (its incarnation stopped).</summary>
    /// <param name="deadline">What <see cref="Start"/> returned.</param>
    public void End(LeaseDeadline deadline)
    {
        _deadlines.TryRemove(new KeyValuePair<string, LeaseDeadline>(deadline.DeploymentId, deadline));
        deadline.Dispose();
    }

    /// <summary>The deadline attempts of <paramref name="deploymentId"/> run under, if it runs under a lease here.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <returns>The deadline, or <see langword="null"/>.</returns>
    public LeaseDeadline? Of(string deploymentId) => _deadlines.TryGetValue(deploymentId, out var deadline) ? deadline : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId}: stopping its running operations (their process groups get SIGTERM, then SIGKILL): {Reason}")]
    private static partial void LogExpired(ILogger logger, string deploymentId, string reason);
}
