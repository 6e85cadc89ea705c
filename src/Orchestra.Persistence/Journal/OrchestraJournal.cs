using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Serialization;
using StoreWrite = Orchestra.Actors.Persistence.AtomicWrite;
using AtomicWrite = Akka.Persistence.AtomicWrite;

namespace Orchestra.Persistence.Journal;

/// <summary>
/// Akka.Persistence journal plugin on an Orchestra <see cref="IJournal"/>: the group-committed SQLite or PostgreSQL
/// journal, with a verdict per <see cref="AtomicWrite"/> and fenced writes (<see cref="Fenced"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Writes.</b> Akka calls <see cref="WriteMessagesAsync"/> concurrently for different persistent actors, one call
/// at a time per persistence id. Every atomic write of a call goes to the store's group-commit queue at once, so the
/// writes of many actors share one transaction. Each atomic write gets its own verdict: success; a rejection (an
/// <see cref="Exception"/> in the returned list, the actor's <c>OnPersistRejected</c>) when nothing was stored: a
/// sequence conflict (<see cref="JournalConcurrencyException"/>), a stale lease (<see cref="JournalFencedException"/>),
/// an event that cannot be serialized, or events of one write fenced differently; a failure (the returned task
/// faults, the actor's <c>OnPersistFailure</c> stops it) when the outcome is unknown (I/O, lost connection). A
/// rejection of one actor's write never fails another actor's write in the same transaction.
/// </para>
/// <para>
/// <b>Highest sequence number.</b> An actor that restarts before its writes completed asks for its highest sequence
/// number while they are still queued; <see cref="ReadHighestSequenceNrAsync"/> waits for the writes in flight for
/// that persistence id first, or the new incarnation would reuse their sequence numbers.
/// </para>
/// <para>
/// <b>Rows.</b> The journal stores the event's stable manifest and payload (see <see cref="PayloadSerializer"/>) and
/// the fence's writer and epoch; Akka's writer GUID, sender and tags are not stored. A replayed event's
/// <see cref="IPersistentRepresentation.WriterGuid"/> is the fence's writer (empty when unfenced) and its timestamp
/// the store's write time in UTC ticks.
/// </para>
/// <para>Recovery runs behind Akka's <c>akka.persistence.max-concurrent-recoveries</c>, like any journal's.</para>
/// </remarks>
public abstract class OrchestraJournal : AsyncWriteJournal
{
    private readonly ConcurrentDictionary<string, Task> _writesInFlight = new(StringComparer.Ordinal);
    private readonly PayloadSerializer _serializer;
    private Task<OrchestraPluginStore>? _store;

    /// <summary>Creates the plugin actor.</summary>
    protected OrchestraJournal()
    {
        _serializer = OrchestraPersistence.Get(Context.System).Serializer;
    }

    /// <summary>Opens (or joins) the store this plugin writes to, through <see cref="OrchestraPersistence.GetOrOpen"/>.</summary>
    /// <returns>The store, opening or open.</returns>
    protected abstract Task<OrchestraPluginStore> OpenStore();

    private Task<OrchestraPluginStore> Store => _store ??= OpenStore();

    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        _ = Store;
    }

    /// <inheritdoc />
    protected sealed override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var task = WriteAsync(writes, cancellationToken);
        if (!task.IsCompleted)
        {
            TrackInFlight(writes, task);
        }

        return task;
    }

    /// <inheritdoc />
    public sealed override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_writesInFlight.TryGetValue(persistenceId, out var inFlight))
        {
            // Its outcome is the writer's business: only wait until the store has decided it.
            await inFlight.ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        var store = await Store.ConfigureAwait(false);
        return await store.Persistence.Journal.ReadHighestSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public sealed override async Task ReplayMessagesAsync(
        IActorContext context,
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        ArgumentNullException.ThrowIfNull(recoveryCallback);
        if (max <= 0)
        {
            return;
        }

        var store = await Store.ConfigureAwait(false);
        await foreach (var e in store.Persistence.Journal.ReadEventsAsync(persistenceId, fromSequenceNr, toSequenceNr, max).ConfigureAwait(false))
        {
            var payload = _serializer.Deserialize(e.Manifest, e.Payload, e.PersistenceId, e.SequenceNr);
            recoveryCallback(new Persistent(
                payload,
                e.SequenceNr,
                e.PersistenceId,
                manifest: string.Empty,
                isDeleted: false,
                sender: ActorRefs.NoSender,
                writerGuid: e.Writer ?? string.Empty,
                timestamp: e.Timestamp.UtcTicks));
        }
    }

    /// <inheritdoc />
    protected sealed override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        var store = await Store.ConfigureAwait(false);
        await store.Persistence.Journal.DeleteEventsToAsync(persistenceId, toSequenceNr, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IImmutableList<Exception>> WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var store = await Store.ConfigureAwait(false);
        Exception?[]? verdicts = null;
        var appends = new Task<AppendResult>?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            StoreWrite write;
            try
            {
                write = ToStoreWrite(writes[i]);
                write.Validate();
            }
            catch (Exception ex) when (ex is EventSerializationException or ArgumentException)
            {
                (verdicts ??= new Exception?[writes.Count])[i] = ex;
                continue;
            }

            appends[i] = store.Persistence.Journal.AppendAsync(write, cancellationToken).AsTask();
        }

        for (var i = 0; i < appends.Length; i++)
        {
            if (appends[i] is not { } append)
            {
                continue;
            }

            // A thrown append (outcome unknown) faults the whole call: Akka fails every write of this one actor.
            var result = await append.ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                (verdicts ??= new Exception?[writes.Count])[i] = result.Rejection;
            }
        }

        // Akka reads null as "all succeeded".
        return verdicts is null ? null! : ImmutableList.Create<Exception>(verdicts!);
    }

    private StoreWrite ToStoreWrite(AtomicWrite write)
    {
        var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
        var toAppend = new EventToAppend[events.Count];
        FencingToken? fence = null;
        for (var i = 0; i < events.Count; i++)
        {
            var representation = events[i];
            var payload = representation.Payload;
            var token = default(FencingToken);
            if (payload is Fenced fenced)
            {
                token = fenced.Token ?? throw new ArgumentException($"Event {representation.SequenceNr} of '{write.PersistenceId}' is fenced without a token.");
                payload = fenced.Event ?? throw new ArgumentException($"Event {representation.SequenceNr} of '{write.PersistenceId}' is fenced without an event.");
            }

            if (i == 0)
            {
                fence = token;
            }
            else if (!Equals(fence, token))
            {
                throw new ArgumentException(
                    $"The events {write.LowestSequenceNr}..{write.HighestSequenceNr} of '{write.PersistenceId}' are not all fenced by the same lease: one atomic write has one fence.");
            }

            var serialized = _serializer.Serialize(payload);
            toAppend[i] = new EventToAppend(representation.SequenceNr, serialized.Manifest, serialized.Payload);
        }

        return new StoreWrite(write.PersistenceId, toAppend, fence);
    }

    private void TrackInFlight(IReadOnlyList<AtomicWrite> writes, Task task)
    {
        foreach (var write in writes)
        {
            _writesInFlight[write.PersistenceId] = task;
        }

        // Registered after the entries, so a write that completes meanwhile still removes them.
        task.ContinueWith(
            (done, state) =>
            {
                var (map, ids) = ((ConcurrentDictionary<string, Task>, IReadOnlyList<AtomicWrite>))state!;
                foreach (var write in ids)
                {
                    map.TryRemove(new KeyValuePair<string, Task>(write.PersistenceId, done));
                }
            },
            (_writesInFlight, writes),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
