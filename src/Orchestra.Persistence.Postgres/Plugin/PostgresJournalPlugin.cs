using Akka.Configuration;
using Orchestra.Persistence.Journal;

namespace Orchestra.Persistence.Postgres.Plugin;

/// <summary>
/// The Orchestra journal on PostgreSQL, as an Akka.Persistence plugin: set <c>class</c> of a journal section to
/// <c>"Orchestra.Persistence.Postgres.Plugin.PostgresJournalPlugin, Orchestra.Persistence.Postgres"</c> (keys:
/// <see cref="PostgresPluginSettings"/>), or use <see cref="PostgresHostingExtensions.WithOrchestraPostgresPersistence"/>.
/// </summary>
/// <remarks>What it guarantees: see <see cref="OrchestraJournal"/>.</remarks>
public sealed class PostgresJournalPlugin : OrchestraJournal
{
    private readonly Config _config;

    /// <summary>Created by Akka with the plugin's configuration section.</summary>
    /// <param name="config">The section.</param>
    public PostgresJournalPlugin(Config config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => PostgresPluginSettings.Open(Context.System, _config);
}
