using System.Text.Json;
using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Hosting;

// A name's runs (see DeploymentRuns): which run a submission goes to, reading an earlier run, and forgetting a name.
public sealed partial class DeploymentsHost
{
    /// <inheritdoc/>
    /// <remarks>
    /// This host's actors of the name's runs (settled, since the latest run has ended) are stopped first and their leases released; with
    /// leases enabled, every run's lease is then taken by this host, so that no other owner can start one of them while its rows go, and
    /// the rows (journal, snapshots, leases) are erased in one transaction.
    /// </remarks>
    public async Task<int> DeleteAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        var runs = await _reader.RunsAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        var latest = runs.Count == 0 ? null : await GetRunAsync(deploymentId, runs[^1], cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            throw new DeploymentNotFoundException(deploymentId);
        }

        if (!DeploymentRuns.HasEnded(latest))
        {
            throw new DeploymentCommandRejectedException(deploymentId, latest.Status,
                $"deployment '{deploymentId}' cannot be deleted: {DeploymentRuns.WayForward(latest)}, then delete it");
        }

        var ids = runs.Select(run => DeploymentRuns.PersistenceId(deploymentId, run)).ToArray();
        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = new List<Lease>();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var stopping = new List<Task>();
            foreach (var id in ids)
            {
                if (_actors.TryGetValue(id, out var incarnation))
                {
                    _system.Value.Stop(incarnation.Actor);
                    stopping.Add(incarnation.Stopped);
                }
            }

            await Task.WhenAll(stopping).WaitAsync(_options.CommandTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var releases = ids.Select(id => _releases.TryGetValue(id, out var release) ? release.Release : Task.CompletedTask);
            await Task.WhenAll(releases).WaitAsync(_options.CommandTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (_options.LeasesEnabled)
            {
                foreach (var id in ids)
                {
                    var lease = await _persistence.Leases.TryAcquireAsync(id, _options.Owner, _options.LeaseTtl, cancellationToken).ConfigureAwait(false);
                    if (lease is null)
                    {
                        throw new DeploymentCommandRejectedException(deploymentId, latest.Status,
                            $"deployment '{deploymentId}' is run by another owner: delete it there");
                    }

                    taken.Add(lease);
                }
            }

            await _persistence.EraseAsync(ids, cancellationToken).ConfigureAwait(false);
            taken.Clear();
            return runs.Count;
        }
        finally
        {
            // Taken for the erase, which did not happen: let them go at once rather than at expiry.
            foreach (var lease in taken)
            {
                await ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }

            _starting.Release();
        }
    }

    // The run a submission goes to: the latest, unless it has ended, then the next one (run 1 for a new name). A different plan for a
    // latest run that no actor runs here is refused from the store, without starting the run's actor: starting it would carry on a
    // detached or interrupted deployment that the refused caller never asked to run. Existing is that run as loaded from the store
    // when it runs the same plan (so a detached submission can answer with it without loading it again), else null.
    private async Task<(int Run, (DeploymentState State, long SequenceNr)? Existing)> SubmissionRunAsync(
        string deploymentId, DeploymentPlan plan, CancellationToken cancellationToken)
    {
        var latest = await LatestRunAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (latest == 0)
        {
            return (1, null);
        }

        if (_actors.ContainsKey(DeploymentRuns.PersistenceId(deploymentId, latest)))
        {
            var live = await GetRunAsync(deploymentId, latest, cancellationToken).ConfigureAwait(false);
            return (live is not null && DeploymentRuns.HasEnded(live) ? latest + 1 : latest, null);
        }

        (DeploymentState State, long SequenceNr)? loaded;
        try
        {
            loaded = await _reader.LoadAsync(deploymentId, latest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventDeserializationException or JournalCorruptedException)
        {
            throw new DeploymentUnavailableException(deploymentId, $"deployment '{deploymentId}' cannot be read: {e.Message}", e);
        }

        if (loaded is not { } found)
        {
            return (latest, null);
        }

        var view = found.State.ToView(found.SequenceNr);
        if (DeploymentRuns.HasEnded(view))
        {
            return (latest + 1, null);
        }

        return SamePlan(found.State.Plan, plan)
            ? (latest, found)
            : throw new DeploymentCommandRejectedException(deploymentId, view.Status, DeploymentRuns.WhyNoOtherPlan(view));
    }

    // The comparison the deployment actor makes for an identical re-submission.
    private static bool SamePlan(DeploymentPlan existing, DeploymentPlan submitted) =>
        JsonSerializer.Serialize(existing, EventSerializer.DefaultJsonOptions) == JsonSerializer.Serialize(submitted, EventSerializer.DefaultJsonOptions);

    /// <summary>
    /// The latest run of a name, from the store's persistence ids alone (no journal is replayed): what a caller needs to address the
    /// run's lease or actor.
    /// </summary>
    /// <param name="deploymentId">The deployment name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run number, from 1; 0 when the name has no events (a submission in flight in this host is not counted).</returns>
    public async Task<int> LatestRunAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        await _reader.RunsAsync(deploymentId, cancellationToken).ConfigureAwait(false) is { Count: > 0 } runs ? runs[^1] : 0;
}
