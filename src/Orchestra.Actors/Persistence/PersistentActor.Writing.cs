namespace Orchestra.Actors.Persistence;

/// <content>Message interception and the write path: a command's events are written before their handlers run.</content>
public abstract partial class PersistentActor
{
    private protected override ValueTask AroundReceive(object message)
    {
        if (message is RecoveryStart)
        {
            return RecoverAsync();
        }

        if (_stopped || IsRecovering)
        {
            // Stopping after a failure: the Terminate already queued wins; nothing more is processed.
            return default;
        }

        var handled = base.AroundReceive(message);

        // An async handler may persist after an await: its events are written once it completes.
        return handled.IsCompletedSuccessfully && _pending.Count == 0 ? handled : WriteAfterAsync(handled);
    }

    private async ValueTask WriteAfterAsync(ValueTask handled)
    {
        await handled.ConfigureAwait(false);

        // Event handlers may persist again: loop until nothing is pending.
        while (_pending.Count > 0 && !_stopped)
        {
            var batch = _pending.ToArray();
            _pending.Clear();
            await WriteAsync(batch).ConfigureAwait(false);
        }

        _pending.Clear();
    }

    private async ValueTask WriteAsync(PendingEvent[] batch)
    {
        var first = LastSequenceNr + 1;
        var last = LastSequenceNr + batch.Length;
        EventToAppend[] events;
        try
        {
            events = new EventToAppend[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                events[i] = Serializer.ToAppend(first + i, batch[i].Event);
            }
        }
        catch (EventSerializationException ex)
        {
            Reject(ex, batch[0].Event, first, last);
            return;
        }

        AppendResult result;
        try
        {
            result = await Journal.AppendAsync(new AtomicWrite(PersistenceId, events, Fence), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _stopped = true;
            PersistenceLog.PersistFailed(Context.System.Logger, PersistenceId, first, last, ex);
            try
            {
                OnPersistFailure(ex, batch[0].Event, first);
            }
            finally
            {
                Context.Stop(Self);
            }

            return;
        }

        if (!result.IsSuccess)
        {
            Reject(result.Rejection!, batch[0].Event, first, last);
            return;
        }

        LastSequenceNr = last;
        foreach (var pending in batch)
        {
            pending.Handler(pending.Event);
        }
    }

    private void Reject(Exception cause, object @event, long first, long last)
    {
        PersistenceLog.PersistRejected(Context.System.Logger, PersistenceId, first, last, cause);
        _pending.Clear();
        OnPersistRejected(cause, @event, first);
    }
}
