using Akka.Actor;
using Akka.Event;
using Orchestra.Engine.Deployments;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// A handler of the <see cref="DeploymentNotification"/>s an actor system's EventStream carries, called in publication order (per
/// publisher) by a small actor of its own, so a slow handler never holds up a deployment actor. Disposing it unsubscribes and stops the
/// actor; notifications already queued for it are dropped.
/// </summary>
internal sealed class NotificationSubscription : IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _subscriber;
    private int _disposed;

    public NotificationSubscription(ActorSystem system, Action<DeploymentNotification> handler)
    {
        _system = system;
        _subscriber = system.ActorOf(Props.Create(() => new Subscriber(handler)).WithDeploy(Deploy.Local));
        system.EventStream.Subscribe(_subscriber, typeof(DeploymentNotification));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _system.EventStream.Unsubscribe(_subscriber);
        _system.Stop(_subscriber);
    }

    // A handler that throws is logged and keeps its subscription: one bad notification must not silence the ones after it.
    private sealed class Subscriber : ReceiveActor
    {
        public Subscriber(Action<DeploymentNotification> handler) => Receive<DeploymentNotification>(notification =>
        {
            try
            {
                handler(notification);
            }
#pragma warning disable CA1031 // The handler is the subscriber's code; its failure is reported, not propagated into the actor system.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Context.GetLogger().Error(ex, "A deployment notification handler failed on {0} of {1}", notification.Kind, notification.DeploymentId);
            }
        });
    }
}
