using System.Text;
using Orchestra.Actors.Persistence;
using Orchestra.Testing;
using Xunit;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>What every <see cref="IJournal"/> must do. Inherit it per backend and implement <see cref="PersistenceConformanceBase.OpenStoreAsync"/>.</summary>
public abstract class JournalConformanceTests : PersistenceConformanceBase
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(30);

    /// <summary>Events come back in sequence order with what was written.</summary>
    [ConditionalFact]
    public async Task Append_ThenRead_ReplaysInOrder()
    {
        Assert.True((await AppendAsync("p-1", 1)).IsSuccess);
        Assert.True((await AppendAsync("p-1", 2, 3, 4)).IsSuccess);
        Assert.True((await AppendAsync("p-2", 1)).IsSuccess);

        var events = await ReadAsync("p-1");

        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal("p-1", e.PersistenceId));
        Assert.All(events, e => Assert.Equal(TestEvent.Manifest, e.Manifest));
        Assert.All(events, AssertIntact);
        Assert.All(events, e => Assert.Null(e.Writer));
    }

    /// <summary>Reads honour from, to and max, and skip gaps.</summary>
    [ConditionalFact]
    public async Task Read_FromMiddleWithGapsAndLimits_ReturnsTheRange()
    {
        for (var s = 1; s <= 10; s++)
        {
            if (s is not (4 or 5))
            {
                Assert.True((await AppendAsync("p-range", s)).IsSuccess);
            }
        }

        Assert.Equal([3L, 6, 7], (await ReadAsync("p-range", from: 3, to: 7)).Select(e => e.SequenceNr));
        Assert.Equal([6L, 7], (await ReadAsync("p-range", from: 4, max: 2)).Select(e => e.SequenceNr));
        Assert.Equal([10L], (await ReadAsync("p-range", from: 10)).Select(e => e.SequenceNr));
        Assert.Empty(await ReadAsync("p-range", from: 11));
        Assert.Empty(await ReadAsync("p-unknown"));
        Assert.Equal(8, (await ReadAsync("p-range")).Count);
    }

    /// <summary>Reads that span several pages return every event once.</summary>
    [ConditionalFact]
    public async Task Read_ManyEvents_ReturnsAllAcrossPages()
    {
        var writes = Enumerable.Range(0, 12).Select(i => AppendAsync("p-many", Enumerable.Range((i * 100) + 1, 100).Select(s => (long)s).ToArray()).AsTask());
        Assert.All(await Task.WhenAll(writes), r => Assert.True(r.IsSuccess, r.ToString()));

        var events = await ReadAsync("p-many");

        Assert.Equal(Enumerable.Range(1, 1200).Select(s => (long)s), events.Select(e => e.SequenceNr));
    }

    /// <summary>The highest sequence number is 0 at first, follows appends and survives deletion.</summary>
    [ConditionalFact]
    public async Task HighestSequenceNr_FollowsAppends_AndSurvivesDeletion()
    {
        Assert.Equal(0, await Store.Journal.ReadHighestSequenceNrAsync("p-high"));
        await AppendAsync("p-high", 1, 2);
        await AppendAsync("p-high", 7);
        Assert.Equal(7, await Store.Journal.ReadHighestSequenceNrAsync("p-high"));

        await Store.Journal.DeleteEventsToAsync("p-high", 7);

        Assert.Empty(await ReadAsync("p-high"));
        Assert.Equal(7, await Store.Journal.ReadHighestSequenceNrAsync("p-high"));
    }

    /// <summary>Deleting to a sequence number removes exactly that prefix.</summary>
    [ConditionalFact]
    public async Task DeleteEventsTo_RemovesThePrefixOnly()
    {
        await AppendAsync("p-del", 1, 2, 3, 4, 5);
        await AppendAsync("p-other", 1, 2);

        await Store.Journal.DeleteEventsToAsync("p-del", 3);

        Assert.Equal([4L, 5], (await ReadAsync("p-del")).Select(e => e.SequenceNr));
        Assert.Equal(2, (await ReadAsync("p-other")).Count);
        Assert.Equal(5, await Store.Journal.ReadHighestSequenceNrAsync("p-del"));
    }

    /// <summary>A write overlapping a stored sequence number is rejected whole: none of its events is stored.</summary>
    [ConditionalFact]
    public async Task Append_DuplicateSequenceNr_IsRejectedAndStoresNothing()
    {
        await AppendAsync("p-dup", 1, 2);

        var result = await Store.Journal.AppendAsync(new AtomicWrite("p-dup", [TestEvent.Create("p-dup", 2, "again"), TestEvent.Create("p-dup", 3, "new")]));

        Assert.False(result.IsSuccess);
        Assert.Equal(AppendStatus.SequenceConflict, result.Status);
        var rejection = Assert.IsType<JournalConcurrencyException>(result.Rejection);
        Assert.Equal("p-dup", rejection.PersistenceId);
        Assert.Equal([1L, 2], (await ReadAsync("p-dup")).Select(e => e.SequenceNr));
        Assert.Equal(2, await Store.Journal.ReadHighestSequenceNrAsync("p-dup"));
        Assert.True((await AppendAsync("p-dup", 3)).IsSuccess);
    }

    /// <summary>Many writers racing for the same sequence number: exactly one wins, the others are rejected.</summary>
    [ConditionalFact]
    public async Task ConcurrentAppenders_SameSequenceNr_ExactlyOneWins()
    {
        const int racers = 40;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, racers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var result = await Store.Journal.AppendAsync(new AtomicWrite("p-race", [TestEvent.Create("p-race", 1, $"racer-{i}")]));
            return (Racer: i, Result: result);
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(tasks);

        var winners = results.Where(r => r.Result.IsSuccess).ToArray();
        Assert.Single(winners);
        Assert.All(results.Where(r => !r.Result.IsSuccess), r => Assert.IsType<JournalConcurrencyException>(r.Result.Rejection));
        var stored = Assert.Single(await ReadAsync("p-race"));
        Assert.Equal($"racer-{winners[0].Racer}", ((TestEvent)TestEvent.Serializer.Deserialize(stored)).Data);
    }

    /// <summary>Rejected appends in a batch (conflicts, stale fences) do not fail the other appends of that batch.</summary>
    [ConditionalFact]
    public async Task Batch_WithRejectedAppends_StoresTheOthers()
    {
        await AppendAsync("p-batch-dup", 1);
        var lease = await Store.Leases.TryAcquireAsync("p-batch-fenced", "old-owner", LeaseTtl);
        Assert.NotNull(lease);
        AdvanceClock(LeaseTtl * 2);
        Assert.NotNull(await Store.Leases.TryAcquireAsync("p-batch-fenced", "new-owner", LeaseTtl));

        // Issued back to back without awaiting, so a group-committing journal puts them in the same batches.
        var pending = new List<(string Kind, ValueTask<AppendResult> Task)>();
        for (var i = 0; i < 60; i++)
        {
            switch (i % 3)
            {
                case 0:
                    pending.Add(("good", Store.Journal.AppendAsync(new AtomicWrite($"p-batch-{i}", [TestEvent.Create($"p-batch-{i}", 1), TestEvent.Create($"p-batch-{i}", 2)]))));
                    break;
                case 1:
                    pending.Add(("dup", Store.Journal.AppendAsync(new AtomicWrite("p-batch-dup", [TestEvent.Create("p-batch-dup", 1)]))));
                    break;
                default:
                    pending.Add(("fenced", Store.Journal.AppendAsync(new AtomicWrite("p-batch-fenced", [TestEvent.Create("p-batch-fenced", i)], lease!.ToFencingToken()))));
                    break;
            }
        }

        foreach (var (kind, task) in pending)
        {
            var result = await task;
            var expected = kind switch { "good" => AppendStatus.Success, "dup" => AppendStatus.SequenceConflict, _ => AppendStatus.Fenced };
            Assert.Equal(expected, result.Status);
        }

        for (var i = 0; i < 60; i += 3)
        {
            Assert.Equal([1L, 2], (await ReadAsync($"p-batch-{i}")).Select(e => e.SequenceNr));
        }

        Assert.Single(await ReadAsync("p-batch-dup"));
        Assert.Empty(await ReadAsync("p-batch-fenced"));
    }

    /// <summary>A write under the current lease is stored with its writer and epoch.</summary>
    [ConditionalFact]
    public async Task Append_WithCurrentFence_IsStoredWithWriterAndEpoch()
    {
        var lease = await Store.Leases.TryAcquireAsync("deployment-fence", "node-a", LeaseTtl);
        Assert.NotNull(lease);

        var result = await Store.Journal.AppendAsync(new AtomicWrite("deployment-fence", [TestEvent.Create("deployment-fence", 1)], lease.ToFencingToken()));

        Assert.True(result.IsSuccess, result.ToString());
        var stored = Assert.Single(await ReadAsync("deployment-fence"));
        Assert.Equal("node-a", stored.Writer);
        Assert.Equal(1, stored.Epoch);
    }

    /// <summary>
    /// After a takeover, the old owner's write is rejected, even though the new owner has not written anything yet.
    /// </summary>
    [ConditionalFact]
    public async Task Append_WithStaleEpoch_IsRejected()
    {
        var old = await Store.Leases.TryAcquireAsync("deployment-zombie", "node-a", LeaseTtl);
        Assert.NotNull(old);
        Assert.True((await Store.Journal.AppendAsync(new AtomicWrite("deployment-zombie", [TestEvent.Create("deployment-zombie", 1)], old.ToFencingToken()))).IsSuccess);
        AdvanceClock(LeaseTtl + TimeSpan.FromSeconds(1));
        var taken = await Store.Leases.TryAcquireAsync("deployment-zombie", "node-b", LeaseTtl);
        Assert.NotNull(taken);
        Assert.Equal(2, taken.Epoch);

        var zombie = await Store.Journal.AppendAsync(new AtomicWrite("deployment-zombie", [TestEvent.Create("deployment-zombie", 2, "zombie")], old.ToFencingToken()));

        Assert.Equal(AppendStatus.Fenced, zombie.Status);
        var fenced = Assert.IsType<JournalFencedException>(zombie.Rejection);
        Assert.Equal("node-b", fenced.CurrentOwner);
        Assert.Equal(2, fenced.CurrentEpoch);
        Assert.Equal([1L], (await ReadAsync("deployment-zombie")).Select(e => e.SequenceNr));

        var fresh = await Store.Journal.AppendAsync(new AtomicWrite("deployment-zombie", [TestEvent.Create("deployment-zombie", 2, "new owner")], taken.ToFencingToken()));
        Assert.True(fresh.IsSuccess, fresh.ToString());
        Assert.Equal("node-b", (await ReadAsync("deployment-zombie", from: 2)).Single().Writer);
    }

    /// <summary>The same owner re-acquiring after expiry gets a new epoch, which fences its own older incarnation.</summary>
    [ConditionalFact]
    public async Task Append_WithEpochOfExpiredLeaseReacquiredBySameOwner_IsRejected()
    {
        var first = await Store.Leases.TryAcquireAsync("deployment-again", "node-a", LeaseTtl);
        AdvanceClock(LeaseTtl * 2);
        var second = await Store.Leases.TryAcquireAsync("deployment-again", "node-a", LeaseTtl);
        Assert.Equal(first!.Epoch + 1, second!.Epoch);

        var result = await Store.Journal.AppendAsync(new AtomicWrite("deployment-again", [TestEvent.Create("deployment-again", 1)], first.ToFencingToken()));

        Assert.Equal(AppendStatus.Fenced, result.Status);
    }

    /// <summary>A fenced write naming a lease that does not exist is rejected.</summary>
    [ConditionalFact]
    public async Task Append_WithFenceButNoLease_IsRejected()
    {
        var result = await Store.Journal.AppendAsync(new AtomicWrite("p-nolease", [TestEvent.Create("p-nolease", 1)], new FencingToken("p-nolease", "node-a", 1)));

        Assert.Equal(AppendStatus.Fenced, result.Status);
        Assert.Null(Assert.IsType<JournalFencedException>(result.Rejection).CurrentOwner);
        Assert.Empty(await ReadAsync("p-nolease"));
    }

    /// <summary>Payloads of several megabytes round-trip byte for byte.</summary>
    [ConditionalFact]
    public async Task Append_LargePayload_RoundTrips()
    {
        var big = new string('x', 3 * 1024 * 1024) + "end";
        var write = TestEvent.Serializer.ToAppend(1, new TestEvent("p-big", 1, big));

        Assert.True((await Store.Journal.AppendAsync(new AtomicWrite("p-big", [write]))).IsSuccess);

        var stored = Assert.Single(await ReadAsync("p-big"));
        Assert.True(stored.Payload.Span.SequenceEqual(write.Payload.Span));
        Assert.Equal(big, ((TestEvent)TestEvent.Serializer.Deserialize(stored)).Data);
    }

    /// <summary>The global ordering increases across persistence ids and paging after an ordering misses nothing.</summary>
    [ConditionalFact]
    public async Task ReadAllEvents_AfterOrdering_ReturnsEverythingInGlobalOrder()
    {
        await AppendAsync("q-a", 1, 2);
        await AppendAsync("q-b", 1);
        await AppendAsync("q-a", 3);

        var all = new List<JournalEvent>();
        await foreach (var e in Store.Journal.ReadAllEventsAsync(0))
        {
            all.Add(e);
        }

        Assert.Equal([("q-a", 1L), ("q-a", 2L), ("q-b", 1L), ("q-a", 3L)], all.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Ordering < p.Second.Ordering));

        var paged = new List<JournalEvent>();
        var after = 0L;
        while (true)
        {
            var page = new List<JournalEvent>();
            await foreach (var e in Store.Journal.ReadAllEventsAsync(after, max: 3))
            {
                page.Add(e);
            }

            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
            after = page[^1].Ordering;
        }

        Assert.Equal(all.Select(e => e.Ordering), paged.Select(e => e.Ordering));
        await AppendAsync("q-b", 2);
        var tail = new List<JournalEvent>();
        await foreach (var e in Store.Journal.ReadAllEventsAsync(after))
        {
            tail.Add(e);
        }

        Assert.Equal(("q-b", 2L), tail.Select(e => (e.PersistenceId, e.SequenceNr)).Single());
    }

    /// <summary>Persistence ids are listed once each, filtered by prefix.</summary>
    [ConditionalFact]
    public async Task ReadPersistenceIds_WithPrefix_ListsEachIdOnce()
    {
        await AppendAsync("deployment-2", 1, 2);
        await AppendAsync("deployment-1", 1);
        await AppendAsync("node-1", 1);
        await AppendAsync("deployment-3", 1);
        await Store.Journal.DeleteEventsToAsync("deployment-3", 1);

        var deployments = new List<string>();
        await foreach (var id in Store.Journal.ReadPersistenceIdsAsync("deployment-"))
        {
            deployments.Add(id);
        }

        var all = new List<string>();
        await foreach (var id in Store.Journal.ReadPersistenceIdsAsync())
        {
            all.Add(id);
        }

        Assert.Equal(["deployment-1", "deployment-2", "deployment-3"], deployments);
        Assert.Equal(["deployment-1", "deployment-2", "deployment-3", "node-1"], all);
    }

    /// <summary>Malformed writes are refused before reaching the store.</summary>
    [ConditionalFact]
    public async Task Append_MalformedWrite_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.Journal.AppendAsync(new AtomicWrite("p-bad", [])));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.Journal.AppendAsync(new AtomicWrite("p-bad", [TestEvent.Create("p-bad", 2), TestEvent.Create("p-bad", 1)])));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.Journal.AppendAsync(new AtomicWrite("p-bad", [TestEvent.Create("p-bad", 0)])));
        Assert.Empty(await ReadAsync("p-bad"));
    }

    /// <summary>An append whose token is already cancelled is cancelled and stores nothing.</summary>
    [ConditionalFact]
    public async Task Append_WithCancelledToken_IsCancelledAndStoresNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Store.Journal.AppendAsync(new AtomicWrite("p-cancel", [TestEvent.Create("p-cancel", 1)]), cts.Token));

        Assert.Empty(await ReadAsync("p-cancel"));
    }

    /// <summary>Reopening the database shows every acknowledged event, snapshot and lease.</summary>
    [ConditionalFact]
    public async Task Reopen_ShowsEverythingAcknowledged()
    {
        var writes = Enumerable.Range(0, 50).Select(i => AppendAsync($"p-reopen-{i % 5}", (i / 5) + 1).AsTask()).ToArray();
        Assert.All(await Task.WhenAll(writes), r => Assert.True(r.IsSuccess, r.ToString()));
        await Store.Snapshots.SaveAsync("p-reopen-0", 3, "state.v1", Encoding.UTF8.GetBytes("{\"n\":3}"));
        var lease = await Store.Leases.TryAcquireAsync("p-reopen-0", "node-a", LeaseTtl);

        var reopened = await ReopenAsync();

        for (var p = 0; p < 5; p++)
        {
            var events = await ReadAsync($"p-reopen-{p}");
            Assert.Equal(Enumerable.Range(1, events.Count).Select(s => (long)s), events.Select(e => e.SequenceNr));
            Assert.All(events, AssertIntact);
        }

        Assert.Equal(50, (await Task.WhenAll(Enumerable.Range(0, 5).Select(p => ReadAsync($"p-reopen-{p}")))).Sum(l => l.Count));
        var snapshot = await reopened.Snapshots.LoadLatestAsync("p-reopen-0");
        Assert.Equal(3, snapshot?.SequenceNr);
        Assert.Equal(lease, await reopened.Leases.GetAsync("p-reopen-0"));
    }

    /// <summary>An unknown manifest or a corrupt payload read back from the store names the manifest and the event.</summary>
    [ConditionalFact]
    public async Task Read_UnknownManifestOrCorruptPayload_FailsDeserializationWithManifest()
    {
        await Store.Journal.AppendAsync(new AtomicWrite("p-corrupt", [
            new EventToAppend(1, "no-such-event.v1", Encoding.UTF8.GetBytes("{}")),
            new EventToAppend(2, TestEvent.Manifest, Encoding.UTF8.GetBytes("{\"persistenceId\": 12, not json")),
        ]));
        var events = await ReadAsync("p-corrupt");

        var unknown = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[0]));
        var corrupt = Assert.Throws<EventDeserializationException>(() => TestEvent.Serializer.Deserialize(events[1]));

        Assert.Equal("no-such-event.v1", unknown.Manifest);
        Assert.Contains("no-such-event.v1", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(("p-corrupt", 1L), (unknown.PersistenceId, unknown.SequenceNr));
        Assert.Equal(TestEvent.Manifest, corrupt.Manifest);
        Assert.Contains(TestEvent.Manifest, corrupt.Message, StringComparison.Ordinal);
        Assert.Equal(2, corrupt.SequenceNr);
        Assert.NotNull(corrupt.InnerException);
    }
}
