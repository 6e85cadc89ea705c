namespace Orchestra.Actors.Persistence;

/// <summary>The result of an append that reached a verdict: success or rejection (see <see cref="IJournal"/>).</summary>
/// <remarks>A failure (unknown outcome) is never an <see cref="AppendResult"/>: it is an exception.</remarks>
public sealed class AppendResult
{
    private AppendResult(AppendStatus status, JournalRejectedException? rejection)
    {
        Status = status;
        Rejection = rejection;
    }

    /// <summary>The shared success result.</summary>
    public static AppendResult Success { get; } = new(AppendStatus.Success, null);

    /// <summary>What happened.</summary>
    public AppendStatus Status { get; }

    /// <summary>Whether the events are stored.</summary>
    public bool IsSuccess => Status == AppendStatus.Success;

    /// <summary>Why the append was rejected, or <see langword="null"/> on success.</summary>
    public JournalRejectedException? Rejection { get; }

    /// <summary>Creates a rejection result.</summary>
    /// <param name="rejection">The reason: a <see cref="JournalConcurrencyException"/> or a <see cref="JournalFencedException"/>.</param>
    public static AppendResult Rejected(JournalRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new AppendResult(
            rejection is JournalFencedException ? AppendStatus.Fenced : AppendStatus.SequenceConflict,
            rejection);
    }

    /// <inheritdoc />
    public override string ToString() => Rejection is null ? Status.ToString() : $"{Status}: {Rejection.Message}";
}

/// <summary>The verdict of an append.</summary>
public enum AppendStatus
{
    /// <summary>The events are durably stored.</summary>
    Success,

    /// <summary>Rejected: one of the sequence numbers already exists. Nothing was stored.</summary>
    SequenceConflict,

    /// <summary>Rejected: the fencing token's lease epoch/owner is no longer current. Nothing was stored.</summary>
    Fenced,
}
