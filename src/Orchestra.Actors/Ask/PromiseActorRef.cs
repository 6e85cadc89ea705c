using Orchestra.Actors.Dispatch;

namespace Orchestra.Actors;

/// <summary>The temporary ref of one ask: the first reply completes the task; it is never registered anywhere, so nothing leaks.</summary>
/// <typeparam name="T">The expected reply type.</typeparam>
internal sealed class PromiseActorRef<T> : InternalActorRef
{
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IActorRef _target;
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;
    private int _completed;

    public PromiseActorRef(ActorSystem system, IActorRef target)
        : base(system, system.NewTempPath())
    {
        _target = target;
        system.AskStarted();
    }

    public Task<T> Task => _promise.Task;

    public override bool IsTerminated => Volatile.Read(ref _completed) != 0;

    public void Start(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((PromiseActorRef<T>)state!).Cancel(token), this);
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = System.TimeProvider.CreateTimer(static state => ((PromiseActorRef<T>)state!).TimeOut(), this, timeout, Timeout.InfiniteTimeSpan);
        }

        // Completed while arming (an immediate reply or timeout): release what was armed after the cleanup ran.
        if (IsTerminated)
        {
            Release();
        }
    }

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message switch
        {
            T reply => TryComplete(p => p.TrySetResult(reply)),
            Status.Failure failure => TryComplete(p => p.TrySetException(failure.Cause)),
            _ => TryComplete(p => p.TrySetException(new InvalidCastException(
                $"Ask to {_target.Path} expected a reply of type {typeof(T).Name} but got {message.GetType().Name}."))),
        };
        if (!completed)
        {
            System.DeadLetterOffice.Publish(message, sender, this);
        }
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && IsTerminated)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }

    private void TimeOut() => TryComplete(p => p.TrySetException(new AskTimeoutException($"Ask to {_target.Path} timed out: no reply within the timeout.")));

    private void Cancel(CancellationToken token) => TryComplete(p => p.TrySetCanceled(token));

    private bool TryComplete(Action<TaskCompletionSource<T>> complete)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Release();
        System.AskEnded();
        complete(_promise);
        return true;
    }

    private void Release()
    {
        _timer?.Dispose();
        _registration.Unregister();
    }
}
