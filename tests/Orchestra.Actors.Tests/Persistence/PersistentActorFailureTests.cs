using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Persistence;

[Trait("Category", "Unit")]
public sealed class PersistentActorFailureTests : ActorTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryPersistence _stores = new();

    private IActorRef SpawnCart(string id, IActorRef? report = null, IJournal? journal = null, FencingToken? fence = null) =>
        Sys.ActorOf(Props.Create(() => new Cart(id, journal ?? _stores.Journal, _stores.Snapshots, report, fence)));

    [Fact]
    public async Task CorruptEvent_StopsOnlyThatActor_WithAClearError()
    {
        await _stores.Journal.AppendAsync(new AtomicWrite("cart-bad", [
            CartSerializer.Instance.ToAppend(1, new ItemAdded("fine")),
            new EventToAppend(2, "cart.item-added.v1", "{not json"u8.ToArray()),
        ]));
        await _stores.Journal.AppendAsync(new AtomicWrite("cart-good", [CartSerializer.Instance.ToAppend(1, new ItemAdded("ok"))]));
        using var failures = Sys.EventStream.CreateReader<RecoveryFailed>();
        var probe = CreateTestProbe();
        var report = CreateTestProbe();

        var bad = SpawnCart("cart-bad", report.Ref);
        await probe.WatchAsync(bad);
        bad.Tell(new Add("never"), probe.Ref);
        var good = SpawnCart("cart-good");

        var failed = await failures.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("cart-bad", failed.PersistenceId);
        Assert.Equal(2, failed.SequenceNr);
        Assert.Equal("cart.item-added.v1", failed.Manifest);
        Assert.Equal(bad, failed.Actor);
        Assert.Contains("'cart-bad'", failed.Cause.Message);
        Assert.Contains("sequence number 2", failed.Cause.Message);
        Assert.Contains("cart.item-added.v1", failed.Cause.Message);
        Assert.IsType<EventDeserializationException>(failed.Cause.InnerException);

        await probe.ExpectTerminatedAsync(bad);
        await report.ExpectMsgAsync("replayed:fine");

        // Everything the stopped actor told the report was queued before it terminated, so before this marker:
        // "recovered" or a later replay would arrive here instead of it.
        report.Tell("after-termination");
        await report.ExpectMsgAsync("after-termination");
        Assert.Equal(2, await _stores.Journal.ReadEventsAsync("cart-bad").CountAsync());

        Assert.Equal(["ok"], (await good.Ask<CartView>(new GetCart(), Timeout)).Items);
        Assert.Equal("added:more", await good.Ask<string>(new Add("more"), Timeout));
    }

    [Fact]
    public async Task UnknownManifest_StopsActor_NamingTheManifest()
    {
        await _stores.Journal.AppendAsync(new AtomicWrite("cart-old", [new EventToAppend(1, "cart.removed.v0", "{}"u8.ToArray())]));
        using var failures = Sys.EventStream.CreateReader<RecoveryFailed>();
        var probe = CreateTestProbe();
        var cart = SpawnCart("cart-old");
        await probe.WatchAsync(cart);
        var failed = await failures.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("cart.removed.v0", failed.Manifest);
        Assert.Equal(1, failed.SequenceNr);
        await probe.ExpectTerminatedAsync(cart);
    }

    [Fact]
    public async Task PersistFailure_StopsActor_AndRunsNoHandler()
    {
        var journal = new ControlledJournal(_stores.Journal) { AppendFailure = new IOException("disk gone") };
        var report = CreateTestProbe();
        var probe = CreateTestProbe();
        var cart = SpawnCart("cart-io", report.Ref, journal);
        await report.ExpectMsgAsync("recovered");
        await probe.WatchAsync(cart);
        probe.Send(cart, new Add("a"));
        probe.Send(cart, new GetCart());
        await report.ExpectMsgAsync("persist-failed:1");
        await probe.ExpectTerminatedAsync(cart);

        // A handler's reply would have been queued before the actor terminated, so before this marker.
        probe.Tell("after-termination");
        await probe.ExpectMsgAsync("after-termination");
    }

    [Fact]
    public async Task FencedWrite_IsRejected_AndStopsActorByDefault()
    {
        var report = CreateTestProbe();
        var probe = CreateTestProbe();
        var cart = SpawnCart("cart-fenced", report.Ref, fence: new FencingToken("cart-fenced", "node-a", 7));
        await report.ExpectMsgAsync("recovered");
        await probe.WatchAsync(cart);
        probe.Send(cart, new Add("a"));
        await report.ExpectMsgAsync<JournalFencedException>();
        await probe.ExpectTerminatedAsync(cart);
        Assert.Equal(0, await _stores.Journal.ReadHighestSequenceNrAsync("cart-fenced"));
    }

    [Fact]
    public async Task FencedWrite_WithCurrentLease_IsStoredWithWriterAndEpoch()
    {
        var lease = await _stores.Leases.TryAcquireAsync("cart-leased", "node-a", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);
        var cart = SpawnCart("cart-leased", fence: new FencingToken("cart-leased", lease.Owner, lease.Epoch));
        Assert.Equal("added:a", await cart.Ask<string>(new Add("a"), Timeout));
        var stored = Assert.Single(await _stores.Journal.ReadEventsAsync("cart-leased").ToListAsync());
        Assert.Equal("node-a", stored.Writer);
        Assert.Equal(lease.Epoch, stored.Epoch);
    }
}
