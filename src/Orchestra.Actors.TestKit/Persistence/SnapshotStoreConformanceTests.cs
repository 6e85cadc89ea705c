using System.Text;
using Orchestra.Actors.Persistence;
using Orchestra.Testing;
using Xunit;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>What every <see cref="ISnapshotStore"/> must do. Inherit it per backend.</summary>
public abstract class SnapshotStoreConformanceTests : PersistenceConformanceBase
{
    /// <summary>No snapshot yet: null.</summary>
    [ConditionalFact]
    public async Task LoadLatest_WithoutSnapshots_ReturnsNull()
    {
        Assert.Null(await Store.Snapshots.LoadLatestAsync("s-none"));
    }

    /// <summary>The latest snapshot at or below the bound is returned with what was saved.</summary>
    [ConditionalFact]
    public async Task LoadLatest_ReturnsTheHighestAtOrBelowTheBound()
    {
        await Store.Snapshots.SaveAsync("s-1", 5, "state.v1", Encoding.UTF8.GetBytes("five"));
        await Store.Snapshots.SaveAsync("s-1", 10, "state.v1", Encoding.UTF8.GetBytes("ten"));
        await Store.Snapshots.SaveAsync("s-2", 20, "state.v1", Encoding.UTF8.GetBytes("other"));

        var latest = await Store.Snapshots.LoadLatestAsync("s-1");
        var bounded = await Store.Snapshots.LoadLatestAsync("s-1", maxSequenceNr: 9);

        Assert.NotNull(latest);
        Assert.Equal(("s-1", 10L, "state.v1", "ten"), (latest.PersistenceId, latest.SequenceNr, latest.Manifest, Encoding.UTF8.GetString(latest.Payload.Span)));
        Assert.Equal(Clock.GetUtcNow(), latest.Timestamp);
        Assert.Equal(5, bounded?.SequenceNr);
        Assert.Null(await Store.Snapshots.LoadLatestAsync("s-1", maxSequenceNr: 4));
    }

    /// <summary>Saving again at the same sequence number replaces the snapshot.</summary>
    [ConditionalFact]
    public async Task Save_AtSameSequenceNr_Replaces()
    {
        await Store.Snapshots.SaveAsync("s-replace", 3, "state.v1", Encoding.UTF8.GetBytes("first"));
        await Store.Snapshots.SaveAsync("s-replace", 3, "state.v2", Encoding.UTF8.GetBytes("second"));

        var latest = await Store.Snapshots.LoadLatestAsync("s-replace");

        Assert.Equal(("state.v2", "second"), (latest?.Manifest, Encoding.UTF8.GetString(latest!.Payload.Span)));
    }

    /// <summary>Deleting older snapshots keeps the given one and later ones.</summary>
    [ConditionalFact]
    public async Task DeleteOlderThan_KeepsTheGivenAndLater()
    {
        foreach (var seq in new long[] { 1, 2, 3 })
        {
            await Store.Snapshots.SaveAsync("s-del", seq, "state.v1", Encoding.UTF8.GetBytes($"{seq}"));
        }

        await Store.Snapshots.DeleteOlderThanAsync("s-del", 3);

        Assert.Equal(3, (await Store.Snapshots.LoadLatestAsync("s-del"))?.SequenceNr);
        Assert.Null(await Store.Snapshots.LoadLatestAsync("s-del", maxSequenceNr: 2));
    }

    /// <summary>Snapshot plus the tail of the journal rebuilds the same state as a full replay.</summary>
    [ConditionalFact]
    public async Task SnapshotPlusTailReplay_RebuildsTheFullState()
    {
        for (var s = 1; s <= 10; s++)
        {
            Assert.True((await AppendAsync("s-replay", s)).IsSuccess);
        }

        var fullSum = (await ReadAsync("s-replay")).Sum(e => ((TestEvent)TestEvent.Serializer.Deserialize(e)).SequenceNr);
        var stateAt6 = (await ReadAsync("s-replay", to: 6)).Sum(e => ((TestEvent)TestEvent.Serializer.Deserialize(e)).SequenceNr);
        await Store.Snapshots.SaveAsync("s-replay", 6, "sum.v1", BitConverter.GetBytes(stateAt6));
        await Store.Journal.DeleteEventsToAsync("s-replay", 6);

        var snapshot = await Store.Snapshots.LoadLatestAsync("s-replay");
        Assert.NotNull(snapshot);
        var state = BitConverter.ToInt64(snapshot.Payload.Span);
        var tail = await ReadAsync("s-replay", from: snapshot.SequenceNr + 1);
        state += tail.Sum(e => ((TestEvent)TestEvent.Serializer.Deserialize(e)).SequenceNr);

        Assert.Equal([7L, 8, 9, 10], tail.Select(e => e.SequenceNr));
        Assert.Equal(fullSum, state);
    }

    /// <summary>Large snapshots round-trip byte for byte.</summary>
    [ConditionalFact]
    public async Task Save_LargePayload_RoundTrips()
    {
        var payload = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(payload);

        await Store.Snapshots.SaveAsync("s-big", 1, "blob.v1", payload);

        var loaded = await Store.Snapshots.LoadLatestAsync("s-big");
        Assert.True(loaded!.Payload.Span.SequenceEqual(payload));
    }
}
