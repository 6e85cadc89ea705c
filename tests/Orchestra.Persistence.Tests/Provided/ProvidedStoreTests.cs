using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Provided;
using Orchestra.Persistence.Sqlite;
using Orchestra.Persistence.Tests.Backends;
using Orchestra.Persistence.Tests.Conformance;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Orchestra.Persistence.Tests.Provided;

/// <summary>
/// <see cref="ProvidedStore"/>: the engine's actor system writes through a store the application opened and keeps owning (a real SQLite
/// file here), so what actors persist is what the application reads, leases fence the writes, and terminating the actor system leaves
/// the store open.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvidedStoreTests : AkkaTestKit, IAsyncLifetime
{
    private readonly SqliteTestFile _file = new();
    private readonly IPersistence _store;

    public ProvidedStoreTests(ITestOutputHelper output)
        : base(
            ActorSystemSetup.Create(
                BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString(ProvidedStore.Hocon)),
                new OrchestraPersistenceSetup(PluginTestTypes.Serializer)),
            "provided",
            output)
    {
        _store = SqlitePersistence.Open(_file.Options);
        ProvidedStore.Provide(Sys, _store);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await ShutdownAsync();
        await _store.DisposeAsync();
        _file.Delete();
    }

    [Fact]
    public async Task Persisted_Events_AreInTheProvidedStore_AndItStaysOpenAfterTheActorSystemTerminates()
    {
        var actor = Sys.ActorOf(Props.Create(() => new RecordingActor("p-1")));
        actor.Tell(new RecordingActor.PersistCommand(["a", "b"]), TestActor);
        await ExpectMsgAsync<RecordingActor.Persisted>();
        await ExpectMsgAsync<RecordingActor.Persisted>();

        Assert.Equal(2, await _store.Journal.ReadHighestSequenceNrAsync("p-1"));
        await ShutdownAsync();
        Assert.Equal(2, await _store.Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [Fact]
    public async Task AWriteUnderALeaseThatMovedOn_IsRejected_AndNothingIsStored()
    {
        var stale = await _store.Leases.TryAcquireAsync("p-2", "owner-a", TimeSpan.FromMinutes(1));
        await _store.Leases.ReleaseAsync(stale!);
        Assert.NotNull(await _store.Leases.TryAcquireAsync("p-2", "owner-b", TimeSpan.FromMinutes(1)));

        var actor = Sys.ActorOf(Props.Create(() => new RecordingActor("p-2")));
        actor.Tell(new RecordingActor.PersistCommand(["late"], stale!.ToFencingToken()), TestActor);

        await ExpectMsgAsync<RecordingActor.Rejected>();
        Assert.Equal(0, await _store.Journal.ReadHighestSequenceNrAsync("p-2"));
    }

    [Fact]
    public async Task ProvidingAnotherStore_ToTheSameActorSystem_IsRefused()
    {
        await using var other = new InMemoryPersistence();

        var refused = Assert.Throws<InvalidOperationException>(() => ProvidedStore.Provide(Sys, other));

        Assert.Contains("already writes to another store", refused.Message, StringComparison.Ordinal);
        ProvidedStore.Provide(Sys, _store);
    }
}
