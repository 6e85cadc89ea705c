using Orchestra.Actors.Dispatch;
using Orchestra.Actors.Events;

namespace Orchestra.Actors.Persistence;

/// <content>Recovery: latest snapshot, then the events after it, before any command.</content>
public abstract partial class PersistentActor
{
    private bool _stopped;

    private protected override void AroundPreStart()
    {
        base.AroundPreStart();
        ScheduleRecovery();
    }

    private protected override void AroundPostRestart(Exception reason)
    {
        base.AroundPostRestart(reason);
        ScheduleRecovery();
    }

    private void ScheduleRecovery()
    {
        // First in the mailbox: commands already queued wait behind the recovery.
        IsRecovering = true;
        Cell.Prepend(new Envelope(RecoveryStart.Instance, null));
    }

    private async ValueTask RecoverAsync()
    {
        var system = Context.System;
        var permits = system.RecoveryPermits;
        await permits.WaitAsync().ConfigureAwait(false);
        long? sequenceNr = null;
        string? manifest = null;
        long replayed = 0;
        try
        {
            var snapshot = await Snapshots.LoadLatestAsync(PersistenceId).ConfigureAwait(false);
            if (snapshot is not null)
            {
                sequenceNr = snapshot.SequenceNr;
                manifest = snapshot.Manifest;
                var state = Serializer.Deserialize(snapshot);

                // The snapshot handler sees the sequence number the snapshot was taken at.
                LastSequenceNr = snapshot.SequenceNr;
                if (!TryApply(_snapshotHandlers, state, out var restoring))
                {
                    throw new InvalidOperationException($"No RecoverSnapshot handler accepts a snapshot of type {state.GetType().Name}.");
                }

                await restoring.ConfigureAwait(false);
            }

            await foreach (var stored in Journal.ReadEventsAsync(PersistenceId, LastSequenceNr + 1).ConfigureAwait(false))
            {
                sequenceNr = stored.SequenceNr;
                manifest = stored.Manifest;
                var @event = Serializer.Deserialize(stored);
                if (!TryApply(_recoverHandlers, @event, out _))
                {
                    throw new InvalidOperationException($"No Recover handler accepts an event of type {@event.GetType().Name}.");
                }

                LastSequenceNr = stored.SequenceNr;
                replayed++;
            }

            sequenceNr = null;
            manifest = null;

            // Events deleted after a snapshot still hold their sequence numbers: never reuse them.
            LastSequenceNr = Math.Max(LastSequenceNr, await Journal.ReadHighestSequenceNrAsync(PersistenceId).ConfigureAwait(false));
            IsRecovering = false;
            PersistenceLog.Recovered(system.Logger, PersistenceId, LastSequenceNr, replayed);
            OnRecoveryCompleted();
        }
        catch (JournalCorruptedException ex)
        {
            // The store refused the row before it reached the loop: the row names itself.
            FailRecovery(ex, ex.SequenceNr, ex.Manifest);
        }
        catch (Exception ex)
        {
            FailRecovery(ex, sequenceNr, manifest);
        }
        finally
        {
            permits.Release();
        }
    }

    private void FailRecovery(Exception cause, long? sequenceNr, string? manifest)
    {
        _stopped = true;
        var where = sequenceNr is null ? string.Empty : $" at sequence number {sequenceNr}";
        var what = manifest is null ? string.Empty : $" (manifest '{manifest}')";
        var failure = new RecoveryFailedException(
            PersistenceId,
            sequenceNr,
            manifest,
            $"Recovery of persistence id '{PersistenceId}' failed{where}{what}: {cause.Message}",
            cause);
        var system = Context.System;
        PersistenceLog.RecoveryFailed(system.Logger, PersistenceId, sequenceNr, manifest, Self.Path.ToString(), failure);
        system.EventStream.Publish(new RecoveryFailed(PersistenceId, sequenceNr, manifest, Self, failure));
        try
        {
            OnRecoveryFailure(failure);
        }
        finally
        {
            // Stop goes before any queued command: the actor never runs half-recovered.
            Context.Stop(Self);
        }
    }

    private static bool TryApply(Internal.HandlerSet handlers, object message, out ValueTask pending)
    {
        foreach (var handler in handlers.Items)
        {
            if (handler.TryHandle(message, out pending))
            {
                return true;
            }
        }

        pending = default;
        return false;
    }
}
