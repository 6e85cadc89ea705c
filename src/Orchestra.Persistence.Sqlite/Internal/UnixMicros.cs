namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>Times as microseconds since the Unix epoch, the unit stored in the database.</summary>
internal static class UnixMicros
{
    public static long From(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset To(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
