using Akka.Configuration;
using Orchestra.Persistence.Journal;

namespace Orchestra.Persistence.Sqlite.Plugin;

/// <summary>
/// The Orchestra journal on SQLite, as an Akka.Persistence plugin: set <c>class</c> of a journal section to
/// <c>"Orchestra.Persistence.Sqlite.Plugin.SqliteJournalPlugin, Orchestra.Persistence.Sqlite"</c> (keys:
/// <see cref="SqlitePluginSettings"/>), or use <see cref="SqliteHostingExtensions.WithOrchestraSqlitePersistence"/>.
/// </summary>
/// <remarks>What it guarantees: see <see cref="OrchestraJournal"/>.</remarks>
public sealed class SqliteJournalPlugin : OrchestraJournal
{
    private readonly Config _config;

    /// <summary>Created by Akka with the plugin's configuration section.</summary>
    /// <param name="config">The section.</param>
    public SqliteJournalPlugin(Config config)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    protected override Task<OrchestraPluginStore> OpenStore() => SqlitePluginSettings.Open(Context.System, _config);
}
