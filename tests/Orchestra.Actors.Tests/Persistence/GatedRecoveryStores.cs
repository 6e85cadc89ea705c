using System.Collections.Concurrent;
using System.Threading.Channels;
using Orchestra.Actors.Persistence;

namespace Orchestra.Actors.Tests.Persistence;

/// <summary>
/// Wraps a journal and snapshot store so that every recovery stops at a gate the test opens, and counts the
/// recoveries in flight: from the snapshot load (the first read of a recovery) to the read of the highest sequence
/// number (its last), both inside the recovery permit.
/// </summary>
internal sealed class GatedRecoveryStores(IJournal journal, ISnapshotStore snapshots) : IJournal, ISnapshotStore
{
    private readonly Channel<Arrival> _arrivals = Channel.CreateUnbounded<Arrival>();
    private readonly ConcurrentQueue<Arrival> _all = new();
    private volatile bool _open;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Gets the recoveries that reached the gate, in order.</summary>
    public ChannelReader<Arrival> Arrivals => _arrivals.Reader;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < inFlight && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }

        var arrival = new Arrival(persistenceId, inFlight);
        _all.Enqueue(arrival);
        _arrivals.Writer.TryWrite(arrival);
        if (_open)
        {
            arrival.Gate.TrySetResult();
        }

        await arrival.Gate.Task.WaitAsync(cancellationToken);
        return await snapshots.LoadLatestAsync(persistenceId, maxSequenceNr, cancellationToken);
    }

    /// <summary>Opens every gate, now and for later arrivals, so a failed test does not leave actors (and their system's shutdown) stuck.</summary>
    public void OpenAll()
    {
        _open = true;
        foreach (var arrival in _all)
        {
            arrival.Gate.TrySetResult();
        }
    }

    public async ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        var highest = await journal.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);
        Interlocked.Decrement(ref _inFlight);
        return highest;
    }

    public ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        snapshots.SaveAsync(persistenceId, sequenceNr, manifest, payload, cancellationToken);

    public ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default) =>
        snapshots.DeleteOlderThanAsync(persistenceId, sequenceNr, cancellationToken);

    public ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default) => journal.AppendAsync(write, cancellationToken);

    public IAsyncEnumerable<JournalEvent> ReadEventsAsync(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue, long max = long.MaxValue, CancellationToken cancellationToken = default) =>
        journal.ReadEventsAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken);

    public ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) => journal.DeleteEventsToAsync(persistenceId, toSequenceNr, cancellationToken);

    public IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(long afterOrdering, int max = int.MaxValue, CancellationToken cancellationToken = default) => journal.ReadAllEventsAsync(afterOrdering, max, cancellationToken);

    public IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, CancellationToken cancellationToken = default) => journal.ReadPersistenceIdsAsync(prefix, cancellationToken);

    /// <summary>A recovery held at the gate.</summary>
    /// <param name="PersistenceId">Whose recovery.</param>
    /// <param name="InFlightAtArrival">How many recoveries were in flight, this one included, when it arrived.</param>
    internal sealed record Arrival(string PersistenceId, int InFlightAtArrival)
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
