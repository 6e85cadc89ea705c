using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;
using Orchestra.Testing;

namespace Orchestra.Persistence.Postgres.Tests;

[Trait("Category", "Integration")]
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DropAsync();

    [ConditionalFact, RequiresPostgres]
    public async Task CorruptRowWrittenWithSql_FailsDeserializationNamingTheManifest()
    {
        await using var store = await PostgresPersistence.OpenAsync(_db.Options());
        await using (var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString))
        await using (var command = dataSource.CreateCommand(
            $"""
            INSERT INTO "{_db.Schema}".journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at)
            VALUES ('p-1', 1, 'test-event.v1', '\x7b22706572'::bytea, NULL, 0, now()),
                   ('p-1', 2, 'renamed-away.v9', '\x7b7d'::bytea, NULL, 0, now())
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var events = new List<JournalEvent>();
        await foreach (var e in store.Journal.ReadEventsAsync("p-1"))
        {
            events.Add(e);
        }

        var corrupt = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[0]));
        var unknown = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[1]));
        Assert.Equal(("test-event.v1", "p-1", 1L), (corrupt.Manifest, corrupt.PersistenceId, corrupt.SequenceNr));
        Assert.Equal("renamed-away.v9", unknown.Manifest);
        Assert.Contains("renamed-away.v9", unknown.Message, StringComparison.Ordinal);
    }

    [ConditionalFact, RequiresPostgres]
    public async Task TwoNodes_SharingTheSchema_FenceEachOther()
    {
        var clock = TimeProvider.System;
        await using var nodeA = await PostgresPersistence.OpenAsync(_db.Options(clock));
        await using var nodeB = await PostgresPersistence.OpenAsync(_db.Options(clock));
        var leaseA = await nodeA.Leases.TryAcquireAsync("deployment-1", "node-a", TimeSpan.FromMilliseconds(1));
        Assert.NotNull(leaseA);
        Lease? leaseB = null;
        for (var attempt = 0; attempt < 1000 && leaseB is null; attempt++)
        {
            leaseB = await nodeB.Leases.TryAcquireAsync("deployment-1", "node-b", TimeSpan.FromMinutes(1));
        }

        Assert.Equal(2, leaseB?.Epoch);
        var zombie = await nodeA.Journal.AppendAsync(new AtomicWrite("deployment-1", [TestEvent.Create("deployment-1", 1)], leaseA.ToFencingToken()));
        var owner = await nodeB.Journal.AppendAsync(new AtomicWrite("deployment-1", [TestEvent.Create("deployment-1", 1)], leaseB!.ToFencingToken()));

        Assert.Equal(AppendStatus.Fenced, zombie.Status);
        Assert.True(owner.IsSuccess);
    }

    [ConditionalFact, RequiresPostgres]
    public async Task Open_WithNewerSchemaVersion_Refuses()
    {
        await using (await PostgresPersistence.OpenAsync(_db.Options()))
        {
        }

        await using (var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString))
        await using (var command = dataSource.CreateCommand($"INSERT INTO \"{_db.Schema}\".schema_version VALUES (99)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresPersistence.OpenAsync(_db.Options()));
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithUnsafeSchemaName_AreRejected()
    {
        var options = new PostgresPersistenceOptions { ConnectionString = "Host=x", Schema = "x\"; DROP TABLE y; --" };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
