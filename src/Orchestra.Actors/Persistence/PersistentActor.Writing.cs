namespace Orchestra.Actors.Persistence;

/// <content>Message interception and the write path: a command's events are written before their handlers run.</content>
public abstract partial class PersistentActor
{
    private protected override ValueTask AroundReceive(object message)
    {
        if (message is RecoveryStart)
        {
            // Events persisted by OnRecoveryCompleted are written before the first command runs.
            return WriteAfterAsync(RecoverAsync());
        }

        if (_stopped || IsRecovering)
        {
            // Stopping after a failure: the Terminate already queued wins; nothing more is processed.
            return default;
        }

        ValueTask handled;
        try
        {
            handled = base.AroundReceive(message);
        }
        catch
        {
            // A command that throws after persisting: its events are dropped with it, never written with the next command.
            _pending.Clear();
            throw;
        }

        // An async handler may persist after an await: its events are written once it completes.
        return handled.IsCompletedSuccessfully && _pending.Count == 0 ? handled : WriteAfterAsync(handled);
    }

    private async ValueTask WriteAfterAsync(ValueTask handled)
    {
        try
        {
            await handled.ConfigureAwait(false);

            // Event handlers may persist again: loop until nothing is pending.
            while (_pending.Count > 0 && !_stopped)
            {
                var batch = _pending.ToArray();
                _pending.Clear();
                await WriteAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever a failed command or event handler left pending belongs to it: nothing carries over to the next command.
            _pending.Clear();
        }
    }

    private async ValueTask WriteAsync(PendingEvent[] batch)
    {
        _applying = true;
        try
        {
            await WriteAndApplyAsync(batch).ConfigureAwait(false);
        }
        finally
        {
            _applying = false;
        }
    }

    private async ValueTask WriteAndApplyAsync(PendingEvent[] batch)
    {
        // Deferred before the first event (queued by the previous batch's handlers): all they wait for is handled.
        var start = 0;
        while (start < batch.Length && batch[start].IsDeferred)
        {
            batch[start].Handler(null!);
            start++;
        }

        if (start == batch.Length)
        {
            return;
        }

        if (start > 0)
        {
            batch = batch[start..];
        }

        var count = 0;
        foreach (var pending in batch)
        {
            count += pending.IsDeferred ? 0 : 1;
        }

        var first = LastSequenceNr + 1;
        var last = LastSequenceNr + count;
        var firstEvent = FirstEvent(batch);
        EventToAppend[] events;
        try
        {
            events = new EventToAppend[count];
            var i = 0;
            foreach (var pending in batch)
            {
                if (!pending.IsDeferred)
                {
                    events[i] = Serializer.ToAppend(first + i, pending.Event!);
                    i++;
                }
            }
        }
        catch (EventSerializationException ex)
        {
            Reject(ex, firstEvent, first, last);
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
                OnPersistFailure(ex, firstEvent, first);
            }
            finally
            {
                Context.Stop(Self);
            }

            return;
        }

        if (!result.IsSuccess)
        {
            Reject(result.Rejection!, firstEvent, first, last);
            return;
        }

        LastSequenceNr = last;
        foreach (var pending in batch)
        {
            pending.Handler(pending.Event!);
        }
    }

    private static object FirstEvent(PendingEvent[] batch)
    {
        foreach (var pending in batch)
        {
            if (!pending.IsDeferred)
            {
                return pending.Event!;
            }
        }

        throw new InvalidOperationException("The batch has no event.");
    }

    private void Reject(Exception cause, object @event, long first, long last)
    {
        PersistenceLog.PersistRejected(Context.System.Logger, PersistenceId, first, last, cause);
        _pending.Clear();
        OnPersistRejected(cause, @event, first);
    }
}
