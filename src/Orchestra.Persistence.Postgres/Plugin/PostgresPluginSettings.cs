using System.Globalization;
using System.Text;
using Akka.Configuration;
using Orchestra.Persistence.Configuration;

namespace Orchestra.Persistence.Postgres.Plugin;

/// <summary>The HOCON of the Orchestra PostgreSQL plugins, read into and written from <see cref="PostgresPersistenceOptions"/>.</summary>
/// <remarks>
/// Keys of <c>akka.persistence.journal.&lt;id&gt;</c> and <c>akka.persistence.snapshot-store.&lt;id&gt;</c> (give both the
/// same values: the first plugin to open the schema decides its settings): <c>connection-string</c> (required),
/// <c>schema</c>, <c>command-timeout</c>, and the shared group-commit keys of <see cref="PersistenceOptionsHocon"/>.
/// Absent keys keep the defaults documented on <see cref="PostgresPersistenceOptions"/>.
/// </remarks>
public static class PostgresPluginSettings
{
    /// <summary>The plugin id the Akka.Hosting extension uses unless told otherwise.</summary>
    public const string DefaultPluginId = "orchestra-postgres";

    /// <summary>Reads a plugin's section.</summary>
    /// <param name="config">The section Akka hands the plugin.</param>
    /// <returns>The options, validated.</returns>
    /// <exception cref="ArgumentException">A value is invalid or the connection string is missing.</exception>
    public static PostgresPersistenceOptions Read(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new PostgresPersistenceOptions();
        PersistenceOptionsHocon.Read(config, options);
        options.ConnectionString = config.GetString("connection-string", options.ConnectionString);
        options.Schema = config.GetString("schema", options.Schema);
        options.CommandTimeout = config.GetTimeSpan("command-timeout", options.CommandTimeout, allowInfinite: false);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("The Orchestra PostgreSQL plugin needs connection-string.", nameof(config));
        }

        options.Validate();
        return options;
    }

    /// <summary>Writes <paramref name="options"/> as the body of a plugin section.</summary>
    /// <param name="options">The options.</param>
    public static string Write(PostgresPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hocon = new StringBuilder();
        hocon.Append(CultureInfo.InvariantCulture, $"  connection-string = {PersistenceOptionsHocon.Quote(options.ConnectionString)}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  schema = {PersistenceOptionsHocon.Quote(options.Schema)}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  command-timeout = {(long)options.CommandTimeout.TotalMilliseconds}ms\n");
        PersistenceOptionsHocon.Write(hocon, options, options.CommandTimeout);
        return hocon.ToString();
    }

    /// <summary>The key under which <see cref="OrchestraPersistence"/> shares the store of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static string StoreKey(PostgresPersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return "postgres:" + options.ConnectionString + "|" + options.Schema;
    }

    internal static Task<OrchestraPluginStore> Open(Akka.Actor.ActorSystem system, Config config)
    {
        var options = Read(config);
        return OrchestraPersistence.Get(system).GetOrOpen(StoreKey(options), () => PostgresPluginStore.OpenAsync(options));
    }
}
