namespace Orchestra.Actors.Persistence;

/// <summary>Settings shared by the database-backed stores (journal writer, reads).</summary>
public class PersistenceOptions
{
    /// <summary>The most appends (atomic writes) committed in one transaction by the journal writer.</summary>
    /// <value>The default is 512.</value>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How many appends may wait for the journal writer; further appends wait for room (back-pressure).
    /// </summary>
    /// <value>The default is 8192.</value>
    public int WriteQueueCapacity { get; set; } = 8192;

    /// <summary>How many events a journal read fetches per round trip.</summary>
    /// <value>The default is 500.</value>
    public int ReadPageSize { get; set; } = 500;

    /// <summary>How long disposal waits for pending writes to be committed before abandoning them.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for timestamps and lease expiry.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public virtual void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteQueueCapacity, 1, nameof(WriteQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadPageSize, 1, nameof(ReadPageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
