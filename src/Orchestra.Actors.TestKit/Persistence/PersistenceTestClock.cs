namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>A settable clock for the persistence conformance suites (leases expire by advancing it, not by sleeping).</summary>
internal sealed class PersistenceTestClock : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
