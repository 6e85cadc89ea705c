using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// A deployment name's runs: each deploy of a name whose latest run has ended starts a new run, journaled under its own persistence id,
/// and the earlier runs stay readable.
/// </summary>
/// <remarks>
/// <para>Run 1 keeps the persistence id release 1 gave the deployment, <c>deployment-NAME</c>, so a release-1 store reads as run 1
/// unchanged; run N &gt; 1 is <c>deployment-NAME~N</c>, with a separator (<see cref="Separator"/>) that a name can never contain (names
/// allow only letters, digits, <c>-</c>, <c>_</c> and <c>.</c>). The latest run of a name is found from the persistence ids that start with
/// <c>deployment-NAME</c>, never by reading events. Each run is its own entity: its own actor, its own lease, its own idempotency keys.</para>
/// <para>A run has <em>ended</em> (<see cref="HasEnded"/>) when nothing of it is left deployed: it is <see cref="DeploymentStatus.Undeployed"/>,
/// or <see cref="DeploymentStatus.Cancelled"/> or <see cref="DeploymentStatus.RolledBack"/> with no node left deployed
/// (<see cref="DeploymentView.DeployedNodes"/> is 0). Only then may the name be deployed again with any template, or deleted.</para>
/// </remarks>
public static class DeploymentRuns
{
    /// <summary>What separates a name from its run number in a persistence id (<c>deployment-web~2</c>).</summary>
    public const char Separator = '~';

    /// <summary>The persistence id prefix of every deployment run.</summary>
    public const string Prefix = "deployment-";

    /// <summary>The persistence id (and lease entity id) of a run.</summary>
    /// <param name="deploymentId">The deployment's name.</param>
    /// <param name="run">The run, from 1.</param>
    /// <returns><c>deployment-NAME</c> for run 1, <c>deployment-NAME~RUN</c> after it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="run"/> is below 1.</exception>
    public static string PersistenceId(string deploymentId, int run)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        return run == 1 ? Prefix + deploymentId : Prefix + deploymentId + Separator + run.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a persistence id written by <see cref="PersistenceId"/> back into its name and run.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="deploymentId">The name.</param>
    /// <param name="run">The run.</param>
    /// <returns>Whether it is a deployment run's persistence id.</returns>
    public static bool TryParse(string persistenceId, [NotNullWhen(true)] out string? deploymentId, out int run)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        deploymentId = null;
        run = 0;
        if (!persistenceId.StartsWith(Prefix, StringComparison.Ordinal) || persistenceId.Length == Prefix.Length)
        {
            return false;
        }

        var rest = persistenceId[Prefix.Length..];
        var separator = rest.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0)
        {
            (deploymentId, run) = (rest, 1);
            return true;
        }

        if (separator == 0 || !int.TryParse(rest.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out run) || run < 2)
        {
            run = 0;
            return false;
        }

        deploymentId = rest[..separator];
        return true;
    }

    /// <summary>Whether a run is over, so that its name may be deployed again (as a new run) or deleted.</summary>
    /// <param name="view">The run's view.</param>
    /// <returns><see langword="true"/> when it is Undeployed, or Cancelled or RolledBack with no node left deployed.</returns>
    public static bool HasEnded(DeploymentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Status == DeploymentStatus.Undeployed
            || (view.Status is DeploymentStatus.Cancelled or DeploymentStatus.RolledBack && view.DeployedNodes == 0);
    }

    /// <summary>What must happen before a run that has not ended is over, in words: the way forward for deploy and delete.</summary>
    /// <param name="view">The run's view (one that has not ended).</param>
    /// <returns>E.g. <c>it is Succeeded with 3 nodes deployed: undeploy it first</c>.</returns>
    public static string WayForward(DeploymentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var deployed = view.DeployedNodes == 1 ? "1 node deployed" : $"{view.DeployedNodes} nodes deployed";
        return view.Status switch
        {
            // A pending run (deploy --detach) has run nothing, and nothing drives it until a resume: cancelled, it has ended.
            DeploymentStatus.Pending => "it is Pending (submitted, nothing has run yet): cancel it, then deploy again",
            DeploymentStatus.Running => "it is Running: cancel it (or wait until it settles), then undeploy it",
            DeploymentStatus.Pausing or DeploymentStatus.Halting or DeploymentStatus.RollingBack or DeploymentStatus.Cancelling =>
                $"it is {view.Status}: wait until it settles, then undeploy it",
            DeploymentStatus.Undeploying => "it is being undeployed: wait until it is Undeployed",
            _ => $"it is {view.Status} with {deployed}: undeploy it first",
        };
    }

    /// <summary>Why a different plan cannot be deployed under the name of a run that has not ended.</summary>
    /// <param name="view">The run's view.</param>
    /// <returns>The refusal, naming the way forward.</returns>
    public static string WhyNoOtherPlan(DeploymentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return $"deployment '{view.DeploymentId}' runs a different template or other inputs, and {WayForward(view)}, then deploy again " +
            "(updating a live deployment is not supported yet)";
    }
}
