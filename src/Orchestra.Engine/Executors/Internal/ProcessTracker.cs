using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>
/// Keeps <see cref="ProcessRecord"/>s of the processes <see cref="ProcessExecutor"/> runs, and stops the process a previous
/// incarnation of the engine left running before the same operation runs again.
/// </summary>
/// <remarks>
/// A record names a process by pid, start time (<c>/proc/&lt;pid&gt;/stat</c> field 22) and boot id, so a pid reused by another
/// process, or a record from before a reboot, is never taken for the operation's process: such a record is stale and just removed.
/// Thread-safe.
/// </remarks>
internal sealed partial class ProcessTracker
{
    // SIGKILL cannot be caught: only a process stuck in the kernel (D state) outlives it for more than a moment.
    private static readonly TimeSpan KilledExitWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly Lazy<ProcStat?> Self = new(() => ProcFs.ReadStat(Environment.ProcessId));

    private readonly ProcessRecordStore _store;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a tracker over <paramref name="directory"/>.</summary>
    /// <param name="directory">Where the records live (<see cref="EngineOptions.ProcessRecordDirectory"/>).</param>
    /// <param name="options">The engine options (grace period, clock).</param>
    /// <param name="logger">Where to log stopped orphans and unusable records.</param>
    public ProcessTracker(string directory, EngineOptions options, ILogger logger)
    {
        _store = new ProcessRecordStore(directory);
        _options = options;
        _logger = logger;
    }

    /// <summary>The records' store.</summary>
    public ProcessRecordStore Store => _store;

    /// <summary>
    /// Before an attempt: if a previous incarnation's process of the same operation still runs, stops its process group (SIGTERM,
    /// SIGKILL after the grace period) and waits until it is gone; removes stale and corrupt records.
    /// </summary>
    /// <param name="request">The attempt about to start.</param>
    /// <param name="notices">Receives what the operator should know (an orphan stopped, a corrupt record removed).</param>
    /// <returns><see langword="null"/> to go on, or a failed result if the orphan would not die (so two copies never run).</returns>
    /// <remarks>Not cancellable: a half-stopped orphan is worse than a late cancel. It takes at most the grace period plus 5 seconds.</remarks>
    public async Task<OperationResult?> StopPreviousAsync(OperationRequest request, List<string> notices)
    {
        RecordRead read;
        try
        {
            read = _store.Read(request.IdempotencyKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, _store.PathOf(request.IdempotencyKey), e.Message);
            return null;
        }

        if (read.Text is null)
        {
            return null;
        }

        if (read.Record is not { } record)
        {
            Remove(read.Path, read.Text);
            LogCorrupt(_logger, read.Path, read.Problem!);
            notices.Add($"removed an unusable process record {read.Path}: {read.Problem}");
            return null;
        }

        if (Liveness(record) is not { } stat)
        {
            Remove(read.Path, read.Text);
            return null;
        }

        LogStopping(_logger, record.DeploymentId, record.Node, record.Operation, record.Pid, record.StartedAt, request.Attempt);
        if (!await StopAsync(record, stat).ConfigureAwait(false))
        {
            LogStillAlive(_logger, record.DeploymentId, record.Node, record.Operation, record.Pid);
            return OperationResult.Failed(
                $"a process left running by a previous run of this operation ({record.Describe()}) is still alive after SIGKILL: not starting a second copy");
        }

        Remove(read.Path, read.Text);
        notices.Add($"a process left running by a previous run of this operation ({record.Describe()}, attempt {record.Attempt}) was stopped before this attempt started");
        return null;
    }

    /// <summary>Records a process that has just started.</summary>
    /// <param name="process">The process.</param>
    /// <param name="request">Its attempt.</param>
    /// <param name="leadsGroup">Whether it leads its own process group (started under <c>setsid</c>).</param>
    /// <param name="warnings">Receives a warning if the record cannot be written.</param>
    /// <returns>The record, to pass to <see cref="Forget"/> once the process has exited; <see langword="null"/> if none was written.</returns>
    public StoredRecord? Track(Process process, OperationRequest request, bool leadsGroup, List<string> warnings)
    {
        // No /proc (not Linux), or the process already exited and was reaped: nothing could be stopped later anyway.
        if (ProcFs.BootId is not { } boot || ProcFs.ReadStat(process.Id) is not { } stat || Self.Value is not { } self)
        {
            return null;
        }

        var record = new ProcessRecord(
            ProcessRecord.CurrentVersion, Guid.NewGuid().ToString("N"), process.Id, leadsGroup ? process.Id : 0, stat.StartTicks, boot,
            _options.TimeProvider.GetUtcNow(), request.IdempotencyKey, request.DeploymentId, request.Node, request.Operation,
            request.Phase.ToString().ToLowerInvariant(), request.Attempt, Environment.ProcessId, self.StartTicks);
        try
        {
            return _store.Write(record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, _store.Directory, e.Message);
            warnings.Add($"the process could not be recorded in {_store.Directory} ({e.Message}): if the engine dies while it runs, the next run cannot stop it");
            return null;
        }
    }

