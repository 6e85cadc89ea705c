using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence;

namespace Orchestra.Benchmarks.Persistence.AkkaPlugins;

/// <summary>One actor system with W <see cref="BenchWriterActor"/>s on the journal plugin its HOCON names.</summary>
internal sealed class AkkaJournalRun : IDisposable
{
    private static readonly EventSerializer Serializer = new(new EventTypeRegistry().Register<BenchEvent>("bench-event.v1"));

    private readonly ActorSystem _system;
    private readonly IActorRef[] _writers;
    private readonly OrchestraPersistence _orchestra;

    public AkkaJournalRun(string name, Config journal, int writers)
    {
        var config = journal.WithFallback(ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.persistence.max-concurrent-recoveries = 100
            """));
        _system = ActorSystem.Create(name, ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), new OrchestraPersistenceSetup(Serializer)));
        _orchestra = OrchestraPersistence.Get(_system);
        _writers = [.. Enumerable.Range(0, writers).Select(w => _system.ActorOf(Props.Create(() => new BenchWriterActor($"{name}-{w}"))))];
    }

    /// <summary>Every writer persists <paramref name="eventsEach"/> events, one at a time; completes when all are stored.</summary>
    public Task RunAsync(int eventsEach) =>
        Task.WhenAll(_writers.Select(w => w.Ask<BenchWriterActor.Written>(new BenchWriterActor.Write(eventsEach), TimeSpan.FromMinutes(5))));

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromMinutes(1));
        _orchestra.WhenClosed.Wait(TimeSpan.FromMinutes(1));
    }
}
