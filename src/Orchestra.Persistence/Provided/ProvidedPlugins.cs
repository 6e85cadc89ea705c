using Orchestra.Persistence.Journal;
using Orchestra.Persistence.Snapshots;

namespace Orchestra.Persistence.Provided;

/// <summary>The Orchestra journal on the store of the actor system's <see cref="ProvidedStore"/>: group commit, a verdict per write, fencing.</summary>
/// <remarks>What it guarantees: see <see cref="OrchestraJournal"/>.</remarks>
public sealed class ProvidedJournalPlugin : OrchestraJournal
{
    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => ProvidedPluginStore.Open(Context.System);
}

/// <summary>The Orchestra snapshot store on the store of the actor system's <see cref="ProvidedStore"/>.</summary>
public sealed class ProvidedSnapshotStorePlugin : OrchestraSnapshotStore
{
    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => ProvidedPluginStore.Open(Context.System);
}
