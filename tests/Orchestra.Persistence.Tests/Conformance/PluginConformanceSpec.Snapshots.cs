using Akka.Persistence;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>
/// Akka TCK's SnapshotStoreSpec cases. Timestamps are the ones the store returns (Orchestra's stores stamp a snapshot
/// with their own clock, at microsecond precision), so every case first reads back what was saved.
/// </summary>
public abstract partial class PluginConformanceSpec
{
    [PluginFact]
    public async Task LoadSnapshot_UnknownPersistenceId_ReturnsNone()
    {
        await SaveSnapshotsAsync();

        var result = await LoadAsync("never-snapshotted", SnapshotSelectionCriteria.Latest);

        Assert.Null(result.Snapshot);
        Assert.Equal(long.MaxValue, result.ToSequenceNr);
    }

    [PluginFact]
    public async Task LoadSnapshot_NonMatchingBounds_ReturnsNone()
    {
        await SaveSnapshotsAsync();

        Assert.Null((await LoadAsync(Pid, new SnapshotSelectionCriteria(long.MaxValue, new DateTime(100000, DateTimeKind.Utc)))).Snapshot);
        Assert.Null((await LoadAsync(Pid, new SnapshotSelectionCriteria(7))).Snapshot);
        var limited = await LoadAsync(Pid, SnapshotSelectionCriteria.Latest, toSequenceNr: 7);
        Assert.Null(limited.Snapshot);
        Assert.Equal(7, limited.ToSequenceNr);
    }

    [PluginFact]
    public async Task LoadSnapshot_Latest_ReturnsTheMostRecent()
    {
        var saved = await SaveSnapshotsAsync();

        var result = await LoadAsync(Pid, SnapshotSelectionCriteria.Latest);

        Assert.Equal(saved[4], result.Snapshot!.Metadata);
        Assert.Equal(new TestState("s-5"), result.Snapshot.Snapshot);
    }

    [PluginFact]
    public async Task LoadSnapshot_UpperSequenceNrBound_ReturnsTheLatestAtOrBelowIt()
    {
        var saved = await SaveSnapshotsAsync();

        var byCriteria = await LoadAsync(Pid, new SnapshotSelectionCriteria(13));
        var byLimit = await LoadAsync(Pid, SnapshotSelectionCriteria.Latest, toSequenceNr: 13);

        Assert.Equal(saved[2], byCriteria.Snapshot!.Metadata);
        Assert.Equal(new TestState("s-3"), byCriteria.Snapshot.Snapshot);
        Assert.Equal(saved[2], byLimit.Snapshot!.Metadata);
        Assert.Equal(13, byLimit.ToSequenceNr);
    }

    [PluginFact]
    public async Task LoadSnapshot_SequenceNrAndTimestampBounds_ReturnsTheLatestWithinBoth()
    {
        var saved = await SaveSnapshotsAsync();

        var both = await LoadAsync(Pid, new SnapshotSelectionCriteria(13, saved[2].Timestamp));
        var timeOnly = await LoadAsync(Pid, new SnapshotSelectionCriteria(long.MaxValue, saved[1].Timestamp));

        Assert.Equal(saved[2], both.Snapshot!.Metadata);
        Assert.Equal(saved[1], timeOnly.Snapshot!.Metadata);
        Assert.Equal(new TestState("s-2"), timeOnly.Snapshot.Snapshot);
    }

