using Orchestra.Actors.Persistence;
using Xunit;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>
/// Base of the persistence conformance suites: opens a fresh, isolated backend per test and can reopen it.
/// </summary>
/// <remarks>xunit creates one instance per test, so a derived class can pick a unique database per instance.</remarks>
public abstract class PersistenceConformanceBase : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private IPersistence? _store;

    /// <summary>The clock given to the stores; <see cref="AdvanceClock"/> moves it.</summary>
    protected TimeProvider Clock => _clock;

    /// <summary>The open stores of this test.</summary>
    protected IPersistence Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>
    /// Opens this test's backend. Called once at the start of each test and again by <see cref="ReopenAsync"/>
    /// after the previous instance was disposed: it must open the SAME database again (file, schema).
    /// </summary>
    /// <param name="clock">The clock the stores must use for timestamps and lease expiry.</param>
    protected abstract ValueTask<IPersistence> OpenStoreAsync(TimeProvider clock);

    /// <summary>Removes this test's database after the store was disposed (optional).</summary>
    protected virtual ValueTask DropStoreAsync() => ValueTask.CompletedTask;

    /// <summary>Moves the clock forward.</summary>
    /// <param name="by">How far.</param>
    protected void AdvanceClock(TimeSpan by) => _clock.Advance(by);

    /// <summary>Disposes the stores (flushing pending writes) and opens the same database again.</summary>
    protected async Task<IPersistence> ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await OpenStoreAsync(_clock);
        return _store;
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await OpenStoreAsync(_clock);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }

        await DropStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Appends one test event (unfenced) and returns the result.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNrs">The sequence numbers of one atomic write.</param>
    protected ValueTask<AppendResult> AppendAsync(string persistenceId, params long[] sequenceNrs) =>
        Store.Journal.AppendAsync(new AtomicWrite(persistenceId, sequenceNrs.Select(s => TestEvent.Create(persistenceId, s)).ToArray()));

    /// <summary>Reads events into a list.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="from">First sequence number.</param>
    /// <param name="to">Last sequence number.</param>
    /// <param name="max">Maximum count.</param>
    protected async Task<List<JournalEvent>> ReadAsync(string persistenceId, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var list = new List<JournalEvent>();
        await foreach (var e in Store.Journal.ReadEventsAsync(persistenceId, from, to, max))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Asserts that a stored event is the test event written for its own position.</summary>
    /// <param name="e">The stored event.</param>
    protected static void AssertIntact(JournalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var decoded = Assert.IsType<TestEvent>(TestEvent.Serializer.Deserialize(e));
        Assert.Equal(e.PersistenceId, decoded.PersistenceId);
        Assert.Equal(e.SequenceNr, decoded.SequenceNr);
    }
}