    /// <summary>Removes the record of a process that has exited (unless a later attempt replaced it).</summary>
    /// <param name="stored">What <see cref="Track"/> returned.</param>
    public void Forget(StoredRecord? stored)
    {
        if (stored is not null)
        {
            Remove(stored.Path, stored.Text);
        }
    }

    /// <summary>
    /// Stops every recorded process whose engine process is gone (an orphan whose operation may never run again, e.g. one whose
    /// deployment was cancelled meanwhile) and removes stale and corrupt records. Records of live engine processes are left alone.
    /// </summary>
    /// <param name="cancellationToken">Stops the sweep between records.</param>
    /// <returns>What was done, one line per record acted on.</returns>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var done = new List<string>();
        IReadOnlyList<string> files;
        try
        {
            files = _store.List();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, _store.Directory, e.Message);
            return done;
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = ProcessRecordStore.ReadFile(file, idempotencyKey: null);
            if (read.Text is null)
            {
                continue;
            }

            if (read.Record is not { } record)
            {
                Remove(read.Path, read.Text);
                LogCorrupt(_logger, read.Path, read.Problem!);
                done.Add($"removed an unusable process record {read.Path}: {read.Problem}");
                continue;
            }

            if (Liveness(record) is not { } stat)
            {
                Remove(read.Path, read.Text);
                continue;
            }

            if (ProcFs.ReadStat(record.OwnerPid) is { IsRunning: true } owner && owner.StartTicks == record.OwnerStartTicks)
            {
                continue;
            }

            LogSweeping(_logger, record.DeploymentId, record.Node, record.Operation, record.Pid, record.StartedAt);
            if (await StopAsync(record, stat).ConfigureAwait(false))
            {
                Remove(read.Path, read.Text);
                done.Add($"stopped a process left running by a previous run of {record.DeploymentId} {record.Node} {record.Operation} ({record.Describe()})");
            }
            else
            {
                LogStillAlive(_logger, record.DeploymentId, record.Node, record.Operation, record.Pid);
                done.Add($"could not stop a process left running by a previous run of {record.DeploymentId} {record.Node} {record.Operation} ({record.Describe()})");
            }
        }

        return done;
    }

    // The recorded process's current stat if it is the very process recorded and still runs; null if the record is stale
    // (another boot, the pid gone or a zombie, the pid reused by a process started at another time, or this engine itself).
    private static ProcStat? Liveness(ProcessRecord record)
    {
        if (ProcFs.BootId is not { } boot || !string.Equals(boot, record.BootId, StringComparison.Ordinal) || record.Pid == Environment.ProcessId)
        {
            return null;
        }

        return ProcFs.ReadStat(record.Pid) is { IsRunning: true } stat && stat.StartTicks == record.StartTicks ? stat : null;
    }

    private async Task<bool> StopAsync(ProcessRecord record, ProcStat stat)
    {
        // Signal the group only if the process still leads the group recorded, and never the engine's own group.
        var group = record.ProcessGroupId > 1 && stat.ProcessGroupId == record.ProcessGroupId && Self.Value?.ProcessGroupId != record.ProcessGroupId;
        Signal(record, group, ProcessGroup.SigTerm);
        await WaitGoneAsync(record, _options.KillGracePeriod).ConfigureAwait(false);
        // Children may outlive the leader (or ignore SIGTERM): kill the whole group regardless, as a timeout does.
        Signal(record, group, ProcessGroup.SigKill);
        return await WaitGoneAsync(record, KilledExitWait).ConfigureAwait(false);
    }

    private static void Signal(ProcessRecord record, bool group, int signal)
    {
        if (group)
        {
            ProcessGroup.Signal(record.ProcessGroupId, signal);
        }
        else if (Liveness(record) is not null)
        {
            ProcessGroup.SignalProcess(record.Pid, signal);
        }
    }

    private async Task<bool> WaitGoneAsync(ProcessRecord record, TimeSpan timeout)
    {
        var time = _options.TimeProvider;
        var start = time.GetTimestamp();
        while (Liveness(record) is not null)
        {
            if (time.GetElapsedTime(start) >= timeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, time, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    private void Remove(string path, string text)
    {
        try
        {
            ProcessRecordStore.RemoveIfUnchanged(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stopping a process left running by a previous run of {DeploymentId} {Node} {Operation} (pid {Pid}, started at {StartedAt:O}) before attempt {Attempt}")]
    private static partial void LogStopping(ILogger logger, string deploymentId, string node, string operation, int pid, DateTimeOffset startedAt, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stopping a process left running by a dead engine process: {DeploymentId} {Node} {Operation} (pid {Pid}, started at {StartedAt:O})")]
    private static partial void LogSweeping(ILogger logger, string deploymentId, string node, string operation, int pid, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The process left running by a previous run of {DeploymentId} {Node} {Operation} (pid {Pid}) is still alive after SIGKILL")]
    private static partial void LogStillAlive(ILogger logger, string deploymentId, string node, string operation, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the unusable process record {Path}: {Problem}")]
    private static partial void LogCorrupt(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the process records at {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write a process record in {Directory}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot remove the process record {Path}: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string path, string reason);
}
