using Akka.Actor;
using Akka.Persistence;

namespace Orchestra.Benchmarks.Persistence.AkkaPlugins;

/// <summary>
/// A real persistent actor: on <see cref="Write"/> it persists that many events one after another (each Persist
/// waits for the previous one, as a deployment actor's turns do), then replies <see cref="Written"/>.
/// </summary>
public sealed class BenchWriterActor : ReceivePersistentActor
{
    private int _remaining;
    private IActorRef _replyTo = ActorRefs.Nobody;

    public BenchWriterActor(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<BenchEvent>(_ => { });
        Command<Write>(write =>
        {
            _remaining = write.Events;
            _replyTo = Sender;
            PersistNext();
        });
    }

    public override string PersistenceId { get; }

    private void PersistNext() => Persist(new BenchEvent("deploy-web/create", 1, "10.0.0.7"), _ =>
    {
        if (--_remaining > 0)
        {
            PersistNext();
        }
        else
        {
            _replyTo.Tell(Written.Instance);
        }
    });

    public sealed record Write(int Events);

    public sealed record Written
    {
        public static Written Instance { get; } = new();
    }
}

/// <summary>The event the benchmark persists: the shape of a task outcome.</summary>
public sealed record BenchEvent(string TaskId, int Attempt, string Ip);
