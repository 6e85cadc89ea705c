using Akka.Hosting;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Configuration;

namespace Orchestra.Persistence.Sqlite.Plugin;

/// <summary>Akka.Hosting registration of the Orchestra SQLite plugins.</summary>
public static class SqliteHostingExtensions
{
    /// <summary>
    /// Declares the Orchestra journal and snapshot store on the SQLite file of <paramref name="options"/> as
    /// <c>akka.persistence.journal.&lt;pluginId&gt;</c> and <c>akka.persistence.snapshot-store.&lt;pluginId&gt;</c>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="options">The file and the group-commit settings (the clock is not carried: the plugins use the system clock).</param>
    /// <param name="serializer">The serializer of the events and states the actors persist, or <see langword="null"/> to add none (another call may).</param>
    /// <param name="pluginId">The plugin name.</param>
    /// <param name="isDefaultPlugin">Whether persistent actors use these plugins unless they name others.</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithOrchestraSqlitePersistence(
        this AkkaConfigurationBuilder builder,
        SqlitePersistenceOptions options,
        EventSerializer? serializer = null,
        string pluginId = SqlitePluginSettings.DefaultPluginId,
        bool isDefaultPlugin = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.AddHocon(
            PersistenceOptionsHocon.PluginPair(pluginId, typeof(SqliteJournalPlugin), typeof(SqliteSnapshotStorePlugin), SqlitePluginSettings.Write(options), isDefaultPlugin),
            HoconAddMode.Prepend);
        if (serializer is not null)
        {
            builder.AddSetup(new OrchestraPersistenceSetup(serializer));
        }

        return builder;
    }
}
