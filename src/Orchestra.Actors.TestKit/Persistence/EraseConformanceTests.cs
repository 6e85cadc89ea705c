using System.Text;
using Orchestra.Actors.Persistence;
using Orchestra.Testing;
using Xunit;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>What every <see cref="IPersistence.EraseAsync"/> must do. Inherit it per backend.</summary>
public abstract class EraseConformanceTests : PersistenceConformanceBase
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    /// <summary>Erasing removes the events, the record of deleted events, the snapshots and the lease of each id, and nothing else.</summary>
    [ConditionalFact]
    public async Task Erase_RemovesEventsSnapshotsAndLeases_OfThoseIdsOnly()
    {
        await AppendAsync("deployment-web", 1, 2, 3);
        await Store.Journal.DeleteEventsToAsync("deployment-web", 1);
        await AppendAsync("deployment-web~2", 1, 2);
        await AppendAsync("deployment-webapp", 1);
        await Store.Snapshots.SaveAsync("deployment-web", 2, "state.v1", Encoding.UTF8.GetBytes("two"));
        await Store.Snapshots.SaveAsync("deployment-webapp", 1, "state.v1", Encoding.UTF8.GetBytes("one"));
        await Store.Leases.TryAcquireAsync("deployment-web~2", "node-a", Ttl);
        await Store.Leases.TryAcquireAsync("deployment-webapp", "node-a", Ttl);

        var removed = await Store.EraseAsync(["deployment-web", "deployment-web~2", "deployment-never"]);

        Assert.Equal(4, removed);
        Assert.Equal(0, await Store.Journal.ReadHighestSequenceNrAsync("deployment-web"));
        Assert.Equal(0, await Store.Journal.ReadHighestSequenceNrAsync("deployment-web~2"));
        Assert.Empty(await ReadAsync("deployment-web~2"));
        Assert.Null(await Store.Snapshots.LoadLatestAsync("deployment-web"));
        Assert.Null(await Store.Leases.GetAsync("deployment-web~2"));
        var ids = new List<string>();
        await foreach (var id in Store.Journal.ReadPersistenceIdsAsync("deployment-"))
        {
            ids.Add(id);
        }

        Assert.Equal(["deployment-webapp"], ids);
        Assert.Single(await ReadAsync("deployment-webapp"));
        Assert.NotNull(await Store.Snapshots.LoadLatestAsync("deployment-webapp"));
        Assert.NotNull(await Store.Leases.GetAsync("deployment-webapp"));
    }

    /// <summary>Erased events are gone from the global order too, and an erased id starts again from sequence number 1 at lease epoch 1.</summary>
    [ConditionalFact]
    public async Task Erase_ThenWriteAgain_StartsAfresh()
    {
        var lease = await Store.Leases.TryAcquireAsync("deployment-again", "node-a", Ttl);
        AdvanceClock(Ttl);
        lease = await Store.Leases.TryAcquireAsync("deployment-again", "node-b", Ttl);
        Assert.Equal(2, lease?.Epoch);
        await Store.Journal.AppendAsync(new AtomicWrite("deployment-again", [TestEvent.Create("deployment-again", 1)], lease!.ToFencingToken()));

        await Store.EraseAsync(["deployment-again"]);

        var all = new List<JournalEvent>();
        await foreach (var e in Store.Journal.ReadAllEventsAsync(0))
        {
            all.Add(e);
        }

        Assert.DoesNotContain(all, e => e.PersistenceId == "deployment-again");
        var fresh = await Store.Leases.TryAcquireAsync("deployment-again", "node-c", Ttl);
        Assert.Equal(1, fresh?.Epoch);
        Assert.True((await AppendAsync("deployment-again", 1)).IsSuccess);
        Assert.Equal(1, await Store.Journal.ReadHighestSequenceNrAsync("deployment-again"));
    }

    /// <summary>Nothing to erase is no error, and survives a reopen.</summary>
    [ConditionalFact]
    public async Task Erase_IsDurable_AndEmptyIsANoOp()
    {
        await AppendAsync("deployment-gone", 1);
        Assert.Equal(0, await Store.EraseAsync([]));
        Assert.Equal(1, await Store.EraseAsync(["deployment-gone"]));

        var reopened = await ReopenAsync();

        Assert.Equal(0, await reopened.Journal.ReadHighestSequenceNrAsync("deployment-gone"));
        Assert.Equal(0, await reopened.EraseAsync(["deployment-gone"]));
    }
}
