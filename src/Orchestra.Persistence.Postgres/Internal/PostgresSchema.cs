using Npgsql;

namespace Orchestra.Persistence.Postgres.Internal;

/// <summary>Creates and checks the schema (idempotent, serialized across processes by an advisory lock).</summary>
/// <remarks>
/// Version 2 adds a nullable <c>checksum</c> to the journal and the snapshots (see
/// <see cref="Orchestra.Actors.Persistence.JournalChecksum"/>), in place: rows of version 1 keep NULL and are read unverified.
/// </remarks>
internal static class PostgresSchema
{
    public const int CurrentVersion = 2;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, PostgresPersistenceOptions options, CancellationToken cancellationToken)
    {
        var s = Quote(options.Schema);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("orchestra-schema:" + options.Schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.Parameters.Clear();
            command.CommandText =
                $"CREATE SCHEMA IF NOT EXISTS {s}; CREATE TABLE IF NOT EXISTS {s}.schema_version (version integer NOT NULL); SELECT max(version) FROM {s}.schema_version;";
            var found = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            var version = found is int v ? v : 0;
            if (version > CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"The schema '{options.Schema}' has version {version}; this version of Orchestra supports up to {CurrentVersion}.");
            }

            if (version < 1)
            {
                command.CommandText = $"""
                    CREATE TABLE {s}.journal (
                        ordering       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        persistence_id text COLLATE "C" NOT NULL,
                        sequence_nr    bigint NOT NULL,
                        manifest       text NOT NULL,
                        payload        bytea NOT NULL,
                        writer         text NULL,
                        epoch          bigint NOT NULL,
                        created_at     timestamptz NOT NULL,
                        CONSTRAINT journal_persistence_id_sequence_nr UNIQUE (persistence_id, sequence_nr)
                    );
                    CREATE TABLE {s}.journal_deletions (
                        persistence_id text COLLATE "C" PRIMARY KEY,
                        deleted_to     bigint NOT NULL
                    );
                    CREATE TABLE {s}.snapshots (
                        persistence_id text COLLATE "C" NOT NULL,
                        sequence_nr    bigint NOT NULL,
                        manifest       text NOT NULL,
                        payload        bytea NOT NULL,
                        created_at     timestamptz NOT NULL,
                        PRIMARY KEY (persistence_id, sequence_nr)
                    );
                    CREATE TABLE {s}.leases (
                        entity_id  text COLLATE "C" PRIMARY KEY,
                        owner      text NOT NULL,
                        epoch      bigint NOT NULL,
                        expires_at timestamptz NOT NULL
                    );
                    INSERT INTO {s}.schema_version (version) VALUES (1);
                    """;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (version < 2)
            {
                command.CommandText = $"""
                    ALTER TABLE {s}.journal ADD COLUMN checksum bigint NULL;
                    ALTER TABLE {s}.snapshots ADD COLUMN checksum bigint NULL;
                    INSERT INTO {s}.schema_version (version) VALUES (2);
                    """;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string Quote(string schema) => "\"" + schema + "\"";
}
