using Microsoft.Extensions.Logging;

namespace Orchestra.Actors.Internal;

/// <summary>The runtime's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Actor system {SystemName} started")]
    public static partial void SystemStarted(ILogger logger, string systemName);

    [LoggerMessage(2, LogLevel.Debug, "Actor system {SystemName} terminating")]
    public static partial void SystemTerminating(ILogger logger, string systemName);

    [LoggerMessage(3, LogLevel.Information, "Actor system {SystemName} terminated")]
    public static partial void SystemTerminated(ILogger logger, string systemName);

    [LoggerMessage(10, LogLevel.Warning, "Actor {ActorPath} failed and was resumed")]
    public static partial void ChildResumed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "Actor {ActorPath} failed and is restarted")]
    public static partial void ChildRestarted(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "Actor {ActorPath} failed and is stopped")]
    public static partial void ChildStopped(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(13, LogLevel.Error, "Actor {ActorPath} failed too often within its restart window and is stopped (crash loop)")]
    public static partial void ChildCrashLoop(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(14, LogLevel.Error, "Actor {ActorPath} failed and its failure is escalated")]
    public static partial void ChildEscalated(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "{Hook} of actor {ActorPath} threw")]
    public static partial void HookFailed(ILogger logger, string hook, string actorPath, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "Actor {ActorPath} failed while stopping")]
    public static partial void FailedWhileStopping(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(17, LogLevel.Critical, "Root actor {ActorPath} failed; stopping it")]
    public static partial void RootFailed(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(18, LogLevel.Critical, "The mailbox of {ActorPath} faulted")]
    public static partial void MailboxFault(ILogger logger, string actorPath, Exception exception);

    [LoggerMessage(19, LogLevel.Warning, "Actor {ActorPath} is restarted with its failed sibling {FailedPath} (all-for-one)")]
    public static partial void SiblingRestarted(ILogger logger, string actorPath, string failedPath, Exception exception);

    [LoggerMessage(24, LogLevel.Warning, "Actor {ActorPath} is stopped with its failed sibling {FailedPath} (all-for-one)")]
    public static partial void SiblingStopped(ILogger logger, string actorPath, string failedPath, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "Dead letter: {MessageType} from {Sender} to {Recipient}")]
    public static partial void DeadLetterLogged(ILogger logger, string messageType, string sender, string recipient);

    [LoggerMessage(21, LogLevel.Information, "{Count} more dead letters were not logged in the last {Interval}")]
    public static partial void DeadLettersSuppressed(ILogger logger, long count, TimeSpan interval);

    [LoggerMessage(22, LogLevel.Debug, "Unhandled message {MessageType} in {ActorPath}")]
    public static partial void Unhandled(ILogger logger, string messageType, string actorPath);

    [LoggerMessage(23, LogLevel.Warning, "An event stream subscriber failed on {EventType}")]
    public static partial void SubscriberFailed(ILogger logger, string eventType, Exception exception);
}
