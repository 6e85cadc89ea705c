using Orchestra.Actors.Internal;

namespace Orchestra.Actors.Dispatch;

/// <content>Lifecycle: create, fail, restart, stop. All on the actor's own turn.</content>
internal sealed partial class ActorCell
{
    private void HandleSystemMessage(SystemMessage message)
    {
        if (_state == CellState.Terminated)
        {
            if (message is Watch late && ReferenceEquals(late.Watchee, _self))
            {
                late.Watcher.SendSystemMessage(new DeathWatchNotification(_self));
            }

            return;
        }

        switch (message)
        {
            case Create:
                HandleCreate();
                break;
            case Terminate:
                HandleTerminate();
                break;
            case Failed failed:
                HandleFailed(failed);
                break;
            case Recreate recreate:
                HandleRecreate(recreate.Cause);
                break;
            case Suspend:
                _suspended = true;
                SendToChildren(static () => new Suspend());
                break;
            case Resume:
                HandleResume();
                break;
            case Watch watch:
                HandleWatch(watch);
                break;
            case Unwatch unwatch:
                _watchedBy?.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                HandleDeathWatchNotification(notification.Actor);
                break;
        }
    }

    private void HandleCreate()
    {
        if (_state != CellState.Created)
        {
            return;
        }

        _state = CellState.Running;
        try
        {
            NewActor();
            _actor!.InvokePreStart();
        }
        catch (Exception ex)
        {
            Fail(new ActorInitializationException($"Actor {Path} failed to start: {ex.Message}", ex));
        }
    }

    /// <summary>Suspends this actor and its children, and asks the parent what to do.</summary>
    private void Fail(Exception cause)
    {
        if (_state is CellState.Terminating or CellState.Terminated)
        {
            Log.FailedWhileStopping(_system.Logger, Path.ToString(), cause);
            return;
        }

        _suspended = true;
        SendToChildren(static () => new Suspend());
        if (_parent is null)
        {
            Log.RootFailed(_system.Logger, Path.ToString(), cause);
            HandleTerminate();
            return;
        }

        _parent._self.SendSystemMessage(new Failed(_self, cause));
    }

    private void HandleResume()
    {
        if (_state != CellState.Running)
        {
            return;
        }

        if (_actor is null)
        {
            // Nothing to resume (the constructor failed): a fresh instance is the only way on.
            HandleRecreate(new ActorInitializationException($"Actor {Path} has no instance to resume."));
            return;
        }

        if (_suspended)
        {
            _suspended = false;
            _current = null;
        }

        SendToChildren(static () => new Resume());
    }

    private void HandleRecreate(Exception cause)
    {
        if (_state is CellState.Terminating or CellState.Terminated or CellState.Restarting)
        {
            return;
        }

        var failed = _actor;
        if (failed is not null)
        {
            try
            {
                failed.InvokePreRestart(cause, _current?.Message);
            }
            catch (Exception ex)
            {
                Log.HookFailed(_system.Logger, "PreRestart", Path.ToString(), ex);
            }
        }

        _timers?.CancelAll();
        _stash?.UnstashAllForRestart();
        _current = null;
        _actor = null;
        _restartCause = cause;
        _state = CellState.Restarting;
        if (StopAllChildren(close: false) == 0)
        {
            FinishRecreate();
        }
    }

    private void FinishRecreate()
    {
        var cause = _restartCause!;
        _restartCause = null;
        _state = CellState.Running;
        try
        {
            NewActor();
            _actor!.InvokePostRestart(cause);
            _suspended = false;
        }
        catch (Exception ex)
        {
            Fail(new ActorInitializationException($"Actor {Path} failed to restart: {ex.Message}", ex));
        }
    }

    private void HandleTerminate()
    {
        if (_state is CellState.Terminating or CellState.Terminated)
        {
            return;
        }

        _state = CellState.Terminating;
        _timers?.CancelAll();
        if (StopAllChildren(close: true) == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        _actor = null;
        if (actor is not null)
        {
            try
            {
                actor.InvokePostStop();
            }
            catch (Exception ex)
            {
                Log.HookFailed(_system.Logger, "PostStop", Path.ToString(), ex);
            }
        }

        _state = CellState.Terminated;
        _current = null;
        if (SubscribedToEvents)
        {
            _system.EventStream.Unsubscribe(_self);
        }

        _stash?.DeadLetterAll();
        _terminated = true;
        DrainInboxToDeadLetters();
        NotifyWatchersAndParent();
        DrainLateSystemMessages();
        if (_parent is null)
        {
            _system.OnRootTerminated();
        }
    }
}