    [PluginFact]
    public async Task DeleteSnapshot_BySequenceNr_RemovesOnlyThatOne()
    {
        var saved = await SaveSnapshotsAsync();
        var probe = CreateTestProbe();

        SnapshotStore.Tell(new DeleteSnapshot(saved[2]), probe.Ref);
        await probe.ExpectMsgAsync<DeleteSnapshotSuccess>();
        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(Pid, saved[3].SequenceNr, DateTime.MinValue)), probe.Ref);
        await probe.ExpectMsgAsync<DeleteSnapshotSuccess>();

        Assert.Equal(saved[1], (await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[3].SequenceNr))).Snapshot!.Metadata);
        Assert.Equal(saved[4], (await LoadAsync(Pid, SnapshotSelectionCriteria.Latest)).Snapshot!.Metadata);
    }

    [PluginFact]
    public async Task DeleteSnapshot_WithAnEarlierTimestampThanStored_KeepsIt()
    {
        var saved = await SaveSnapshotsAsync();
        var probe = CreateTestProbe();

        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(Pid, saved[2].SequenceNr, saved[2].Timestamp.AddSeconds(-2))), probe.Ref);
        await probe.ExpectMsgAsync<DeleteSnapshotSuccess>();

        Assert.Equal(saved[2], (await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[2].SequenceNr))).Snapshot!.Metadata);
    }

    [PluginFact]
    public async Task DeleteSnapshots_ByCriteria_RemovesThoseWithinTheBoundsOnly()
    {
        var saved = await SaveSnapshotsAsync();
        var probe = CreateTestProbe();

        SnapshotStore.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(saved[3].SequenceNr, saved[3].Timestamp.AddTicks(-10))), probe.Ref);
        await probe.ExpectMsgAsync<DeleteSnapshotsSuccess>();
        var keptFourth = await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[3].SequenceNr));
        SnapshotStore.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(saved[2].SequenceNr, saved[2].Timestamp)), probe.Ref);
        await probe.ExpectMsgAsync<DeleteSnapshotsSuccess>();

        Assert.Equal(saved[3], keptFourth.Snapshot!.Metadata);
        Assert.Null((await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[2].SequenceNr))).Snapshot);
        Assert.Equal(saved[3], (await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[3].SequenceNr))).Snapshot!.Metadata);
    }

    [PluginFact]
    public async Task SaveSnapshot_AtTheSameSequenceNr_Overwrites()
    {
        var saved = await SaveSnapshotsAsync();
        var probe = CreateTestProbe();

        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, saved[4].SequenceNr, DateTime.UtcNow), new TestState("s-5-modified")), probe.Ref);
        await probe.ExpectMsgAsync<SaveSnapshotSuccess>();
        var result = await LoadAsync(Pid, new SnapshotSelectionCriteria(saved[4].SequenceNr));

        Assert.Equal(new TestState("s-5-modified"), result.Snapshot!.Snapshot);
        Assert.Equal(saved[4].SequenceNr, result.Snapshot.Metadata.SequenceNr);
    }

    [PluginFact]
    public async Task SaveSnapshot_Big_RoundTrips()
    {
        var padding = new byte[100_000];
        new Random(42).NextBytes(padding);
        var probe = CreateTestProbe();

        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, 100, DateTime.UtcNow), new TestState("big", padding)), probe.Ref);
        await probe.ExpectMsgAsync<SaveSnapshotSuccess>();
        var state = (TestState)(await LoadAsync(Pid, SnapshotSelectionCriteria.Latest)).Snapshot!.Snapshot;

        Assert.Equal(padding, state.Padding);
    }

    /// <summary>Saves s-1..s-5 at sequence numbers 11..15 and returns their stored metadata.</summary>
    private async Task<List<SnapshotMetadata>> SaveSnapshotsAsync()
    {
        var probe = CreateTestProbe();
        for (var i = 1; i <= 5; i++)
        {
            SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, i + 10, DateTime.UtcNow), new TestState($"s-{i}")), probe.Ref);
            await probe.ExpectMsgAsync<SaveSnapshotSuccess>();
        }

        var stored = new List<SnapshotMetadata>();
        for (var i = 1; i <= 5; i++)
        {
            stored.Add((await LoadAsync(Pid, new SnapshotSelectionCriteria(i + 10))).Snapshot!.Metadata);
        }

        return stored;
    }

    private async Task<LoadSnapshotResult> LoadAsync(string pid, SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue)
    {
        var probe = CreateTestProbe();
        SnapshotStore.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), probe.Ref);
        return await probe.ExpectMsgAsync<LoadSnapshotResult>();
    }
}
