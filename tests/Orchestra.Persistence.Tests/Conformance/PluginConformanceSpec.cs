using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>
/// What a journal and a snapshot-store plugin must do, written once (Akka TCK's JournalSpec and SnapshotStoreSpec
/// cases, which are not on the package mirror, plus Orchestra's fencing and per-write verdicts) and inherited per
/// backend. Each test gets a fresh actor system and a fresh store.
/// </summary>
public abstract partial class PluginConformanceSpec : AkkaTestKit, IAsyncLifetime
{
    private static readonly Config Common = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.test.single-expect-default = 15s
        akka.persistence.journal.auto-start-journals = []
        """);

    private readonly OrchestraPersistence _extension;

    protected PluginConformanceSpec(Config backend, ITestOutputHelper output)
        : base(
            ActorSystemSetup.Create(
                BootstrapSetup.Create().WithConfig(backend.WithFallback(Common)),
                new OrchestraPersistenceSetup(PluginTestTypes.Serializer)),
            "conformance",
            output)
    {
        _extension = OrchestraPersistence.Get(Sys);
        Pid = "p-" + Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>The persistence id most tests write.</summary>
    protected string Pid { get; }

    /// <summary>A stable writer id, as an actor incarnation has.</summary>
    protected string WriterGuid { get; } = Guid.NewGuid().ToString();

    protected IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    protected IActorRef SnapshotStore => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    /// <summary>The key of the Orchestra store the plugins opened, or <see langword="null"/> for Akka's in-memory plugins.</summary>
    protected abstract string? StoreKey { get; }

    /// <summary>Makes every later journal write fail (outcome unknown): the store is closed, or Akka's TestJournal told to fail.</summary>
    protected abstract Task BreakJournalWritesAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await ShutdownAsync();
        await _extension.WhenClosed.WaitAsync(TimeSpan.FromSeconds(60));
        await DropStoreAsync();
    }

    /// <summary>Deletes the backend's file or schema once the actor system has closed it.</summary>
    protected abstract Task DropStoreAsync();

    /// <summary>The Orchestra store under the plugins (started by touching the journal).</summary>
    protected async Task<OrchestraPluginStore> OrchestraStoreAsync()
    {
        _ = Journal;
        await AwaitConditionAsync(() => _extension.Find(StoreKey!) is not null);
        return await _extension.Find(StoreKey!)!;
    }

    protected static Persistent Event(string pid, long sequenceNr, object? payload = null, string writerGuid = "") =>
        new(payload ?? new TestEvent(pid, sequenceNr), sequenceNr, pid, string.Empty, false, ActorRefs.NoSender, writerGuid);

    /// <summary>Writes the groups as atomic writes of <paramref name="pid"/> and expects every one to succeed.</summary>
    protected async Task WriteAsync(string pid, params long[][] groups)
    {
        var probe = CreateTestProbe();
        var writes = groups.Select(g => (IPersistentEnvelope)new AtomicWrite(g.Select(s => (IPersistentRepresentation)Event(pid, s, writerGuid: WriterGuid)).ToImmutableList())).ToList();
        Journal.Tell(new WriteMessages(writes, probe.Ref, 1));
        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        foreach (var s in groups.SelectMany(g => g))
        {
            var success = await probe.ExpectMsgAsync<WriteMessageSuccess>();
            Assert.Equal(s, success.Persistent.SequenceNr);
        }
    }

    /// <summary>Replays and returns the sequence numbers received and the highest sequence number reported.</summary>
    protected async Task<(List<long> SequenceNrs, long Highest)> ReplayAsync(string pid, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var probe = CreateTestProbe();
        Journal.Tell(new ReplayMessages(from, to, max, pid, probe.Ref));
        var received = new List<long>();
        while (true)
        {
            var message = await probe.ReceiveOneAsync(TimeSpan.FromSeconds(15));
            switch (message)
            {
                case ReplayedMessage replayed:
                    Assert.Equal(pid, replayed.Persistent.PersistenceId);
                    var payload = Assert.IsType<TestEvent>(replayed.Persistent.Payload);
                    Assert.Equal((pid, replayed.Persistent.SequenceNr), (payload.PersistenceId, payload.SequenceNr));
                    received.Add(replayed.Persistent.SequenceNr);
                    break;
                case RecoverySuccess success:
                    return (received, success.HighestSequenceNr);
                default:
                    throw new Xunit.Sdk.XunitException($"Unexpected replay message {message}.");
            }
        }
    }
}
