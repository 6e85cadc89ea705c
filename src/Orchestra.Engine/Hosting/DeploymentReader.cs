using Orchestra.Actors.Persistence;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>Reads deployments straight from the store (snapshot + journal), for deployments that no actor of this host runs.</summary>
/// <param name="persistence">The store.</param>
/// <param name="serializer">The serializer with the deployment events registered.</param>
internal sealed class DeploymentReader(IPersistence persistence, EventSerializer serializer)
{
    public const string Prefix = DeploymentRuns.Prefix;

    /// <summary>The persistence id of run 1 (the only one before runs existed).</summary>
    public static string PersistenceId(string deploymentId) => Prefix + deploymentId;

    /// <summary>Rebuilds a deployment run's state, or returns <see langword="null"/> if it has no events.</summary>
    public async Task<(DeploymentState State, long SequenceNr)?> LoadAsync(string deploymentId, int run, CancellationToken cancellationToken)
    {
        var id = DeploymentRuns.PersistenceId(deploymentId, run);
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

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string deploymentId, int run, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        await foreach (var stored in persistence.Journal.ReadEventsAsync(DeploymentRuns.PersistenceId(deploymentId, run), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(DeploymentHistory.Describe(stored.SequenceNr, (DeploymentEvent)serializer.Deserialize(stored)));
        }

        return entries;
    }

    /// <summary>Every attempt of one run with its journaled output, or <see langword="null"/> if that run has no events.</summary>
    public async Task<IReadOnlyList<AttemptLog>?> LogsAsync(string deploymentId, int run, CancellationToken cancellationToken)
    {
        var events = new List<DeploymentEvent>();
        await foreach (var stored in persistence.Journal.ReadEventsAsync(DeploymentRuns.PersistenceId(deploymentId, run), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add((DeploymentEvent)serializer.Deserialize(stored));
        }

        return events.Count == 0 ? null : AttemptLogs.From(events);
    }

    /// <summary>Every deployment name in the store with its latest run, ordered by name.</summary>
    public async Task<IReadOnlyList<(string DeploymentId, int Run)>> ListLatestRunsAsync(CancellationToken cancellationToken)
    {
        var latest = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var id in persistence.Journal.ReadPersistenceIdsAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (DeploymentRuns.TryParse(id, out var name, out var run) && run > latest.GetValueOrDefault(name))
            {
                latest[name] = run;
            }
        }

        return [.. latest.Select(p => (p.Key, p.Value))];
    }

    /// <summary>The runs of one name that have events (or had), in increasing order: empty when the name is unknown.</summary>
    public async Task<IReadOnlyList<int>> RunsAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var runs = new List<int>();
        await foreach (var id in persistence.Journal.ReadPersistenceIdsAsync(Prefix + deploymentId, cancellationToken).ConfigureAwait(false))
        {
            // The prefix also matches longer names (web, webapp): only this name's runs count.
            if (DeploymentRuns.TryParse(id, out var name, out var run) && string.Equals(name, deploymentId, StringComparison.Ordinal))
            {
                runs.Add(run);
            }
        }

        runs.Sort();
        return runs;
    }
}
