using Microsoft.Extensions.Logging;

namespace Orchestra.Actors.Persistence;

/// <summary>The log messages of persistent actors.</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(100, LogLevel.Error, "Recovery of {PersistenceId} failed at sequence number {SequenceNr} (manifest {Manifest}); the actor {ActorPath} is stopped")]
    public static partial void RecoveryFailed(ILogger logger, string persistenceId, long? sequenceNr, string? manifest, string actorPath, Exception exception);

    [LoggerMessage(101, LogLevel.Debug, "{PersistenceId} recovered to sequence number {SequenceNr} ({Events} events replayed)")]
    public static partial void Recovered(ILogger logger, string persistenceId, long sequenceNr, long events);

    [LoggerMessage(102, LogLevel.Error, "Persisting events {FromSequenceNr}-{ToSequenceNr} of {PersistenceId} failed (outcome unknown); the actor is stopped")]
    public static partial void PersistFailed(ILogger logger, string persistenceId, long fromSequenceNr, long toSequenceNr, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Persisting events {FromSequenceNr}-{ToSequenceNr} of {PersistenceId} was rejected (not stored)")]
    public static partial void PersistRejected(ILogger logger, string persistenceId, long fromSequenceNr, long toSequenceNr, Exception exception);

    [LoggerMessage(104, LogLevel.Warning, "Saving the snapshot of {PersistenceId} at {SequenceNr} failed")]
    public static partial void SnapshotFailed(ILogger logger, string persistenceId, long sequenceNr, Exception exception);
}
