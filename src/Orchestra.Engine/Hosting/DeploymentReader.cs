using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>Reads deployments straight from the store (snapshot + journal), for deployments that no actor of this host runs.</summary>
/// <param name="persistence">The store.</param>
/// <param name="serializer">The serializer with the deployment events registered.</param>
internal sealed class DeploymentReader(IPersistence persistence, EventSerializer serializer)
{
    public const string Prefix = "deployment-";

    public static string PersistenceId(string deploymentId) => Prefix + deploymentId;

    /// <summary>Rebuilds a deployment's state, or returns <see langword="null"/> if it has no events.</summary>
    public async Task<(DeploymentState State, long SequenceNr)?> LoadAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var id = PersistenceId(deploymentId);
        DeploymentState? state = null;
        long sequenceNr = 0;
        if (await persistence.Snapshots.LoadLatestAsync(id, long.MaxValue, cancellationToken).ConfigureAwait(false) is { } snapshot
            && serializer.Deserialize(snapshot) is DeploymentSnapshot saved)
        {
            DeploymentSubmitted? submitted = null;
            if (saved.Submitted is null)
            {
                await foreach (var first in persistence.Journal.ReadEventsAsync(id, 1, 1, 1, cancellationToken).ConfigureAwait(false))
                {
                    submitted = serializer.Deserialize(first) as DeploymentSubmitted;
                }
            }

            state = DeploymentState.Restore(saved, submitted);
            sequenceNr = snapshot.SequenceNr;
        }

        await foreach (var stored in persistence.Journal.ReadEventsAsync(id, sequenceNr + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var @event = (DeploymentEvent)serializer.Deserialize(stored);
            if (@event is DeploymentSubmitted submitted)
            {
                state ??= DeploymentState.Create(submitted);
            }
            else
            {
                state?.Apply(@event);
            }

            sequenceNr = stored.SequenceNr;
        }

        return state is null ? null : (state, sequenceNr);
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        await foreach (var stored in persistence.Journal.ReadEventsAsync(PersistenceId(deploymentId), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(DeploymentHistory.Describe(stored.SequenceNr, (DeploymentEvent)serializer.Deserialize(stored)));
        }

        return entries;
    }

    /// <summary>Every attempt with its journaled output, or <see langword="null"/> if the deployment has no events.</summary>
    public async Task<IReadOnlyList<AttemptLog>?> LogsAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var events = new List<DeploymentEvent>();
        await foreach (var stored in persistence.Journal.ReadEventsAsync(PersistenceId(deploymentId), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add((DeploymentEvent)serializer.Deserialize(stored));
        }

        return events.Count == 0 ? null : AttemptLogs.From(events);
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var id in persistence.Journal.ReadPersistenceIdsAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id[Prefix.Length..]);
        }

        return ids;
    }
}
