using System.Globalization;
using System.Text;
using Akka.Configuration;
using Orchestra.Persistence.Configuration;

namespace Orchestra.Persistence.Sqlite.Plugin;

/// <summary>The HOCON of the Orchestra SQLite plugins, read into and written from <see cref="SqlitePersistenceOptions"/>.</summary>
/// <remarks>
/// Keys of <c>akka.persistence.journal.&lt;id&gt;</c> and <c>akka.persistence.snapshot-store.&lt;id&gt;</c> (give both the
/// same values: the first plugin to open the file decides its settings): <c>data-source</c> (the database file),
/// <c>synchronous</c> (<c>off</c>, <c>normal</c>, <c>full</c>, <c>extra</c>), <c>busy-timeout</c>, and the shared
/// group-commit keys of <see cref="PersistenceOptionsHocon"/>. Absent keys keep the defaults documented on
/// <see cref="SqlitePersistenceOptions"/>.
/// </remarks>
public static class SqlitePluginSettings
{
    /// <summary>The plugin id the Akka.Hosting extension uses unless told otherwise.</summary>
    public const string DefaultPluginId = "orchestra-sqlite";

    /// <summary>Reads a plugin's section.</summary>
    /// <param name="config">The section Akka hands the plugin.</param>
    /// <returns>The options, validated.</returns>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public static SqlitePersistenceOptions Read(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new SqlitePersistenceOptions();
        PersistenceOptionsHocon.Read(config, options);
        options.DataSource = config.GetString("data-source", options.DataSource);
        options.BusyTimeout = config.GetTimeSpan("busy-timeout", options.BusyTimeout, allowInfinite: false);
        var synchronous = config.GetString("synchronous", null);
        if (!string.IsNullOrEmpty(synchronous))
        {
            options.Synchronous = Enum.TryParse<SqliteSynchronous>(synchronous, ignoreCase: true, out var level) && Enum.IsDefined(level)
                ? level
                : throw new ArgumentException($"synchronous = '{synchronous}' is not one of off, normal, full, extra.", nameof(config));
        }

        options.Validate();
        return options;
    }

    /// <summary>Writes <paramref name="options"/> as the body of a plugin section.</summary>
    /// <param name="options">The options.</param>
    public static string Write(SqlitePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hocon = new StringBuilder();
        hocon.Append(CultureInfo.InvariantCulture, $"  data-source = {PersistenceOptionsHocon.Quote(options.DataSource)}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  synchronous = {options.Synchronous.ToString().ToLowerInvariant()}\n");
        hocon.Append(CultureInfo.InvariantCulture, $"  busy-timeout = {(long)options.BusyTimeout.TotalMilliseconds}ms\n");
        PersistenceOptionsHocon.Write(hocon, options, options.BusyTimeout);
        return hocon.ToString();
    }

    /// <summary>The key under which <see cref="OrchestraPersistence"/> shares the store of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static string StoreKey(SqlitePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return "sqlite:" + Path.GetFullPath(options.DataSource);
    }

    internal static Task<OrchestraPluginStore> Open(Akka.Actor.ActorSystem system, Config config)
    {
        var options = Read(config);
        return OrchestraPersistence.Get(system).GetOrOpen(StoreKey(options), () => Task.FromResult<OrchestraPluginStore>(new SqlitePluginStore(options)));
    }
}
