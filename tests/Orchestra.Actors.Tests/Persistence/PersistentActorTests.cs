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

        // No wait for a negative: had GetCart run while the append was held, its CartView (without "a") would reach
        // the probe before "added:a"; had Add("b") run, a second append would have started before the gate opened.
        Assert.Equal(1, Volatile.Read(ref journal.AppendsStarted));
        journal.AppendGate.SetResult();
        await probe.ExpectMsgAsync("added:a");
        var view = await probe.ExpectMsgAsync<CartView>();
        Assert.Equal(["a"], view.Items);
        await probe.ExpectMsgAsync("added:b");
        Assert.Equal(2, Volatile.Read(ref journal.AppendsStarted));
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
        const int Limit = 2;
        const int Actors = 6;
        await using var system = ActorSystem.Create("permits", new ActorSystemOptions { MaxConcurrentRecoveries = Limit });
        var stores = new GatedRecoveryStores(_stores.Journal, _stores.Snapshots);
        var carts = Enumerable.Range(0, Actors)
            .Select(i => system.ActorOf(Props.Create(() => new Cart("permit-" + i, stores, stores, null, null))))
            .ToArray();
        var views = carts.Select(c => c.Ask<CartView>(new GetCart(), Timeout)).ToArray();

        // Hold Limit recoveries at the gate, then open the oldest gate for each new arrival: a recovery may only
        // arrive once another has ended, so none ever arrives with more than Limit in flight.
        try
        {
            var held = new Queue<GatedRecoveryStores.Arrival>();
            var arrived = new HashSet<string>();
            for (var i = 0; i < Actors; i++)
            {
                var arrival = await stores.Arrivals.ReadAsync().AsTask().WaitAsync(Timeout);
                Assert.True(
                    arrival.InFlightAtArrival <= Limit,
                    $"{arrival.PersistenceId} started recovering with {arrival.InFlightAtArrival} recoveries in flight (limit {Limit}).");
                Assert.True(arrived.Add(arrival.PersistenceId), $"{arrival.PersistenceId} recovered twice.");
                held.Enqueue(arrival);
                if (held.Count == Limit)
                {
                    held.Dequeue().Gate.SetResult();
                }
            }

            while (held.TryDequeue(out var last))
            {
                last.Gate.SetResult();
            }
        }
        finally
        {
            stores.OpenAll();
        }

        Assert.All(await Task.WhenAll(views), v => Assert.Empty(v.Items));
        Assert.Equal(Limit, stores.MaxInFlight);
        Assert.Equal(0, stores.InFlight);
    }
}
