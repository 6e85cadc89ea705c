using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// An event-sourced actor: it persists events before acting on them, and on start (and restart) recovers its
/// state from its latest snapshot plus the events after it, before it processes any command.
/// </summary>
/// <remarks>
/// <para>Register command handlers with <c>Receive</c>, event handlers with <see cref="Recover{T}"/> and snapshot
/// handlers with <see cref="RecoverSnapshot{T}"/>, in the constructor.</para>
/// <para><b>Persisting.</b> <see cref="Persist{TEvent}"/> and <see cref="PersistAll{TEvent}"/> called by a command
/// handler queue events; when the handler returns, all of them are written as one atomic write, and only after
/// the write is durable do their handlers run, in order. Meanwhile the mailbox is held: commands arriving in
/// between wait (they are effectively stashed) and run afterwards, in order; <c>Sender</c> stays the command's
/// sender inside the event handlers.</para>
/// <para><b>Failures.</b> A recovery failure (store error, unknown manifest, corrupt payload, missing or throwing
/// recover handler) logs an error, publishes <see cref="RecoveryFailed"/> on the event stream and stops the actor:
/// it never processes a command half-recovered. A persist failure (outcome unknown) calls
/// <see cref="OnPersistFailure"/> and stops the actor. A rejection (certainly not stored: sequence conflict or
/// fenced) calls <see cref="OnPersistRejected"/>, which stops the actor unless overridden.</para>
/// <para><b>Fencing.</b> Writes carry <see cref="Fence"/> (the lease owner and epoch) when set.</para>
/// <para>Recoveries run behind <see cref="ActorSystemOptions.MaxConcurrentRecoveries"/> permits.</para>
/// </remarks>
public abstract partial class PersistentActor : ReceiveActor
{
    private readonly HandlerSet _recoverHandlers = new();
    private readonly HandlerSet _snapshotHandlers = new();
    private readonly List<PendingEvent> _pending = [];
    private bool _applying;

