using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;
using Orchestra.Testing;

namespace Orchestra.Persistence.Sqlite.Tests;

/// <summary>A storage fault never passes silently: lost files, changed bytes, read-only and full media.</summary>
[Trait("Category", "Integration")]
public sealed class SqliteStoreFaultTests : IDisposable
{
    /// <summary>The schema of the release before checksums (version 1), as it created its files.</summary>
    private const string Version1Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL,
            manifest TEXT NOT NULL, payload BLOB NOT NULL, writer TEXT NULL, epoch INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX journal_persistence_id_sequence_nr ON journal (persistence_id, sequence_nr);
        CREATE TABLE journal_deletions (persistence_id TEXT NOT NULL PRIMARY KEY, deleted_to INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE snapshots (persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL, manifest TEXT NOT NULL, payload BLOB NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX snapshots_persistence_id_sequence_nr ON snapshots (persistence_id, sequence_nr);
        CREATE TABLE leases (entity_id TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, epoch INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO schema_version (version) VALUES (1);
        INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at)
            VALUES ('old-1', 1, 'test-event.v1', CAST('{"persistenceId":"old-1","sequenceNr":1,"data":"v1"}' AS BLOB), NULL, 0, 0);
        """;

    private readonly SqliteTestDatabase _db = new();

    public void Dispose() => _db.Delete();

    [Fact]
    public async Task DeletingTheWal_WhileOpen_FailsTheNextAppendAndEveryLaterOne_AndKeepsWhatWasAcknowledged()
    {
        await using (var store = SqlitePersistence.Open(_db.Options()))
        {
            Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 1)]))).IsSuccess);

            File.Delete(_db.Path + "-wal");

            var lost = await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 2)])));
            Assert.Equal(StoreFaultKind.Lost, lost.Kind);
            Assert.Contains("orchestra.db-wal", lost.Message, StringComparison.Ordinal);
            var later = await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Journal.AppendAsync(new AtomicWrite("p-2", [TestEvent.Create("p-2", 1)])));
            Assert.Same(lost, later);
            Assert.Same(lost, store.Journal.Fault);
        }

        // The writer still held the unlinked log: its checkpoint put the acknowledged event back into the database file.
        await using var reopened = SqlitePersistence.Open(_db.Options());
        Assert.Equal(1, (await ReadAll(reopened, "p-1")).Count(e => e.SequenceNr == 1));
        Assert.Empty(await ReadAll(reopened, "p-2"));
    }

    [Fact]
    public async Task IoErrorOnAnotherConnection_StopsTheWriter()
    {
        await using var store = SqlitePersistence.Open(_db.Options());
        Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 1)]))).IsSuccess);

        // A reader opened after the log vanished finds the shared index naming frames its new, empty log lacks.
        File.Delete(_db.Path + "-wal");
        SqliteConnection.ClearAllPools();
        var read = await Assert.ThrowsAnyAsync<Exception>(async () => await store.Leases.GetAsync("anything"));
        var appended = await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 2)])));

        Assert.NotEqual(StoreFaultKind.ReadOnly, appended.Kind);
        Assert.IsType<StoreFaultException>(read);
    }

    [Fact]
    public async Task ChangedByteInsideAPayload_IsReportedNamingTheEvent_NotReturned()
    {
        await using (var store = SqlitePersistence.Open(_db.Options()))
        {
            Assert.True((await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", 1, "alpha"), TestEvent.Create("p-1", 2, "bravo")]))).IsSuccess);
        }

        Execute("UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), 'bravo', 'brave') AS BLOB) WHERE sequence_nr = 2");

        await using var reopened = SqlitePersistence.Open(_db.Options());
        var byId = await Assert.ThrowsAsync<JournalCorruptedException>(() => ReadAll(reopened, "p-1"));
        Assert.Equal(("p-1", 2L, "test-event.v1"), (byId.PersistenceId, byId.SequenceNr, byId.Manifest));
        Assert.Contains("event 2 of 'p-1' (test-event.v1) is corrupt", byId.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<JournalCorruptedException>(async () =>
        {
            await foreach (var e in reopened.Journal.ReadAllEventsAsync(0))
            {
                _ = e;
            }
        });
        Assert.Null(reopened.Journal.Fault);
    }

    [Fact]
    public async Task ChangedSnapshot_IsReportedNamingIt()
    {
        await using (var store = SqlitePersistence.Open(_db.Options()))
        {
            await store.Snapshots.SaveAsync("p-1", 7, "state.v1", "{\"count\":7}"u8.ToArray());
        }

        Execute("UPDATE snapshots SET payload = CAST('{\"count\":8}' AS BLOB)");

        await using var reopened = SqlitePersistence.Open(_db.Options());
        var e = await Assert.ThrowsAsync<JournalCorruptedException>(async () => await reopened.Snapshots.LoadLatestAsync("p-1"));
        Assert.Equal(("p-1", 7L, "state.v1"), (e.PersistenceId, e.SequenceNr, e.Manifest));
    }

    [Fact]
    public async Task StoreOfTheReleaseBeforeChecksums_IsMigratedInPlace_OldRowsReadUnverified_NewRowsVerified()
    {
        Execute(Version1Schema);

        await using (var store = SqlitePersistence.Open(_db.Options()))
        {
            Assert.Equal("v1", ((TestEvent)TestEvent.Serializer.Deserialize(Assert.Single(await ReadAll(store, "old-1")))).Data);
            Assert.True((await store.Journal.AppendAsync(new AtomicWrite("old-1", [TestEvent.Create("old-1", 2, "v2")]))).IsSuccess);
        }

        Assert.Equal("1,2", Scalar("SELECT group_concat(version) FROM schema_version"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM journal WHERE checksum IS NULL"));
        Execute("UPDATE journal SET payload = CAST(replace(CAST(payload AS TEXT), 'v2', 'v3') AS BLOB) WHERE sequence_nr = 2");
        await using var reopened = SqlitePersistence.Open(_db.Options());
        Assert.Equal(2L, (await Assert.ThrowsAsync<JournalCorruptedException>(() => ReadAll(reopened, "old-1"))).SequenceNr);
    }

    [ConditionalFact, RequiresRootOnLinux("mounting a tmpfs")]
    public async Task ReadOnlyMedium_IsReadAsItIs_NotMigrated_AndEveryWriteSaysReadOnly()
    {
        using var medium = TmpfsMount.Create("4m");
        var options = new SqlitePersistenceOptions { DataSource = Path.Combine(medium.Path, "orchestra.db") };
        using (var connection = new SqliteConnection($"Data Source={options.DataSource};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Version1Schema;
            command.ExecuteNonQuery();
        }

        medium.RemountReadOnly();

        await using var store = SqlitePersistence.Open(options);
        Assert.True(store.IsReadOnly);
        Assert.Single(await ReadAll(store, "old-1"));
        Assert.Null(await store.Leases.GetAsync("deployment-x"));
        var append = await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Journal.AppendAsync(new AtomicWrite("old-1", [TestEvent.Create("old-1", 2)])));
        var lease = await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Leases.TryAcquireAsync("deployment-x", "me", TimeSpan.FromMinutes(1)));
        Assert.Equal((StoreFaultKind.ReadOnly, StoreFaultKind.ReadOnly), (append.Kind, lease.Kind));
        Assert.Contains($"the store '{options.DataSource}' is read-only", append.Message, StringComparison.Ordinal);
        using var check = new SqliteConnection($"Data Source={new Uri(options.DataSource).AbsoluteUri}?immutable=1;Mode=ReadOnly;Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "SELECT group_concat(version) FROM schema_version";
        Assert.Equal("1", version.ExecuteScalar());
    }

    [ConditionalFact, RequiresRootOnLinux("mounting a tmpfs")]
    public async Task FullMedium_FailsTheAppendSayingFull_AndStopsTheWriter()
    {
        using var medium = TmpfsMount.Create("512k");
        await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = Path.Combine(medium.Path, "orchestra.db") });
        var data = new string('x', 16 * 1024);
        StoreFaultException? full = null;
        for (var seq = 1; seq <= 200 && full is null; seq++)
        {
            try
            {
                await store.Journal.AppendAsync(new AtomicWrite("p-1", [TestEvent.Create("p-1", seq, data)]));
            }
            catch (StoreFaultException e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.Equal(StoreFaultKind.Full, full.Kind);
        Assert.Contains("is full", full.Message, StringComparison.Ordinal);
        Assert.Same(full, await Assert.ThrowsAsync<StoreFaultException>(async () => await store.Journal.AppendAsync(new AtomicWrite("p-2", [TestEvent.Create("p-2", 1)]))));
    }

    private static async Task<List<JournalEvent>> ReadAll(SqlitePersistence store, string persistenceId)
    {
        var events = new List<JournalEvent>();
        await foreach (var e in store.Journal.ReadEventsAsync(persistenceId))
        {
            events.Add(e);
        }

        return events;
    }

    private void Execute(string sql) => _ = Scalar(sql);

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
