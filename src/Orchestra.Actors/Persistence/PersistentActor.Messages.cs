using Orchestra.Actors.Dispatch;

namespace Orchestra.Actors.Persistence;

/// <summary>A snapshot was saved.</summary>
/// <param name="PersistenceId">The persistence id.</param>
/// <param name="SequenceNr">The sequence number it was taken at.</param>
public sealed record SaveSnapshotSuccess(string PersistenceId, long SequenceNr);

/// <summary>A snapshot could not be saved (recovery will replay more events; nothing else is lost).</summary>
/// <param name="PersistenceId">The persistence id.</param>
/// <param name="SequenceNr">The sequence number it was taken at.</param>
/// <param name="Cause">The error.</param>
public sealed record SaveSnapshotFailure(string PersistenceId, long SequenceNr, Exception Cause);

/// <summary>Published on the event stream when a persistent actor could not recover and was stopped.</summary>
/// <param name="PersistenceId">The persistence id.</param>
/// <param name="SequenceNr">The sequence number of the event (or snapshot) that failed, when known.</param>
/// <param name="Manifest">Its manifest, when known.</param>
/// <param name="Actor">The stopped actor.</param>
/// <param name="Cause">The failure, a <see cref="RecoveryFailedException"/>.</param>
public sealed record RecoveryFailed(string PersistenceId, long? SequenceNr, string? Manifest, IActorRef Actor, RecoveryFailedException Cause);

/// <summary>A persistent actor could not recover its state.</summary>
public sealed class RecoveryFailedException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public RecoveryFailedException()
        : this(string.Empty, null, null, "Recovery failed.", null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public RecoveryFailedException(string message)
        : this(string.Empty, null, null, message, null)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RecoveryFailedException(string message, Exception innerException)
        : this(string.Empty, null, null, message, innerException)
    {
    }

    /// <summary>Initializes a new instance naming where recovery stopped.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number being recovered, when known.</param>
    /// <param name="manifest">Its manifest, when known.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RecoveryFailedException(string persistenceId, long? sequenceNr, string? manifest, string message, Exception? innerException)
        : base(message, innerException)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
        Manifest = manifest;
    }

    /// <summary>Gets the persistence id.</summary>
    public string PersistenceId { get; }

    /// <summary>Gets the sequence number being recovered when it failed, when known.</summary>
    public long? SequenceNr { get; }

    /// <summary>Gets the manifest of the event or snapshot being recovered, when known.</summary>
    public string? Manifest { get; }
}

/// <summary>Put at the front of a persistent actor's mailbox when it starts: its processing is the recovery.</summary>
internal sealed class RecoveryStart : IInternalMessage
{
    public static RecoveryStart Instance { get; } = new();
}
