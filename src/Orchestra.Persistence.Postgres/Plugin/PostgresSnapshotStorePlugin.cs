using Akka.Configuration;
using Orchestra.Persistence.Snapshots;

namespace Orchestra.Persistence.Postgres.Plugin;

/// <summary>
/// The Orchestra snapshot store on PostgreSQL, as an Akka.Persistence plugin: set <c>class</c> of a snapshot-store section to
/// <c>"Orchestra.Persistence.Postgres.Plugin.PostgresSnapshotStorePlugin, Orchestra.Persistence.Postgres"</c> (keys:
/// <see cref="PostgresPluginSettings"/>), or use <see cref="PostgresHostingExtensions.WithOrchestraPostgresPersistence"/>.
/// </summary>
/// <remarks>What it guarantees: see <see cref="OrchestraSnapshotStore"/>.</remarks>
public sealed class PostgresSnapshotStorePlugin : OrchestraSnapshotStore
{
    private readonly Config _config;

    /// <summary>Created by Akka with the plugin's configuration section.</summary>
    /// <param name="config">The section.</param>
    public PostgresSnapshotStorePlugin(Config config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => PostgresPluginSettings.Open(Context.System, _config);
}
