using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.Persistence.Tests.Stores;

[Trait("Category", "Unit")]
public sealed class InMemoryJournalConformanceTests : JournalConformanceTests
{
    private InMemoryPersistence? _store;

    // "Reopening" an in-memory store gives back the same memory.
    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(_store ??= new InMemoryPersistence(clock));
}

[Trait("Category", "Unit")]
public sealed class InMemorySnapshotStoreConformanceTests : SnapshotStoreConformanceTests
{
    private InMemoryPersistence? _store;

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(_store ??= new InMemoryPersistence(clock));
}

[Trait("Category", "Unit")]
public sealed class InMemoryLeaseStoreConformanceTests : LeaseStoreConformanceTests
{
    private InMemoryPersistence? _store;

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(_store ??= new InMemoryPersistence(clock));
}

[Trait("Category", "Unit")]
public sealed class InMemoryEraseConformanceTests : EraseConformanceTests
{
    private InMemoryPersistence? _store;

    protected override ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock) => ValueTask.FromResult<IPersistence>(_store ??= new InMemoryPersistence(clock));
}
