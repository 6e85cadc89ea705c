using Microsoft.Data.Sqlite;

namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>Creates and checks the schema.</summary>
/// <remarks>
/// Times are stored as INTEGER microseconds since the Unix epoch (UTC), so that comparisons in SQL are numeric
/// and values round-trip exactly. Version 2 adds a <c>checksum</c> column (see <see cref="Orchestra.Actors.Persistence.JournalChecksum"/>)
/// to the journal and the snapshots, in place: the rows written by version 1 keep NULL there and are read unverified.
/// A store opened read-only is never migrated; it is read as it is (<see cref="ReadVersion"/>).
/// </remarks>
internal static class SqliteSchema
{
    public const int CurrentVersion = 2;

    /// <summary>The first version whose rows carry a checksum.</summary>
    public const int ChecksumVersion = 2;

    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS journal (
            ordering       INTEGER PRIMARY KEY AUTOINCREMENT,
            persistence_id TEXT    NOT NULL,
            sequence_nr    INTEGER NOT NULL,
            manifest       TEXT    NOT NULL,
            payload        BLOB    NOT NULL,
            writer         TEXT    NULL,
            epoch          INTEGER NOT NULL,
            created_at     INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS journal_persistence_id_sequence_nr ON journal (persistence_id, sequence_nr);
        CREATE TABLE IF NOT EXISTS journal_deletions (
            persistence_id TEXT    NOT NULL PRIMARY KEY,
            deleted_to     INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS snapshots (
            persistence_id TEXT    NOT NULL,
            sequence_nr    INTEGER NOT NULL,
            manifest       TEXT    NOT NULL,
            payload        BLOB    NOT NULL,
            created_at     INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS snapshots_persistence_id_sequence_nr ON snapshots (persistence_id, sequence_nr);
        CREATE TABLE IF NOT EXISTS leases (
            entity_id  TEXT    NOT NULL PRIMARY KEY,
            owner      TEXT    NOT NULL,
            epoch      INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    private const string MigrateV2 = """
        ALTER TABLE journal ADD COLUMN checksum INTEGER NULL;
        ALTER TABLE snapshots ADD COLUMN checksum INTEGER NULL;
        INSERT INTO schema_version (version) VALUES (2);
        """;

    /// <summary>Reads the schema version without changing anything (0 for a file without Orchestra's tables).</summary>
    public static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT max(version) FROM schema_version";
        var version = ToVersion(command.ExecuteScalar());
        ThrowIfNewer(connection, version);
        return version;
    }

    /// <summary>Creates or migrates the schema to <see cref="CurrentVersion"/> in one transaction.</summary>
    /// <returns>The version now in the file.</returns>
    public static int Ensure(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL lets readers work beside the single writer; the mode is persistent in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); SELECT max(version) FROM schema_version;";
        var version = ToVersion(command.ExecuteScalar());
        ThrowIfNewer(connection, version);
        if (version < 1)
        {
            command.CommandText = CreateV1 + "INSERT INTO schema_version (version) VALUES (1);";
            command.ExecuteNonQuery();
        }

        if (version < 2)
        {
            command.CommandText = MigrateV2;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return CurrentVersion;
    }

    private static int ToVersion(object? found) =>
        found is null or DBNull ? 0 : Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture);

    private static void ThrowIfNewer(SqliteConnection connection, int version)
    {
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database '{connection.DataSource}' has schema version {version}; this version of Orchestra supports up to {CurrentVersion}.");
        }
    }
}
