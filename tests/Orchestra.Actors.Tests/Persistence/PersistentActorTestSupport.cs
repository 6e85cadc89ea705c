using System.Runtime.CompilerServices;
using Orchestra.Actors.Persistence;

namespace Orchestra.Actors.Tests.Persistence;

internal sealed record Add(string Item);

internal sealed record AddAsync(string Item);

internal sealed record AddMany(string[] Items);

internal sealed record GetCart;

internal sealed record TakeSnapshot;

internal sealed record CartView(string[] Items, long LastSequenceNr);

internal sealed record ItemAdded(string Item);

internal sealed record CartSnapshot(string[] Items);

/// <summary>A small persistent actor for the tests: a list of items, events and snapshots reported to a probe.</summary>
internal sealed class Cart : PersistentActor
{
    private readonly IActorRef? _report;
    private List<string> _items = [];

    public Cart(string persistenceId, IJournal journal, ISnapshotStore snapshots, IActorRef? report = null, FencingToken? fence = null)
        : base(journal, snapshots, CartSerializer.Instance)
    {
        PersistenceId = persistenceId;
        _report = report;
        Fence = fence;
        Recover<ItemAdded>(e =>
        {
            _items.Add(e.Item);
            _report?.Tell("replayed:" + e.Item);
        });
        RecoverSnapshot<CartSnapshot>(s =>
        {
            _items = [.. s.Items];
            _report?.Tell("snapshot:" + string.Join(",", s.Items));
        });
        Receive<Add>(c => Persist(new ItemAdded(c.Item), e =>
        {
            _items.Add(e.Item);
            Sender.Tell("added:" + e.Item);
        }));
        ReceiveAsync<AddAsync>(async c =>
        {
            await Task.Yield();
            Persist(new ItemAdded(c.Item), e =>
            {
                _items.Add(e.Item);
                Sender.Tell("added:" + e.Item);
            });
        });
        Receive<AddMany>(c => PersistAll(c.Items.Select(i => new ItemAdded(i)), e => _items.Add(e.Item)));
        Receive<GetCart>(_ => Sender.Tell(new CartView([.. _items], LastSequenceNr)));
        Receive<TakeSnapshot>(_ => SaveSnapshot(new CartSnapshot([.. _items])));
        Receive<SaveSnapshotSuccess>(s => _report?.Tell(s));
    }

    public override string PersistenceId { get; }

    protected override void OnRecoveryCompleted() => _report?.Tell("recovered");

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _report?.Tell(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) => _report?.Tell("persist-failed:" + sequenceNr);
}

internal static class CartSerializer
{
    public static EventSerializer Instance { get; } = new(new EventTypeRegistry()
        .Register<ItemAdded>("cart.item-added.v1")
        .Register<CartSnapshot>("cart.snapshot.v1"));
}

/// <summary>A journal decorator that can hold appends and reads at a gate, fail appends, and count reads in progress.</summary>
internal sealed class ControlledJournal(IJournal inner) : IJournal
{
    private int _reading;

    public TaskCompletionSource? AppendGate { get; set; }

    public TaskCompletionSource? ReadGate { get; set; }

    public Exception? AppendFailure { get; set; }

    public int AppendsStarted;

    public int Reading => Volatile.Read(ref _reading);

    public async ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref AppendsStarted);
        if (AppendGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (AppendFailure is { } failure)
        {
            throw failure;
        }

        return await inner.AppendAsync(write, cancellationToken);
    }

    public async IAsyncEnumerable<JournalEvent> ReadEventsAsync(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue, long max = long.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reading);
        try
        {
            if (ReadGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            await foreach (var e in inner.ReadEventsAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken))
            {
                yield return e;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }
    }

    public ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);

    public ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) => inner.DeleteEventsToAsync(persistenceId, toSequenceNr, cancellationToken);

    public IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(long afterOrdering, int max = int.MaxValue, CancellationToken cancellationToken = default) => inner.ReadAllEventsAsync(afterOrdering, max, cancellationToken);

    public IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, CancellationToken cancellationToken = default) => inner.ReadPersistenceIdsAsync(prefix, cancellationToken);
}