    /// <summary>Initializes the actor on its stores.</summary>
    /// <param name="journal">The event journal.</param>
    /// <param name="snapshots">The snapshot store.</param>
    /// <param name="serializer">Serializes events and snapshots under stable manifests.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    protected PersistentActor(IJournal journal, ISnapshotStore snapshots, EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(serializer);
        Journal = journal;
        Snapshots = snapshots;
        Serializer = serializer;
    }

    /// <summary>Initializes the actor on the stores of one backend.</summary>
    /// <param name="persistence">The journal and snapshot store.</param>
    /// <param name="serializer">Serializes events and snapshots under stable manifests.</param>
    protected PersistentActor(IPersistence persistence, EventSerializer serializer)
        : this(persistence?.Journal!, persistence?.Snapshots!, serializer)
    {
    }

    /// <summary>Gets the stable identity of this actor's event stream (e.g. <c>deployment-42</c>).</summary>
    public abstract string PersistenceId { get; }

    /// <summary>Gets the sequence number of the last event persisted or recovered (0 when none).</summary>
    protected long LastSequenceNr { get; private set; }

    /// <summary>Gets a value indicating whether the actor is recovering (replaying its journal).</summary>
    protected bool IsRecovering { get; private set; }

    /// <summary>Gets or sets the lease this actor writes under; every append carries it and is rejected once the lease has moved on. <see langword="null"/> (the default) writes unfenced.</summary>
    protected FencingToken? Fence { get; set; }

    /// <summary>Gets the journal.</summary>
    protected IJournal Journal { get; }

    /// <summary>Gets the snapshot store.</summary>
    protected ISnapshotStore Snapshots { get; }

    /// <summary>Gets the serializer.</summary>
    protected EventSerializer Serializer { get; }

    /// <summary>Registers how an event of type <typeparamref name="T"/> changes the state, during recovery.</summary>
    /// <typeparam name="T">The event type.</typeparam>
    /// <param name="handler">Applies the event; must not have side effects beyond the state.</param>
    /// <remarks>A replayed event with no matching handler fails the recovery.</remarks>
    protected void Recover<T>(Action<T> handler) => _recoverHandlers.Add(new ActionHandler<T>(handler, null));

    /// <summary>Registers how a snapshot of type <typeparamref name="T"/> restores the state, at the start of recovery.</summary>
    /// <typeparam name="T">The snapshot state type.</typeparam>
    /// <param name="handler">Restores the state (<see cref="LastSequenceNr"/> is the snapshot's sequence number while it runs).</param>
    protected void RecoverSnapshot<T>(Action<T> handler) => _snapshotHandlers.Add(new ActionHandler<T>(handler, null));

    /// <summary>Registers how a snapshot of type <typeparamref name="T"/> restores the state when that needs I/O, at the start of recovery.</summary>
    /// <typeparam name="T">The snapshot state type.</typeparam>
    /// <param name="handler">Restores the state; may read the stores, e.g. a large immutable part the snapshot leaves in an early event
    /// (<see cref="Journal"/>, <see cref="Serializer"/>). Events after the snapshot are replayed once it completes; if it throws, the
    /// recovery fails naming the snapshot.</param>
    protected void RecoverSnapshotAsync<T>(Func<T, Task> handler) => _snapshotHandlers.Add(new AsyncHandler<T>(handler, null));

    /// <summary>Persists <paramref name="event"/>, then calls <paramref name="handler"/> with it once it is durable.</summary>
    /// <typeparam name="TEvent">The event type (registered with the serializer).</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="handler">Applies the event and performs its side effects.</param>
    /// <exception cref="InvalidOperationException">Called during recovery.</exception>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (IsRecovering)
        {
            throw new InvalidOperationException($"{PersistenceId}: cannot persist while recovering.");
        }

        _pending.Add(new PendingEvent(@event, e => handler((TEvent)e)));
    }

    /// <summary>Persists <paramref name="events"/> atomically, then calls <paramref name="handler"/> for each, in order, once they are durable.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="events">The events.</param>
    /// <param name="handler">Applies one event.</param>
    /// <exception cref="InvalidOperationException">Called during recovery.</exception>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
        {
            Persist(@event, handler);
        }
    }

    /// <summary>Runs <paramref name="handler"/> after the handlers of every event persisted before it in this command, once they are durable.</summary>
    /// <param name="handler">What to do once the preceding events are written (reply, schedule, snapshot).</param>
    /// <remarks>With nothing pending it runs at once. Called from an event handler, it also waits for the handlers of the events written with that one. If the write fails or is rejected, it never runs, like the events' own handlers.</remarks>
    /// <exception cref="InvalidOperationException">Called during recovery.</exception>
    protected void Defer(Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (IsRecovering)
        {
            throw new InvalidOperationException($"{PersistenceId}: cannot defer while recovering.");
        }

        // While a write's handlers run, the batch's later events are still unhandled: queue behind them.
        if (_pending.Count == 0 && !_applying)
        {
            handler();
            return;
        }

        _pending.Add(new PendingEvent(null, _ => handler()));
    }

    /// <summary>Saves <paramref name="state"/> as the snapshot at <see cref="LastSequenceNr"/>, in the background.</summary>
    /// <param name="state">The state (its type registered with the serializer).</param>
    /// <remarks>The outcome arrives as a <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/> message (ignored if not handled).</remarks>
    /// <exception cref="EventSerializationException">The state cannot be serialized.</exception>
    protected void SaveSnapshot(object state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sequenceNr = LastSequenceNr;
        var serialized = Serializer.Serialize(state);
        var persistenceId = PersistenceId;
        Snapshots.SaveAsync(persistenceId, sequenceNr, serialized.Manifest, serialized.Payload, CancellationToken.None)
            .AsTask()
            .PipeTo(
                Self,
                Self,
                success: () => new SaveSnapshotSuccess(persistenceId, sequenceNr),
                failure: ex => new SaveSnapshotFailure(persistenceId, sequenceNr, ex));
    }

    /// <summary>Called once recovery has replayed everything, before the first command.</summary>
    protected virtual void OnRecoveryCompleted()
    {
    }

    /// <summary>Called when recovery fails, just before the actor stops (the failure is already logged and published).</summary>
    /// <param name="cause">A <see cref="RecoveryFailedException"/> naming the persistence id, sequence number and manifest.</param>
    protected virtual void OnRecoveryFailure(RecoveryFailedException cause)
    {
    }

    /// <summary>Called when the journal failed to write (the outcome is unknown); the actor then stops.</summary>
    /// <param name="cause">The error.</param>
    /// <param name="event">The first event of the failed write.</param>
    /// <param name="sequenceNr">Its sequence number.</param>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
    }

    /// <summary>Called when the journal rejected a write (certainly not stored). The default stops the actor; override to continue.</summary>
    /// <param name="cause">Why: a <see cref="JournalConcurrencyException"/>, a <see cref="JournalFencedException"/> or an <see cref="EventSerializationException"/>.</param>
    /// <param name="event">The first event of the rejected write.</param>
    /// <param name="sequenceNr">Its sequence number.</param>
    /// <remarks>The events' handlers are not called and <see cref="LastSequenceNr"/> does not move.</remarks>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr) => Context.Stop(Self);

    /// <inheritdoc />
    protected override void Unhandled(object message)
    {
        if (message is SaveSnapshotSuccess)
        {
            return;
        }

        if (message is SaveSnapshotFailure failure)
        {
            PersistenceLog.SnapshotFailed(Context.System.Logger, PersistenceId, failure.SequenceNr, failure.Cause);
            return;
        }

        base.Unhandled(message);
    }

    // Event is null for a deferred handler: it is ordered with the events but not written.
    private sealed record PendingEvent(object? Event, Action<object> Handler)
    {
        public bool IsDeferred => Event is null;
    }
}
