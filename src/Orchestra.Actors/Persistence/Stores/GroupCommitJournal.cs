using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// Base class of database journals: a bounded queue feeds one writer loop that commits the pending appends of
/// all actors in one transaction (group commit) and reports each append's outcome on its own.
/// </summary>
/// <remarks>
/// <para>
/// A derived store implements <see cref="WriteBatchAsync"/>: in one transaction it writes every item of the batch,
/// calling <see cref="JournalBatchItem.Reject"/> for an item that must not be stored (sequence conflict, stale fence)
/// after undoing that item's partial work (a savepoint), and commits. If <see cref="WriteBatchAsync"/> returns, every
/// item not rejected succeeded; if it throws, their outcome is unknown and their appends throw that exception.
/// </para>
/// <para>
/// A <see cref="StoreFaultException"/> from <see cref="WriteBatchAsync"/> (or reported by the store through
/// <see cref="ReportFault"/>) is fatal for the writer: it fails that batch, every queued append and every later one with
/// the same exception, because the store can no longer promise that what it acknowledges is durable.
/// </para>
/// <para>
/// Thread-safe. Disposal stops accepting appends, commits those already queued (up to
/// <see cref="PersistenceOptions.ShutdownTimeout"/>), then calls <see cref="DisposeCoreAsync"/>.
/// </para>
/// </remarks>
public abstract partial class GroupCommitJournal : IJournal, IAsyncDisposable
{
    private readonly Channel<JournalBatchItem> _queue;
    private readonly Task _writerLoop;
    private readonly PersistenceOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abandon = new();
    private int _disposed;
    private StoreFaultException? _fault;

    /// <summary>Creates the journal and starts its writer loop.</summary>
    /// <param name="options">The batch size, queue capacity and shutdown timeout.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    protected GroupCommitJournal(PersistenceOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<JournalBatchItem>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Run(RunWriterLoopAsync);
    }

    /// <summary>The store's options.</summary>
    protected PersistenceOptions Options => _options;

    /// <summary>The fault that stopped the writer, or <see langword="null"/> while it accepts appends.</summary>
    public StoreFaultException? Fault => Volatile.Read(ref _fault);

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        write.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<AppendResult>(cancellationToken);
        }

        if (Fault is { } fault)
        {
            return ValueTask.FromException<AppendResult>(fault);
        }

        var item = new JournalBatchItem(write, cancellationToken);
        if (_queue.Writer.TryWrite(item))
        {
            return new ValueTask<AppendResult>(item.Task);
        }

        return EnqueueSlowAsync(item, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalEvent> ReadEventsAsync(
        string persistenceId,
        long fromSequenceNr = 1,
        long toSequenceNr = long.MaxValue,
        long max = long.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var next = fromSequenceNr;
        var remaining = max;
        while (remaining > 0 && next <= toSequenceNr)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageSize = (int)Math.Min(remaining, _options.ReadPageSize);
            var page = await ReadEventPageAsync(persistenceId, next, toSequenceNr, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            remaining -= page.Count;
            next = page[^1].SequenceNr + 1;

            // A store may read pages synchronously: let other work run between pages of a long replay.
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public abstract ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(
        long afterOrdering,
        int max = int.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = afterOrdering;
        var remaining = max;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageSize = Math.Min(remaining, _options.ReadPageSize);
            var page = await ReadOrderedPageAsync(after, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            remaining -= page.Count;
            after = page[^1].Ordering;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public abstract IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, CancellationToken cancellationToken = default);

    /// <summary>Stops accepting appends, commits the queued ones, then releases the store's resources.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _writerLoop.WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownTimedOut(_logger, _options.ShutdownTimeout);
            await _abandon.CancelAsync().ConfigureAwait(false);
            await _writerLoop.ConfigureAwait(false);
        }

        await DisposeCoreAsync().ConfigureAwait(false);
        _abandon.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads one page of a persistence id's events, in sequence order.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="fromSequenceNr">The lowest sequence number to return.</param>
    /// <param name="toSequenceNr">The highest sequence number to return.</param>
    /// <param name="limit">The most events to return; fewer means there are no more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events, in sequence order.</returns>
    protected abstract ValueTask<IReadOnlyList<JournalEvent>> ReadEventPageAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one page of all events after a global ordering, in ordering order.</summary>
    /// <param name="afterOrdering">Only events with a greater ordering are returned.</param>
    /// <param name="limit">The most events to return; fewer means there are no more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events, in ordering order.</returns>
    protected abstract ValueTask<IReadOnlyList<JournalEvent>> ReadOrderedPageAsync(long afterOrdering, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="batch"/> in one transaction and commits it; see the class remarks for the contract.
    /// </summary>
    /// <param name="batch">The appends, in arrival order (never empty).</param>
    /// <param name="cancellationToken">Fires only when disposal gives up waiting.</param>
    protected abstract ValueTask WriteBatchAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the writer for good: the appends queued from now on, and every later one, fail with <paramref name="fault"/>.
    /// A store calls it when another of its connections saw the store fail; the first fault reported wins.
    /// </summary>
    /// <param name="fault">What happened to the store.</param>
    protected void ReportFault(StoreFaultException fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (Interlocked.CompareExchange(ref _fault, fault, null) is null)
        {
            LogStoreFaulted(_logger, fault, fault.Store);
        }
    }

    /// <summary>Releases the store's resources after the writer loop has stopped.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private async ValueTask<AppendResult> EnqueueSlowAsync(JournalBatchItem item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(GetType().Name);
        }

        return await item.Task.ConfigureAwait(false);
    }

    private async Task RunWriterLoopAsync()
    {
        var batch = new List<JournalBatchItem>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // The previous batch's completions resume their writers on the thread pool; yielding once lets them
            // enqueue their next appends, so this batch is larger and commits fewer times.
            await Task.Yield();
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                if (item.TryStart())
                {
                    batch.Add(item);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            if (Fault is { } fault)
            {
                foreach (var item in batch)
                {
                    item.Fail(fault);
                }

                continue;
            }

            try
            {
                await WriteBatchAsync(batch, _abandon.Token).ConfigureAwait(false);
                foreach (var item in batch)
                {
                    item.Complete();
                }
            }
            catch (Exception ex)
            {
                if (StoreFaultException.Find(ex) is { } storeFault)
                {
                    ReportFault(storeFault);
                }

                LogBatchFailed(_logger, ex, batch.Count);
                foreach (var item in batch)
                {
                    item.Fail(ex);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "A journal batch of {Count} appends failed; their outcome is unknown")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The journal did not commit its pending appends within {Timeout}; abandoning them")]
    private static partial void LogShutdownTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "The store {Store} failed; the journal accepts no more writes")]
    private static partial void LogStoreFaulted(ILogger logger, Exception exception, string store);
}
