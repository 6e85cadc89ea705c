using Akka.Actor;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Provided;

/// <summary>
/// Gives the <see cref="ProvidedJournalPlugin"/> and <see cref="ProvidedSnapshotStorePlugin"/> of an actor system a store the
/// application has opened and keeps owning, so that the engine reads, leases and erases on the very <see cref="IPersistence"/> its
/// deployment actors write through, whatever the backend (SQLite, PostgreSQL, or the in-memory store of the tests).
/// </summary>
/// <remarks>
/// Call <see cref="Provide"/> before the first persistent actor starts (the plugins open their store then). The actor system never
/// disposes the store: the application does, after the actor system has terminated.
/// </remarks>
public static class ProvidedStore
{
    /// <summary>The plugin id of both plugins in <see cref="Hocon"/>.</summary>
    public const string PluginId = "orchestra-provided";

    /// <summary>The key under which <see cref="OrchestraPersistence"/> shares the provided store (<see cref="OrchestraPersistence.Find"/>).</summary>
    public const string StoreKey = "provided";

    /// <summary>
    /// The HOCON that makes both plugins the actor system's default journal and snapshot store. Akka's circuit breaker waits 90 s for a
    /// call: three times the stores' own default command timeout (30 s), so that a slow commit is the store's to report, never declared
    /// failed while the database may still commit it. The journal runs on Akka's default dispatcher, not on the dedicated plugin
    /// dispatcher: its calls only hand writes to the store's group commit and await it, so it needs no thread of its own, and every
    /// write's round trip through a thread of its own made a chain of 1,000 operations take 3.4 s instead of 1.7-1.9 s
    /// (tests/Orchestra.Benchmarks/README.md, "Engine on Akka.NET").
    /// </summary>
    public static string Hocon { get; } = $$"""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.{{PluginId}}"
          journal.{{PluginId}} {
            class = "{{ClassName(typeof(ProvidedJournalPlugin))}}"
            plugin-dispatcher = "akka.actor.default-dispatcher"
            circuit-breaker.call-timeout = 90s
          }
          snapshot-store.plugin = "akka.persistence.snapshot-store.{{PluginId}}"
          snapshot-store.{{PluginId}} {
            class = "{{ClassName(typeof(ProvidedSnapshotStorePlugin))}}"
            circuit-breaker.call-timeout = 90s
          }
        }
        """;

    /// <summary>Makes <paramref name="persistence"/> the store of <paramref name="system"/>'s provided plugins.</summary>
    /// <param name="system">The actor system (configured with <see cref="Hocon"/>).</param>
    /// <param name="persistence">The open store.</param>
    /// <exception cref="InvalidOperationException">The actor system already has a different store.</exception>
    public static void Provide(ActorSystem system, IPersistence persistence)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(persistence);
        var store = OrchestraPersistence.Get(system).GetOrAdd(ProvidedStore.StoreKey, new ProvidedPluginStore(persistence));
        if (!store.IsCompletedSuccessfully || !ReferenceEquals(store.Result.Persistence, persistence))
        {
            throw new InvalidOperationException($"Actor system '{system.Name}' already writes to another store: one actor system, one store.");
        }
    }

    private static string ClassName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}

/// <summary>The store given by <see cref="ProvidedStore.Provide"/>, shared by both plugins and left open when the actor system terminates.</summary>
internal sealed class ProvidedPluginStore(IPersistence persistence) : OrchestraPluginStore(persistence)
{
    public static Task<OrchestraPluginStore> Open(ActorSystem system) =>
        OrchestraPersistence.Get(system).Find(ProvidedStore.StoreKey) ?? Task.FromException<OrchestraPluginStore>(new InvalidOperationException(
            $"The '{ProvidedStore.PluginId}' persistence plugins of actor system '{system.Name}' have no store: call {nameof(ProvidedStore)}.{nameof(ProvidedStore.Provide)} before the first persistent actor starts."));

    // Akka deletes snapshots by range; the store contract deletes the ones older than a sequence number, which is the only range Orchestra's
    // actors ask for (they delete nothing but superseded snapshots).
    public override async ValueTask DeleteSnapshotsAsync(
        string persistenceId,
        long minSequenceNr,
        long maxSequenceNr,
        DateTimeOffset? minTimestamp,
        DateTimeOffset? maxTimestamp,
        CancellationToken cancellationToken)
    {
        if (minSequenceNr > 0 || minTimestamp is not null || maxTimestamp is not null || maxSequenceNr == long.MaxValue)
        {
            throw new NotSupportedException($"the provided store deletes only the snapshots of '{persistenceId}' up to a sequence number");
        }

        await Persistence.Snapshots.DeleteOlderThanAsync(persistenceId, maxSequenceNr + 1, cancellationToken).ConfigureAwait(false);
    }

    // The application owns the store and closes it itself.
    protected override ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
