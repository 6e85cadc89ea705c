namespace Orchestra.Actors.Persistence;

/// <summary>One append waiting in a <see cref="GroupCommitJournal"/> batch.</summary>
/// <remarks>Used by the single writer loop only; not thread-safe beyond the cancellation hand-off.</remarks>
public sealed class JournalBatchItem
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<AppendResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;
    private int _state;

    internal JournalBatchItem(AtomicWrite write, CancellationToken cancellationToken)
    {
        Write = write;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((JournalBatchItem)state!).CancelIfQueued(token), this);
        }
    }

    /// <summary>The append.</summary>
    public AtomicWrite Write { get; }

    /// <summary>The rejection recorded by <see cref="Reject"/>, if any.</summary>
    public JournalRejectedException? Rejection { get; private set; }

    internal Task<AppendResult> Task => _completion.Task;

    /// <summary>Records that this append must not be stored (its partial writes must already be undone).</summary>
    /// <param name="rejection">The reason.</param>
    public void Reject(JournalRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        Rejection = rejection;
    }

    internal bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, Started, Queued) != Queued)
        {
            return false;
        }

        _registration.Dispose();
        return true;
    }

    internal void Complete() =>
        _completion.TrySetResult(Rejection is null ? AppendResult.Success : AppendResult.Rejected(Rejection));

    internal void Fail(Exception exception)
    {
        if (Rejection is not null)
        {
            // A rejected append wrote nothing, whatever happened to the rest of the transaction.
            _completion.TrySetResult(AppendResult.Rejected(Rejection));
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }

    private void CancelIfQueued(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _completion.TrySetCanceled(token);
        }
    }
}
