namespace Orchestra.Server.Configuration;

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
}

/// <summary>The kinds of store.</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file: one machine, no server to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: several nodes share it and take each other's deployments over.</summary>
    Postgres,
}
