using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Persistence;

[Trait("Category", "Unit")]
public sealed class PersistentActorTests : ActorTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryPersistence _stores = new();

    private IActorRef SpawnCart(string id, IActorRef? report = null, IJournal? journal = null, FencingToken? fence = null) =>
        Sys.ActorOf(Props.Create(() => new Cart(id, journal ?? _stores.Journal, _stores.Snapshots, report, fence)));

    private async Task StopAsync(IActorRef actor)
    {
        var probe = CreateTestProbe();
        await probe.WatchAsync(actor);
        Sys.Stop(actor);
        await probe.ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Persist_ThenRecover_RestoresStateAndSequenceNr()
    {
        var cart = SpawnCart("cart-1");
        Assert.Equal("added:a", await cart.Ask<string>(new Add("a"), Timeout));
        Assert.Equal("added:b", await cart.Ask<string>(new Add("b"), Timeout));
        cart.Tell(new AddMany(["c", "d"]));
        var before = await cart.Ask<CartView>(new GetCart(), Timeout);
        Assert.Equal(["a", "b", "c", "d"], before.Items);
        Assert.Equal(4, before.LastSequenceNr);
        await StopAsync(cart);

        var probe = CreateTestProbe();
        var recovered = SpawnCart("cart-1", probe.Ref);
        var view = await recovered.Ask<CartView>(new GetCart(), Timeout);
        Assert.Equal(["a", "b", "c", "d"], view.Items);
        Assert.Equal(4, view.LastSequenceNr);
        await probe.ExpectMsgAsync("replayed:a");
        await probe.FishForMessageAsync(m => Equals(m, "recovered"));

        Assert.Equal("added:e", await recovered.Ask<string>(new Add("e"), Timeout));
        var stored = await _stores.Journal.ReadEventsAsync("cart-1").ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5], stored.Select(e => e.SequenceNr));
        Assert.All(stored, e => Assert.Equal("cart.item-added.v1", e.Manifest));
    }

    [Fact]
    public async Task Recovery_LoadsSnapshot_ThenReplaysOnlyLaterEvents()
    {
        var probe = CreateTestProbe();
        var cart = SpawnCart("cart-2", probe.Ref);
        await probe.ExpectMsgAsync("recovered");
        foreach (var item in new[] { "a", "b", "c" })
        {
            await cart.Ask<string>(new Add(item), Timeout);
        }

        cart.Tell(new TakeSnapshot());
        Assert.Equal(3, (await probe.ExpectMsgAsync<SaveSnapshotSuccess>()).SequenceNr);
        await cart.Ask<string>(new Add("d"), Timeout);
        await cart.Ask<string>(new Add("e"), Timeout);
        await StopAsync(cart);

        var replay = CreateTestProbe();
        var recovered = SpawnCart("cart-2", replay.Ref);
        await replay.ExpectMsgAsync("snapshot:a,b,c");
        await replay.ExpectMsgAsync("replayed:d");
        await replay.ExpectMsgAsync("replayed:e");
        await replay.ExpectMsgAsync("recovered");
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, (await recovered.Ask<CartView>(new GetCart(), Timeout)).Items);
    }

    [Fact]
    public async Task CommandsArrivingDuringPersist_WaitAndRunAfterTheEventHandlers()
    {
        var journal = new ControlledJournal(_stores.Journal) { AppendGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var probe = CreateTestProbe();
        var cart = SpawnCart("cart-3", journal: journal);
        probe.Send(cart, new Add("a"));
        await AwaitConditionAsync(() => Volatile.Read(ref journal.AppendsStarted) == 1);
        probe.Send(cart, new GetCart());
        probe.Send(cart, new Add("b"));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        journal.AppendGate.SetResult();
        await probe.ExpectMsgAsync("added:a");
        var view = await probe.ExpectMsgAsync<CartView>();
        Assert.Equal(["a"], view.Items);
        await probe.ExpectMsgAsync("added:b");
    }

    [Fact]
    public async Task AsyncHandler_PersistingAfterAnAwait_IsWritten()
    {
        var cart = SpawnCart("cart-4");
        Assert.Equal("added:x", await cart.Ask<string>(new AddAsync("x"), Timeout));
        Assert.Equal(1, await _stores.Journal.ReadHighestSequenceNrAsync("cart-4"));
    }

    [Fact]
    public async Task CommandsSentBeforeRecoveryEnds_SeeTheRecoveredState()
    {
        await _stores.Journal.AppendAsync(new AtomicWrite("cart-5", [CartSerializer.Instance.ToAppend(1, new ItemAdded("old"))]));
        var journal = new ControlledJournal(_stores.Journal) { ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var cart = SpawnCart("cart-5", journal: journal);
        var view = cart.Ask<CartView>(new GetCart(), Timeout);
        await AwaitConditionAsync(() => journal.Reading == 1);
        Assert.False(view.IsCompleted);
        journal.ReadGate.SetResult();
        Assert.Equal(["old"], (await view).Items);
    }

    [Fact]
    public async Task Recoveries_AreLimitedByThePermitOption()
    {
        await using var system = ActorSystem.Create("permits", new ActorSystemOptions { MaxConcurrentRecoveries = 2 });
        var journal = new ControlledJournal(_stores.Journal) { ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var carts = Enumerable.Range(0, 6)
            .Select(i => system.ActorOf(Props.Create(() => new Cart("permit-" + i, journal, _stores.Snapshots, null, null))))
            .ToArray();
        await AwaitConditionAsync(() => journal.Reading == 2);
        await Task.Delay(100);
        Assert.Equal(2, journal.Reading);

        journal.ReadGate.SetResult();
        await Task.WhenAll(carts.Select(c => c.Ask<CartView>(new GetCart(), Timeout)));
        Assert.Equal(2, journal.MaxReading);
    }
}
