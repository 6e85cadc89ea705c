namespace Orchestra.Actors.Dispatch;

/// <content>User message processing, including async handlers that suspend the mailbox until they complete.</content>
internal sealed partial class ActorCell
{
    private bool _awaiting;
    private volatile bool _awaitDone;
    private Task? _pendingTask;
    private Action? _onAwaitDone;

    private void Invoke(Envelope envelope)
    {
        _current = envelope;
        var message = envelope.Message;
        try
        {
            switch (message)
            {
                case TimerScheduler.TimerEntry timer:
                    if (_timers is null || !_timers.TryConsume(timer))
                    {
                        _current = null;
                        return;
                    }

                    envelope.Message = message = timer.Message;
                    break;
                case WatchedTerminated watched:
                    if (_watching is null || !_watching.Remove(watched.Actor))
                    {
                        _current = null;
                        return;
                    }

                    envelope.Message = message = new Terminated(watched.Actor);
                    break;
                case PoisonPill:
                    _current = null;
                    HandleTerminate();
                    return;
                case Kill:
                    // A failure like any other: the supervisor decides, and PreRestart sees the Kill as the failing message.
                    throw new ActorKilledException($"Actor {Path} was killed (Kill message).");
            }

            var pending = _actor!.InvokeReceive(message);
            if (pending.IsCompletedSuccessfully)
            {
                _current = null;
                return;
            }

            BeginAwait(pending.AsTask());
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void BeginAwait(Task task)
    {
        _awaiting = true;
        _awaitDone = false;
        _pendingTask = task;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onAwaitDone ??= OnAwaitDone);
    }

    private void OnAwaitDone()
    {
        _awaitDone = true;
        Schedule();
    }

    private void CompleteAwait()
    {
        var task = _pendingTask!;
        _pendingTask = null;
        _awaiting = false;
        _awaitDone = false;
        if (task.IsFaulted)
        {
            var exception = task.Exception!;
            Fail(exception.InnerExceptions.Count == 1 ? exception.InnerException! : exception);
        }
        else if (task.IsCanceled)
        {
            Fail(new TaskCanceledException(task));
        }
        else
        {
            _current = null;
        }
    }
}
