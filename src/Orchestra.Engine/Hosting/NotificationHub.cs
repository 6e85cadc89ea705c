using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// The handlers of a host's <see cref="DeploymentNotification"/>s, called synchronously by whoever publishes (a deployment actor, in its
/// turn; an executor thread, for a live output line), so that a notification has reached every handler before the actor answers the
/// request that caused it: a command's caller, or a waiter, never sees the answer before the lines that led to it. Thread-safe; handlers
/// must be fast, thread-safe and never block (a slow consumer queues, as the server's event stream does).
/// </summary>
internal sealed partial class NotificationHub(ILogger logger)
{
    private ImmutableArray<Action<DeploymentNotification>> _handlers = [];

    public IDisposable Subscribe(Action<DeploymentNotification> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, handlers => handlers.Add(handler));
        return new Subscription(this, handler);
    }

    // A handler that throws is logged and keeps its subscription: one bad notification must not silence the others.
    public void Publish(DeploymentNotification notification)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(notification);
            }
#pragma warning disable CA1031 // The handler is the subscriber's code; its failure is reported, never propagated into the publisher.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(ex, notification.Kind, notification.DeploymentId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A deployment notification handler failed on {Kind} of {DeploymentId}")]
    private partial void LogHandlerFailed(Exception exception, NotificationKind kind, string deploymentId);

    private sealed class Subscription(NotificationHub hub, Action<DeploymentNotification> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                ImmutableInterlocked.Update(ref hub._handlers, handlers => handlers.Remove(handler));
            }
        }
    }
}
