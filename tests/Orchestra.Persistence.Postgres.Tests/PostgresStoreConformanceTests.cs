using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;
using Orchestra.Testing;

namespace Orchestra.Persistence.Postgres.Tests;

[Trait("Category", "Integration")]
[RequiresPostgres]
public sealed class PostgresJournalConformanceTests : JournalConformanceTests
{
    private readonly PostgresTestDatabase _db = new();

    protected override async ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => await PostgresPersistence.OpenAsync(_db.Options(clock));

    protected override ValueTask DropStoreAsync() => _db.DropAsync();
}

[Trait("Category", "Integration")]
[RequiresPostgres]
public sealed class PostgresSnapshotStoreConformanceTests : SnapshotStoreConformanceTests
{
    private readonly PostgresTestDatabase _db = new();

    protected override async ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => await PostgresPersistence.OpenAsync(_db.Options(clock));

    protected override ValueTask DropStoreAsync() => _db.DropAsync();
}

[Trait("Category", "Integration")]
[RequiresPostgres]
public sealed class PostgresLeaseStoreConformanceTests : LeaseStoreConformanceTests
{
    private readonly PostgresTestDatabase _db = new();

    protected override async ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => await PostgresPersistence.OpenAsync(_db.Options(clock));

    protected override ValueTask DropStoreAsync() => _db.DropAsync();
}

[Trait("Category", "Integration")]
[RequiresPostgres]
public sealed class PostgresEraseConformanceTests : EraseConformanceTests
{
    private readonly PostgresTestDatabase _db = new();

    protected override async ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => await PostgresPersistence.OpenAsync(_db.Options(clock));

    protected override ValueTask DropStoreAsync() => _db.DropAsync();
}
