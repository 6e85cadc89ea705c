using System.Text;
using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.Persistence.Sqlite.Tests;

[Trait("Category", "Integration")]
public sealed class SqliteStoreTests : IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    public void Dispose() => _db.Delete();

    [Fact]
    public async Task CorruptRowWrittenWithSql_FailsDeserializationNamingTheManifest()
    {
        await using (var store = SqlitePersistence.Open(_db.Options()))
        {
            Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 1)]))).IsSuccess);
        }

        using (var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at)
                VALUES ('p-1', 2, 'test-event.v1', x'7B22706572', NULL, 0, 0),
                       ('p-1', 3, 'renamed-away.v9', x'7B7D', NULL, 0, 0);
                """;
            command.ExecuteNonQuery();
        }

        await using var reopened = SqlitePersistence.Open(_db.Options());
        var events = new List<JournalEvent>();
        await foreach (var e in reopened.Journal.ReadEventsAsync("p-1"))
        {
            events.Add(e);
        }

        Assert.IsType<TestEvent>(TestEvent.Serializer.Deserialize(events[0]));
        var corrupt = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[1]));
        var unknown = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[2]));
        Assert.Equal(("test-event.v1", "p-1", 2L), (corrupt.Manifest, corrupt.PersistenceId, corrupt.SequenceNr));
        Assert.Contains("test-event.v1", corrupt.Message, StringComparison.Ordinal);
        Assert.Equal(("renamed-away.v9", 3L), (unknown.Manifest, unknown.SequenceNr));
        Assert.Contains("renamed-away.v9", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CreatesSchemaWithVersionAndWal_AndReopenKeepsIt()
    {
        await using (SqlitePersistence.Open(_db.Options()))
        {
        }

        await using (SqlitePersistence.Open(_db.Options()))
        {
        }

        using var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(version) FROM schema_version";
        Assert.Equal("1,2", command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Open_WithNewerSchemaVersion_Refuses()
    {
        await using (SqlitePersistence.Open(_db.Options()))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version) VALUES (99)";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => SqlitePersistence.Open(_db.Options()));
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WithPendingAppends_CommitsThem()
    {
        var store = SqlitePersistence.Open(_db.Options());
        var pending = Enumerable.Range(1, 200).Select(i => store.Journal.AppendAsync(new AtomicWrite($"p-{i % 7}", [TestEvent.Create($"p-{i % 7}", (i / 7) + 1)])).AsTask()).ToArray();

        await store.DisposeAsync();

        Assert.All(await Task.WhenAll(pending), r => Assert.True(r.IsSuccess));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.Journal.AppendAsync(new AtomicWrite("p-late", [TestEvent.Create("p-late", 1)])));
        await using var reopened = SqlitePersistence.Open(_db.Options());
        var count = 0;
        await foreach (var _ in reopened.Journal.ReadAllEventsAsync(0))
        {
            count++;
        }

        Assert.Equal(200, count);
    }

    [Fact]
    public async Task Synchronous_IsConfigurable()
    {
        var options = _db.Options();
        options.Synchronous = SqliteSynchronous.Normal;
        await using var store = SqlitePersistence.Open(options);

        Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p", [TestEvent.Create("p", 1, Encoding.UTF8.GetString([65]))]))).IsSuccess);
    }
}
