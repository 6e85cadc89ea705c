using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;
using Orchestra.Testing;

namespace Orchestra.Persistence.Postgres.Tests;

/// <summary>Every journal row and snapshot carries a checksum, verified on read; schemas of version 1 are migrated in place.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresChecksumTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DropAsync();

    [ConditionalFact, RequiresPostgres]
    public async Task ChangedByteInsideAPayload_IsReportedNamingTheEvent_NotReturned()
    {
        await using var store = await PostgresPersistence.OpenAsync(_db.Options());
        Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 1, "alpha"), TestEvent.Create("p-1", 2, "bravo")]))).IsSuccess);
        await store.Snapshots.SaveAsync("p-1", 2, "state.v1", "{\"count\":2}"u8.ToArray());

        await ExecuteAsync($"""
            UPDATE "{_db.Schema}".journal SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'bravo', 'brave'), 'UTF8') WHERE sequence_nr = 2;
            UPDATE "{_db.Schema}".snapshots SET payload = convert_to('{"{"}"count":3{"}"}', 'UTF8');
            """);

        var e = await Assert.ThrowsAsync<JournalCorruptedException>(() => ReadAll(store, "p-1"));
        Assert.Equal(("p-1", 2L, "test-event.v1"), (e.PersistenceId, e.SequenceNr, e.Manifest));
        Assert.Contains("event 2 of 'p-1' (test-event.v1) is corrupt", e.Message, StringComparison.Ordinal);
        var snapshot = await Assert.ThrowsAsync<JournalCorruptedException>(async () => await store.Snapshots.LoadLatestAsync("p-1"));
        Assert.Equal(2L, snapshot.SequenceNr);
    }

    [ConditionalFact, RequiresPostgres]
    public async Task SchemaOfTheReleaseBeforeChecksums_IsMigratedInPlace_OldRowsReadUnverified()
    {
        await using (var store = await PostgresPersistence.OpenAsync(_db.Options()))
        {
            Assert.True((await store.Journal.AppendAsync(new AtomicWrite("old-1", [TestEvent.Create("old-1", 1, "v1")]))).IsSuccess);
        }

        // Back to what version 1 wrote: no checksum column, no version 2.
        await ExecuteAsync($"""
            ALTER TABLE "{_db.Schema}".journal DROP COLUMN checksum;
            ALTER TABLE "{_db.Schema}".snapshots DROP COLUMN checksum;
            DELETE FROM "{_db.Schema}".schema_version WHERE version = 2;
            """);

        await using var migrated = await PostgresPersistence.OpenAsync(_db.Options());
        Assert.Equal("v1", ((TestEvent)TestEvent.Serializer.Deserialize(Assert.Single(await ReadAll(migrated, "old-1")))).Data);
        Assert.True((await migrated.Journal.AppendAsync(new AtomicWrite("old-1", [TestEvent.Create("old-1", 2, "v2")]))).IsSuccess);
        Assert.Equal(2, (await ReadAll(migrated, "old-1")).Count);
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT (SELECT string_agg(version::text, ',' ORDER BY version) FROM \"{_db.Schema}\".schema_version) || ';' || " +
            $"(SELECT count(*) FILTER (WHERE checksum IS NULL) FROM \"{_db.Schema}\".journal)");
        Assert.Equal("1,2;1", await command.ExecuteScalarAsync());
    }

    private static async Task<List<JournalEvent>> ReadAll(PostgresPersistence store, string persistenceId)
    {
        var events = new List<JournalEvent>();
        await foreach (var e in store.Journal.ReadEventsAsync(persistenceId))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
