using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Orchestra.Application.Configuration;

/// <summary>Which store journals deployments: an embedded SQLite file, or a PostgreSQL database shared by a cluster.</summary>
public sealed class StoreOptions
{
    /// <summary>The store kind.</summary>
    /// <value>The default is <see cref="StoreProvider.Sqlite"/>.</value>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>
    /// The directory of the SQLite store (the database file is <c>orchestra.db</c> inside it), relative to the
    /// current directory; <c>orchestra --store DIR</c> and the <c>ORCHESTRA_STORE</c> environment variable set it.
    /// </summary>
    /// <value>The default is <c>.orchestra</c>.</value>
    public string Directory { get; set; } = ".orchestra";

    /// <summary>The Npgsql connection string when <see cref="Provider"/> is <see cref="StoreProvider.Postgres"/>.</summary>
    /// <value>The default is <see langword="null"/> (required for PostgreSQL).</value>
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema that holds the tables (created if missing).</summary>
    /// <value>The default is <c>orchestra</c>.</value>
    public string Schema { get; set; } = "orchestra";

    /// <summary>The name of the SQLite database file inside <see cref="Directory"/>.</summary>
    public const string SqliteFileName = "orchestra.db";

    /// <summary>The full path of the SQLite database file.</summary>
    /// <returns>The absolute path of <c>orchestra.db</c> under <see cref="Directory"/>.</returns>
    public string SqlitePath() => Path.Combine(Path.GetFullPath(Directory), SqliteFileName);

    /// <summary>Names the store for messages (a "not found" says where it looked): never its credentials.</summary>
    /// <returns>
    /// <c>the store /abs/.orchestra/orchestra.db</c> for SQLite; <c>the PostgreSQL store HOST:PORT/DATABASE (schema SCHEMA)</c> for PostgreSQL.
    /// </returns>
    public string Describe()
    {
        if (Provider != StoreProvider.Postgres)
        {
            return $"the store {SqlitePath()}";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString ?? string.Empty);
            return FormattableString.Invariant($"the PostgreSQL store {builder.Host}:{builder.Port}/{builder.Database} (schema {Schema})");
        }
        catch (ArgumentException)
        {
            return $"the PostgreSQL store (schema {Schema})";
        }
    }

    /// <summary>
    /// Where the engine records the operation processes it runs against this store, unless <c>Orchestra:Engine:ProcessRecordDirectory</c>
    /// says otherwise (see <see cref="Engine.EngineOptions.ProcessRecordDirectory"/>): one directory per store, because two stores can
    /// hold the same deployment ids and idempotency keys.
    /// </summary>
    /// <returns>
    /// For SQLite, <c>processes</c> beside <c>orchestra.db</c>; for PostgreSQL, <c>orchestra/processes/postgres-&lt;hash&gt;</c> under the
    /// user's state directory (<c>$XDG_STATE_HOME</c>, else <c>~/.local/state</c>), the hash naming the server, port, database and schema.
    /// </returns>
    public string ProcessRecordDirectory() => Provider switch
    {
        StoreProvider.Postgres => Path.Combine(StateDirectory(), "orchestra", "processes", "postgres-" + PostgresStoreHash()),
        _ => Path.Combine(Path.GetFullPath(Directory), "processes"),
    };

    /// <summary>
    /// Where imports fetched by URL are cached for this store, unless <c>Orchestra:Imports:CacheDirectory</c> says otherwise
    /// (see <see cref="ImportOptions.CacheDirectory"/>).
    /// </summary>
    /// <returns>For SQLite, <c>imports</c> beside <c>orchestra.db</c>; for PostgreSQL, <c>orchestra/imports/postgres-&lt;hash&gt;</c> under the user's state directory.</returns>
    public string ImportCacheDirectory() => Provider switch
    {
        StoreProvider.Postgres => Path.Combine(StateDirectory(), "orchestra", "imports", "postgres-" + PostgresStoreHash()),
        _ => Path.Combine(Path.GetFullPath(Directory), "imports"),
    };

    // The same database reached with other credentials or pool settings is the same store: only where it is counts.
    private string PostgresStoreHash()
    {
        string where;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString ?? string.Empty);
            where = FormattableString.Invariant($"{builder.Host}\n{builder.Port}\n{builder.Database}\n{Schema}");
        }
        catch (ArgumentException)
        {
            where = $"{ConnectionString}\n{Schema}";
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(where)))[..16];
    }

    /// <summary>This user's state directory: <c>$XDG_STATE_HOME</c> when it is absolute, else <c>~/.local/state</c> (the temporary directory without a home).</summary>
    internal static string StateDirectory()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (!string.IsNullOrEmpty(state) && Path.IsPathRooted(state))
        {
            return state;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".local", "state");
    }
}

/// <summary>The kinds of store.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file: one machine, no server to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: several nodes share it and take each other's deployments over.</summary>
    Postgres,
}
