using Akka.Configuration;
using Orchestra.Persistence.Snapshots;

namespace Orchestra.Persistence.Sqlite.Plugin;

/// <summary>
/// The Orchestra snapshot store on SQLite, as an Akka.Persistence plugin: set <c>class</c> of a snapshot-store section to
/// <c>"Orchestra.Persistence.Sqlite.Plugin.SqliteSnapshotStorePlugin, Orchestra.Persistence.Sqlite"</c> (keys:
/// <see cref="SqlitePluginSettings"/>), or use <see cref="SqliteHostingExtensions.WithOrchestraSqlitePersistence"/>.
/// </summary>
/// <remarks>What it guarantees: see <see cref="OrchestraSnapshotStore"/>.</remarks>
public sealed class SqliteSnapshotStorePlugin : OrchestraSnapshotStore
{
    private readonly Config _config;

    /// <summary>Created by Akka with the plugin's configuration section.</summary>
    /// <param name="config">The section.</param>
    public SqliteSnapshotStorePlugin(Config config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => SqlitePluginSettings.Open(Context.System, _config);
}
