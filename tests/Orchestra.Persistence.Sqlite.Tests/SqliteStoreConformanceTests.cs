using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.Persistence.Sqlite.Tests;

[Trait("Category", "Integration")]
public sealed class SqliteJournalConformanceTests : JournalConformanceTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(SqlitePersistence.Open(_db.Options(clock)));

    protected override ValueTask DropStoreAsync()
    {
        _db.Delete();
        return ValueTask.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class SqliteSnapshotStoreConformanceTests : SnapshotStoreConformanceTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(SqlitePersistence.Open(_db.Options(clock)));

    protected override ValueTask DropStoreAsync()
    {
        _db.Delete();
        return ValueTask.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class SqliteLeaseStoreConformanceTests : LeaseStoreConformanceTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(SqlitePersistence.Open(_db.Options(clock)));

    protected override ValueTask DropStoreAsync()
    {
        _db.Delete();
        return ValueTask.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class SqliteEraseConformanceTests : EraseConformanceTests
{
    private readonly SqliteTestDatabase _db = new();

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(SqlitePersistence.Open(_db.Options(clock)));

    protected override ValueTask DropStoreAsync()
    {
        _db.Delete();
        return ValueTask.CompletedTask;
    }
}
